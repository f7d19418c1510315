package dev.kiln.codegen.tree;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Resolves the methods, constructors and fields that generated code calls, by reflection, from
 * the argument types in the tree. An exact match of parameter types wins; otherwise a single
 * method applicable by reference subtyping (never primitive widening or boxing) is accepted.
 * Anything else is an error naming the candidates, so the builder inserts the conversion.
 * Only public members of public classes qualify: the generated class lives in another package
 * and another class loader.
 */
public final class Members {
    private Members() {}

    private record Key(Class<?> owner, String name, List<JType> args, boolean isStatic) {}

    private static final Map<Key, Executable> CACHE = new ConcurrentHashMap<>();

    public static Method method(Class<?> owner, String name, List<JType> args, boolean isStatic) {
        requirePublic(owner);
        Key key = new Key(owner, name, List.copyOf(args), isStatic);
        Executable found = CACHE.get(key);
        if (found == null) {
            List<Method> named = new ArrayList<>();
            for (Method m : owner.getMethods()) {
                if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) == isStatic) named.add(m);
            }
            if (owner.isInterface() && !isStatic) {
                // Interface method resolution also finds the public methods of Object (JVMS 5.4.3.4).
                for (Method m : Object.class.getMethods()) {
                    if (m.getName().equals(name) && !Modifier.isStatic(m.getModifiers())) named.add(m);
                }
            }
            String what = (isStatic ? "static method " : "instance method ") + owner.getName() + "." + name + describe(args);
            found = pick(named, args, what);
            CACHE.put(key, found);
        }
        return (Method) found;
    }

    public static Constructor<?> constructor(Class<?> owner, List<JType> args) {
        requirePublic(owner);
        if (Modifier.isAbstract(owner.getModifiers())) throw new IllegalArgumentException("cannot instantiate abstract class or interface " + owner.getName());
        Key key = new Key(owner, "<init>", List.copyOf(args), false);
        Executable found = CACHE.get(key);
        if (found == null) {
            found = pick(List.of(owner.getConstructors()), args, "constructor " + owner.getName() + describe(args));
            CACHE.put(key, found);
        }
        return (Constructor<?>) found;
    }

    public static Field field(Class<?> owner, String name, JType type, boolean isStatic) {
        requirePublic(owner);
        Field f;
        try {
            f = owner.getField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException("no public field " + name + " in " + owner.getName(), e);
        }
        if (Modifier.isStatic(f.getModifiers()) != isStatic) {
            throw new IllegalArgumentException("field " + owner.getName() + "." + name + " is " + (isStatic ? "not " : "") + "static");
        }
        if (f.getType() != type.clazz()) {
            throw new IllegalArgumentException("field " + owner.getName() + "." + name + " has type " + JType.of(f.getType()) + ", not " + type);
        }
        return f;
    }

    static void requirePublic(Class<?> c) {
        Class<?> outer = c;
        while (outer != null) {
            if (!Modifier.isPublic(outer.getModifiers())) {
                throw new IllegalArgumentException("class " + outer.getName() + " is not public; generated code cannot access it");
            }
            outer = outer.getDeclaringClass();
        }
    }

    private static <E extends Executable> E pick(List<E> named, List<JType> args, String what) {
        List<E> exact = new ArrayList<>();
        List<E> assignable = new ArrayList<>();
        for (E m : named) {
            Class<?>[] params = m.getParameterTypes();
            if (params.length != args.size()) continue;
            boolean isExact = true;
            boolean isAssignable = true;
            for (int i = 0; i < params.length; i++) {
                Class<?> a = args.get(i).clazz();
                if (params[i] != a) isExact = false;
                if (!(params[i] == a || (!params[i].isPrimitive() && !a.isPrimitive() && params[i].isAssignableFrom(a)))) isAssignable = false;
            }
            if (isExact) exact.add(m);
            if (isAssignable) assignable.add(m);
        }
        List<E> chosen = mostSpecificReturn(exact.isEmpty() ? assignable : exact);
        if (chosen.size() == 1) return chosen.getFirst();
        String candidates = named.isEmpty() ? "none with that name" : named.stream().map(Members::signature).distinct().collect(Collectors.joining(", "));
        throw new IllegalArgumentException((chosen.isEmpty() ? "no " : "ambiguous ") + what + "; candidates: " + candidates
                + (chosen.isEmpty() ? ". Convert the arguments to the exact parameter types" : ". Cast the arguments to the exact parameter types"));
    }

    /**
     * Among methods with identical parameter types (covariant bridges, the same method inherited
     * through two interfaces) keeps the one with the most specific return type.
     */
    private static <E extends Executable> List<E> mostSpecificReturn(List<E> ms) {
        List<E> out = new ArrayList<>();
        outer:
        for (E m : ms) {
            for (int i = 0; i < out.size(); i++) {
                E o = out.get(i);
                if (Arrays.equals(o.getParameterTypes(), m.getParameterTypes())) {
                    if (m instanceof Method mm && o instanceof Method om && om.getReturnType().isAssignableFrom(mm.getReturnType())) out.set(i, m);
                    continue outer;
                }
            }
            out.add(m);
        }
        return out;
    }

    private static String signature(Executable m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getTypeName).collect(Collectors.joining(", ", "(", ")"));
    }

    static String describe(List<JType> args) {
        return args.stream().map(JType::javaName).collect(Collectors.joining(", ", "(", ")"));
    }
}
