package dev.kiln.codegen.emit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines generated classes. It is child-first only for the names it defined itself, so a
 * generated class always sees itself and everything else (Kiln, the JDK, test interfaces) comes
 * from the parent loader.
 */
public final class GeneratedClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, Class<?>> defined = new ConcurrentHashMap<>();

    public GeneratedClassLoader(ClassLoader parent) {
        super("kiln-generated", parent);
    }

    /** Defines {@code fqcn} from class-file bytes; each name can be defined once per loader. */
    public Class<?> define(String fqcn, byte[] bytes) {
        synchronized (getClassLoadingLock(fqcn)) {
            if (defined.containsKey(fqcn)) throw new IllegalStateException("class " + fqcn + " is already defined in this loader");
            Class<?> c = defineClass(fqcn, bytes, 0, bytes.length);
            defined.put(fqcn, c);
            return c;
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> c = defined.get(name);
        if (c != null) return c;
        return super.loadClass(name, resolve);
    }
}
