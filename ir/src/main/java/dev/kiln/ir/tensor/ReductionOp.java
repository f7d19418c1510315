package dev.kiln.ir.tensor;

/** Operators that fold an axis. */
public sealed interface ReductionOp extends TensorOp {
    /**
     * Inputs data, optional axes (INT64). Without axes (or with an empty one) every axis is reduced,
     * unless {@code noopWithEmptyAxes}, which makes the op an identity.
     */
    record Reduce(ReduceFn fn, boolean keepDims, boolean noopWithEmptyAxes) implements ReductionOp {
        @Override public String opName() { return fn.onnxName(); }
    }

    /** INT64 index of the largest element; ties give the first index unless {@code selectLastIndex}. */
    record ArgMax(long axis, boolean keepDims, boolean selectLastIndex) implements ReductionOp {}

    /** Inputs X, K (1-element INT64); outputs Values and Indices. Ties keep the lower index first. */
    record TopK(long axis, boolean largest, boolean sorted) implements ReductionOp {}

    enum ReduceFn {
        SUM("ReduceSum"), MEAN("ReduceMean"), MAX("ReduceMax"), MIN("ReduceMin"), PROD("ReduceProd");

        private final String onnxName;
        ReduceFn(String onnxName) { this.onnxName = onnxName; }
        public String onnxName() { return onnxName; }
    }
}
