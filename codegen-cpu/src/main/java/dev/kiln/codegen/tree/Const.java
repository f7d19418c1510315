package dev.kiln.codegen.tree;

import java.util.Map;

/** A literal: an int, long, double, boolean or String. */
public record Const(Object value, JType type) implements JExpr {
    private static final Map<JType, Class<?>> BOXES = Map.of(
            JType.INT, Integer.class, JType.LONG, Long.class, JType.DOUBLE, Double.class,
            JType.BOOLEAN, Boolean.class, JType.STRING, String.class);

    public Const {
        Class<?> box = type == null ? null : BOXES.get(type);
        if (box == null) throw new IllegalArgumentException("Const supports int, long, double, boolean and String, not " + type);
        if (!box.isInstance(value)) {
            throw new IllegalArgumentException("Const of type " + type + " needs a " + box.getSimpleName() + " value, got "
                    + (value == null ? "null (use NullConst)" : value.getClass().getSimpleName()));
        }
    }

    public static Const of(int v) { return new Const(v, JType.INT); }
    public static Const of(long v) { return new Const(v, JType.LONG); }
    public static Const of(double v) { return new Const(v, JType.DOUBLE); }
    public static Const of(boolean v) { return new Const(v, JType.BOOLEAN); }
    public static Const of(String v) { return new Const(v, JType.STRING); }
}
