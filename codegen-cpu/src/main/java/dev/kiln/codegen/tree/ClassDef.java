package dev.kiln.codegen.tree;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A generated class: a public final class with a public no-arg constructor that calls the
 * superclass's no-arg constructor, private fields and the given methods.
 */
public record ClassDef(String simpleName, String packageName, Class<?> superclass, List<Class<?>> interfaces,
                       List<FieldDef> fields, List<MethodDef> methods) {
    public ClassDef {
        Names.requireIdentifier(simpleName, "class");
        Names.requirePackage(packageName);
        interfaces = List.copyOf(interfaces);
        fields = List.copyOf(fields);
        methods = List.copyOf(methods);
        if (superclass.isInterface() || superclass.isPrimitive() || superclass.isArray() || Modifier.isFinal(superclass.getModifiers())) {
            throw new IllegalArgumentException("superclass " + superclass.getName() + " must be a non-final class");
        }
        Members.requirePublic(superclass);
        Constructor<?> noArg;
        try {
            noArg = superclass.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("superclass " + superclass.getName() + " needs a no-arg constructor", e);
        }
        if (!Modifier.isPublic(noArg.getModifiers()) && !Modifier.isProtected(noArg.getModifiers())) {
            throw new IllegalArgumentException("the no-arg constructor of " + superclass.getName() + " must be public or protected");
        }
        for (Class<?> i : interfaces) {
            if (!i.isInterface()) throw new IllegalArgumentException(i.getName() + " is not an interface");
            Members.requirePublic(i);
        }
        Set<String> names = new HashSet<>();
        for (FieldDef f : fields) {
            if (!names.add(f.name())) throw new IllegalArgumentException("class " + simpleName + " declares field " + f.name() + " twice");
        }
        Set<String> sigs = new HashSet<>();
        for (MethodDef m : methods) {
            if (!sigs.add(m.name() + m.descriptor())) throw new IllegalArgumentException("class " + simpleName + " declares method " + m.name() + m.descriptor() + " twice");
        }
    }

    /** The binary name, e.g. {@code dev.kiln.generated.Pipeline3}. */
    public String fqcn() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    public String internalName() {
        return fqcn().replace('.', '/');
    }

    public Optional<FieldDef> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
