package dev.kiln.codegen.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.FieldDef;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.MethodDef;
import java.util.List;
import java.util.function.Function;

/** Compiles a class with both backends so every test checks them against each other. */
final class Both {
    private Both() {}

    static final String PKG = "dev.kiln.generated.test";

    static <T> List<T> instances(ClassDef def, Class<T> iface) {
        return List.of(instance(def, Backend.ASM, iface), instance(def, Backend.JANINO, iface));
    }

    static <T> T instance(ClassDef def, Backend backend, Class<T> iface) {
        try {
            Class<?> c = ClassCompiler.compile(def, backend, Both.class.getClassLoader());
            return iface.cast(c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that both backends compute {@code expected}. */
    static <T, R> void check(ClassDef def, Class<T> iface, Function<T, R> call, R expected) {
        List<T> fns = instances(def, iface);
        assertEquals(expected, call.apply(fns.get(0)), "ASM backend");
        assertEquals(expected, call.apply(fns.get(1)), "Janino backend");
    }

    static ClassDef cls(String name, Class<?> iface, List<FieldDef> fields, MethodDef... methods) {
        return new ClassDef(name, PKG, Object.class, List.of(iface), fields, List.of(methods));
    }

    static ClassDef cls(String name, Class<?> iface, MethodDef... methods) {
        return cls(name, iface, List.of(), methods);
    }

    static MethodDef method(String name, JType ret, List<LocalVar> params, Block body) {
        return new MethodDef(name, ret, params, body, true);
    }

    static LocalVar v(String name, JType t) {
        return new LocalVar(name, t);
    }
}
