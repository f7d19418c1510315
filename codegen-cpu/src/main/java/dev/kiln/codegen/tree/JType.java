package dev.kiln.codegen.tree;

/**
 * A JVM type in the code tree: a primitive (including {@code void}) or a reference/array type,
 * always backed by a loaded {@link Class} so both emitters and reflection agree on it.
 * The generated class itself is never a {@code JType}: its members are reached through
 * {@link ThisField}, {@link AssignThisField} and {@link InvokeThis}.
 */
public record JType(Class<?> clazz) {
    public static final JType BOOLEAN = new JType(boolean.class);
    public static final JType BYTE = new JType(byte.class);
    public static final JType SHORT = new JType(short.class);
    public static final JType CHAR = new JType(char.class);
    public static final JType INT = new JType(int.class);
    public static final JType LONG = new JType(long.class);
    public static final JType FLOAT = new JType(float.class);
    public static final JType DOUBLE = new JType(double.class);
    public static final JType VOID = new JType(void.class);
    public static final JType OBJECT = new JType(Object.class);
    public static final JType STRING = new JType(String.class);

    public JType {
        if (clazz == null) throw new IllegalArgumentException("JType needs a class");
        if (!clazz.isPrimitive() && clazz.getCanonicalName() == null) {
            // Hidden, local and anonymous classes cannot be named in Java source.
            throw new IllegalArgumentException("JType " + clazz.getName() + " has no canonical name; generated code can only refer to named classes");
        }
    }

    public static JType of(Class<?> clazz) {
        return new JType(clazz);
    }

    public boolean isPrimitive() {
        return clazz.isPrimitive();
    }

    public boolean isReference() {
        return !clazz.isPrimitive();
    }

    public boolean isArray() {
        return clazz.isArray();
    }

    public boolean isVoid() {
        return clazz == void.class;
    }

    /** Longs and doubles take two local-variable slots and two stack words. */
    public boolean isWide() {
        return clazz == long.class || clazz == double.class;
    }

    /** The element type of an array type. */
    public JType componentType() {
        if (!clazz.isArray()) throw new IllegalArgumentException(javaName() + " is not an array type");
        return new JType(clazz.componentType());
    }

    public JType arrayOf() {
        if (isVoid()) throw new IllegalArgumentException("no array of void");
        return new JType(clazz.arrayType());
    }

    public String descriptor() {
        return clazz.descriptorString();
    }

    /** The JVM internal name of a reference type ({@code java/lang/String}, {@code [J}). */
    public String internalName() {
        if (isPrimitive()) throw new IllegalArgumentException(javaName() + " is primitive and has no internal name");
        return clazz.isArray() ? descriptor() : clazz.getName().replace('.', '/');
    }

    /** The type as written in Java source, fully qualified ({@code java.lang.foreign.ValueLayout.OfInt}, {@code long[]}). */
    public String javaName() {
        return clazz.getCanonicalName();
    }

    /** True when a value of type {@code from} may be stored where this type is expected without a conversion. */
    public boolean isAssignableFrom(JType from) {
        if (equals(from)) return true;
        return isReference() && from.isReference() && clazz.isAssignableFrom(from.clazz);
    }

    @Override
    public String toString() {
        return javaName();
    }
}
