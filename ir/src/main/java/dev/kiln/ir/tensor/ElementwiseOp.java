package dev.kiln.ir.tensor;

/** Operators computed element by element (with numpy broadcasting where they take several inputs). */
public sealed interface ElementwiseOp extends TensorOp {
    /** One input, one output of the same shape. */
    record Unary(UnaryFn fn) implements ElementwiseOp {
        @Override public String opName() { return fn.onnxName(); }
    }

    /** x &lt; 0 ? alpha * x : x. */
    record LeakyRelu(float alpha) implements ElementwiseOp {}

    /** max(0, min(1, alpha * x + beta)). */
    record HardSigmoid(float alpha, float beta) implements ElementwiseOp {}

    record Gelu(GeluApproximation approximate) implements ElementwiseOp {}

    /** Inputs x, optional min, optional max (scalars); an absent limit does not clip. */
    record Clip() implements ElementwiseOp {}

    /** Two inputs broadcast against each other. */
    record Binary(BinaryFn fn) implements ElementwiseOp {
        @Override public String opName() { return fn.onnxName(); }
    }

    /** One or more inputs broadcast against each other. */
    record Variadic(VariadicFn fn) implements ElementwiseOp {
        @Override public String opName() { return fn.onnxName(); }
    }

    /** Inputs condition (BOOL), X, Y, all broadcast. */
    record Where() implements ElementwiseOp {}

    /** Float to integer truncates toward zero; integer to narrower integer wraps; to BOOL is "not zero". */
    record Cast(ElementType to) implements ElementwiseOp {}

    record Identity() implements ElementwiseOp {}

    enum GeluApproximation { NONE, TANH }

    enum UnaryFn {
        RELU("Relu"), SIGMOID("Sigmoid"), TANH("Tanh"), ERF("Erf"), EXP("Exp"), LOG("Log"), SQRT("Sqrt"),
        NEG("Neg"), ABS("Abs"), RECIPROCAL("Reciprocal"), FLOOR("Floor"), CEIL("Ceil"), ROUND("Round"),
        SIGN("Sign"), SIN("Sin"), COS("Cos"), HARD_SWISH("HardSwish"), SOFTPLUS("Softplus"), NOT("Not");

        private final String onnxName;
        UnaryFn(String onnxName) { this.onnxName = onnxName; }
        public String onnxName() { return onnxName; }
    }

    enum BinaryFn {
        ADD("Add"), SUB("Sub"), MUL("Mul"), DIV("Div"), POW("Pow"),
        EQUAL("Equal"), LESS("Less"), GREATER("Greater"), LESS_OR_EQUAL("LessOrEqual"), GREATER_OR_EQUAL("GreaterOrEqual"),
        AND("And"), OR("Or"), XOR("Xor");

        private final String onnxName;
        BinaryFn(String onnxName) { this.onnxName = onnxName; }
        public String onnxName() { return onnxName; }
        public boolean isComparison() { return ordinal() >= EQUAL.ordinal() && ordinal() <= GREATER_OR_EQUAL.ordinal(); }
        public boolean isLogical() { return this == AND || this == OR || this == XOR; }
    }

    enum VariadicFn {
        SUM("Sum"), MEAN("Mean"), MAX("Max"), MIN("Min");

        private final String onnxName;
        VariadicFn(String onnxName) { this.onnxName = onnxName; }
        public String onnxName() { return onnxName; }
    }
}
