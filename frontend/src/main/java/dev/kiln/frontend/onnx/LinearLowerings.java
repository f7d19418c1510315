package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorOp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The linear regression of ONNX's {@code ai.onnx.ml} domain (LinearRegressor, opset 1), as
 * scikit-learn's converter writes LinearRegression, Ridge, Lasso and their kin, lowered to the
 * tensor ops it means: Y = X · coefficientsᵀ + intercepts over X [N, C] (cast to float32 as ONNX
 * Runtime computes it), then the post transform (NONE, LOGISTIC, SOFTMAX over the targets; none for
 * a single target, as ONNX Runtime applies them). Being a MatMul and an Add, it is inlined into SQL
 * like any small linear model.
 */
final class LinearLowerings {
    private LinearLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        ops.put("LinearRegressor", LinearLowerings::regressor);
    }

    private static void regressor(ImportNode n) {
        float[] coef = floats(n, "coefficients").orElseThrow(() -> n.fail("attribute coefficients must be given"));
        float[] intercepts = floats(n, "intercepts").orElse(new float[0]);
        long targets = n.i("targets", 1);
        String post = n.s("post_transform", "NONE");
        if (targets < 1) throw n.fail("attribute targets must be positive, not " + targets);
        if (coef.length == 0 || coef.length % targets != 0) {
            throw n.fail("attribute coefficients has " + coef.length + " entries, not a positive multiple of its " + targets + " targets");
        }
        int t = (int) targets, c = coef.length / t;
        if (intercepts.length != 0 && intercepts.length != t) throw n.fail("attribute intercepts has " + intercepts.length + " entries where " + t + " are needed");
        var x = n.inputType(0);
        if (x.rank() != 2) throw n.fail("input X must be [N, C] (rank 2), not " + x);
        if (x.shape().dim(1) instanceof dev.kiln.ir.tensor.Dim.Fixed f && f.size() != c) {
            throw n.fail("input X has " + f.size() + " features where the coefficients give " + c + " per target");
        }
        if (!List.of("NONE", "LOGISTIC", "SOFTMAX").contains(post)) {
            throw n.fail("post_transform '" + post + "' is not supported; Kiln takes NONE, LOGISTIC, SOFTMAX");
        }
        String in = n.requiredInput(0);
        if (x.element() != ElementType.FLOAT32) {
            if (!x.element().isFloating() && x.element() != ElementType.INT64 && x.element() != ElementType.INT32) {
                throw n.fail("input X is " + x.element() + "; LinearRegressor takes float, double, int64 or int32");
            }
            in = n.helper(new ElementwiseOp.Cast(ElementType.FLOAT32), List.of(Optional.of(in)), "x_float");
        }
        // coefficients [targets, C] row-major; the MatMul's right operand is their transpose [C, targets]
        float[] w = new float[coef.length];
        for (int j = 0; j < t; j++) {
            for (int i = 0; i < c; i++) w[i * t + j] = coef[j * c + i];
        }
        String weights = n.constant("coefficients", Tensor.floats(new long[] {c, t}, w));
        java.util.ArrayList<TensorOp> ops = new java.util.ArrayList<>();
        java.util.ArrayList<List<Optional<String>>> args = new java.util.ArrayList<>();
        ops.add(new NeuralOp.MatMul());
        args.add(List.of(Optional.of(in), Optional.of(weights)));
        if (intercepts.length > 0) {
            ops.add(new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.ADD));
            args.add(List.of(Optional.empty(), Optional.of(n.constant("intercepts", Tensor.floats(new long[] {t}, intercepts)))));
        }
        // a single target takes no post transform: ONNX Runtime applies LOGISTIC and SOFTMAX only over two targets or more
        switch (t == 1 ? "NONE" : post) {
            case "LOGISTIC" -> ops.add(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.SIGMOID));
            case "SOFTMAX" -> ops.add(new NeuralOp.Softmax(-1));
            default -> { }
        }
        while (args.size() < ops.size()) args.add(List.of(Optional.empty()));
        // each op reads the one before (the empty argument), the last writes the node's output
        String value = null;
        for (int k = 0; k < ops.size(); k++) {
            List<Optional<String>> a = new java.util.ArrayList<>(args.get(k));
            if (k > 0) a.set(0, Optional.of(value));
            if (k == ops.size() - 1) n.emit(ops.get(k), a, List.of(n.output0()));
            else value = n.helper(ops.get(k), a, "y" + k);
        }
    }

    private static Optional<float[]> floats(ImportNode n, String attr) {
        return n.optionalFloats(attr).map(l -> {
            float[] f = new float[l.size()];
            for (int i = 0; i < f.length; i++) f[i] = l.get(i);
            return f;
        });
    }
}
