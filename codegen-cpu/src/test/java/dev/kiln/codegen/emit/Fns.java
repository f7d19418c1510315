package dev.kiln.codegen.emit;

/** Small interfaces that generated test classes implement, so tests call them without reflection. */
public final class Fns {
    private Fns() {}

    public interface LongFn {
        long apply(long a, long b);
    }

    public interface IntFn {
        int apply(int a, int b);
    }

    public interface DoubleCmp {
        boolean test(double a, double b);
    }

    public interface StrFn {
        String get();
    }

    public interface ObjFn {
        Object apply(Object o);
    }

    /** One method per result type, all over the same eight inputs (used by the property test). */
    public interface ExprFn {
        long l(long a, long b, int i, int j, double x, double y, boolean p, boolean q);

        int i(long a, long b, int i, int j, double x, double y, boolean p, boolean q);

        double d(long a, long b, int i, int j, double x, double y, boolean p, boolean q);

        boolean z(long a, long b, int i, int j, double x, double y, boolean p, boolean q);
    }

    /** A superclass with an abstract method to override and a public field to read. */
    public abstract static class Base {
        public long counter = 7;

        public abstract long run(long n);

        public static final String GREETING = "hi";
    }

    /** A tiny mutable holder, for instance calls and field reads on a library object. */
    public static final class Box {
        public long value;

        public Box(long value) {
            this.value = value;
        }

        public Box add(long d) {
            value += d;
            return this;
        }

        public long get() {
            return value;
        }
    }
}
