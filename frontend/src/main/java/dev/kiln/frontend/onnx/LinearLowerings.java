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
 * The linear models of ONNX's {@code ai.onnx.ml} domain, lowered to the tensor ops they mean.
 * LinearRegressor (opset 1), as scikit-learn's converter writes LinearRegression, Ridge, Lasso and
 * their kin: Y = X · coefficientsᵀ + intercepts over X [N, C] (cast to float32 as ONNX
 * Runtime computes it), then the post transform (NONE, LOGISTIC, SOFTMAX over the targets; none for
 * a single target, as ONNX Runtime applies them). Being a MatMul and an Add, it is inlined into SQL
 * like any small linear model. LinearClassifier: see {@link #classifier}.
 */
final class LinearLowerings {
    private LinearLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        ops.put("LinearRegressor", LinearLowerings::regressor);
        ops.put("LinearClassifier", LinearLowerings::classifier);
    }

    /** The scores X · coefficientsᵀ + intercepts of a linear model, [N, targets], and the targets. */
    private record Scores(String value, int targets) {}

    /**
     * X [N, C] (cast to float32, as ONNX Runtime computes) times the transposed coefficients
     * [targets, C], plus the intercepts: a MatMul and an Add, the last of them writing
     * {@code into} when given (an output the scores are as they are).
     */
    private static Scores scores(ImportNode n, float[] coef, float[] intercepts, int t, Optional<String> into) {
        if (coef.length == 0 || coef.length % t != 0) {
            throw n.fail("attribute coefficients has " + coef.length + " entries, not a positive multiple of its " + t + " targets");
        }
        int c = coef.length / t;
        if (intercepts.length != 0 && intercepts.length != t) throw n.fail("attribute intercepts has " + intercepts.length + " entries where " + t + " are needed");
        var x = n.inputType(0);
        if (x.rank() != 2) throw n.fail("input X must be [N, C] (rank 2), not " + x);
        if (x.shape().dim(1) instanceof dev.kiln.ir.tensor.Dim.Fixed f && f.size() != c) {
            throw n.fail("input X has " + f.size() + " features where the coefficients give " + c + " per target");
        }
        String in = n.requiredInput(0);
        if (x.element() != ElementType.FLOAT32) {
            if (!x.element().isFloating() && x.element() != ElementType.INT64 && x.element() != ElementType.INT32) {
                throw n.fail("input X is " + x.element() + "; " + n.opType() + " takes float, double, int64 or int32");
            }
            in = n.helper(new ElementwiseOp.Cast(ElementType.FLOAT32), List.of(Optional.of(in)), "x_float");
        }
        // coefficients [targets, C] row-major; the MatMul's right operand is their transpose [C, targets]
        float[] w = new float[coef.length];
        for (int j = 0; j < t; j++) {
            for (int i = 0; i < c; i++) w[i * t + j] = coef[j * c + i];
        }
        String weights = n.constant("coefficients", Tensor.floats(new long[] {c, t}, w));
        List<Optional<String>> product = List.of(Optional.of(in), Optional.of(weights));
        if (intercepts.length == 0) return new Scores(emit(n, new NeuralOp.MatMul(), product, "scores", into), t);
        String y = n.helper(new NeuralOp.MatMul(), product, "scores");
        String b = n.constant("intercepts", Tensor.floats(new long[] {t}, intercepts));
        return new Scores(emit(n, new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.ADD), List.of(Optional.of(y), Optional.of(b)), "scores_b", into), t);
    }

    /** One node into {@code into}, or into a fresh helper value named after {@code hint}; the value's name. */
    private static String emit(ImportNode n, TensorOp op, List<Optional<String>> inputs, String hint, Optional<String> into) {
        if (into.isEmpty()) return n.helper(op, inputs, hint);
        n.emit(op, inputs, List.of(into.get()));
        return into.get();
    }

    private static void regressor(ImportNode n) {
        float[] coef = floats(n, "coefficients").orElseThrow(() -> n.fail("attribute coefficients must be given"));
        float[] intercepts = floats(n, "intercepts").orElse(new float[0]);
        long targets = n.i("targets", 1);
        String post = n.s("post_transform", "NONE");
        if (targets < 1) throw n.fail("attribute targets must be positive, not " + targets);
        if (!List.of("NONE", "LOGISTIC", "SOFTMAX").contains(post)) {
            throw n.fail("post_transform '" + post + "' is not supported; Kiln takes NONE, LOGISTIC, SOFTMAX");
        }
        // a single target takes no post transform: ONNX Runtime applies LOGISTIC and SOFTMAX only over two targets or more
        boolean transformed = targets > 1 && !post.equals("NONE");
        Scores y = scores(n, coef, intercepts, (int) targets, transformed ? Optional.empty() : Optional.of(n.output0()));
        if (transformed) postTransform(n, post, y.value(), n.output0());
    }

    /** {@code out} = the post transform of {@code value}: Sigmoid, or Softmax over the last axis. */
    private static void postTransform(ImportNode n, String post, String value, String out) {
        TensorOp op = post.equals("LOGISTIC") ? new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.SIGMOID) : new NeuralOp.Softmax(-1);
        n.emit(op, List.of(Optional.of(value)), List.of(out));
    }

    /**
     * LinearClassifier (opset 1), as scikit-learn's converter writes LogisticRegression,
     * LinearSVC, SGDClassifier and their kin, with ONNX Runtime's rules: the scores S = X ·
     * coefficientsᵀ + intercepts over as many classes as there are intercepts; with several, the
     * label is the class of the first largest raw score and Z the post transform of S (NONE,
     * LOGISTIC, SOFTMAX); with one, the label is the second class where S &gt; 0 (class labels 1
     * and 0 unless two are given) and Z is S, or [1 - S, S] when two labels are given - the post
     * transform left out, as ONNX Runtime leaves it out for a single score.
     */
    private static void classifier(ImportNode n) {
        float[] coef = floats(n, "coefficients").orElseThrow(() -> n.fail("attribute coefficients must be given"));
        float[] intercepts = floats(n, "intercepts").orElse(new float[0]);
        if (intercepts.length == 0) throw n.fail("attribute intercepts must be given: ONNX Runtime counts the classes by them");
        String post = n.s("post_transform", "NONE");
        if (!List.of("NONE", "LOGISTIC", "SOFTMAX").contains(post)) {
            throw n.fail("post_transform '" + post + "' is not supported; Kiln takes NONE, LOGISTIC, SOFTMAX");
        }
        n.ignore("multi_class"); // ONNX Runtime reads it and does nothing with it
        List<Long> ints = n.ints("classlabels_ints");
        List<String> strings = n.strings("classlabels_strings");
        if (!ints.isEmpty() && !strings.isEmpty()) throw n.fail("only one of classlabels_ints and classlabels_strings may be given");
        int classes = intercepts.length;
        int labelCount = strings.isEmpty() ? ints.size() : strings.size();
        if (classes > 1 && labelCount != classes) throw n.fail(classes + " classes (intercepts) need as many class labels, not " + labelCount);
        // Z is the raw scores with several classes and no post transform, or with one score and other than two labels
        boolean rawZ = classes > 1 ? post.equals("NONE") : labelCount != 2;
        Scores s = scores(n, coef, intercepts, classes, rawZ ? n.output(1) : Optional.empty());
        String pick = s.value();
        if (classes == 1) {
            // one score: the positive class where it is above 0, i.e. the larger of [-S, S] (the first where equal); labels 0 and 1 unless two are given
            if (labelCount != 2) {
                ints = List.of(0L, 1L);
                strings = strings.isEmpty() ? List.of() : List.of("0", "1");
            }
            String neg = n.helper(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.NEG), List.of(Optional.of(s.value())), "negated");
            pick = n.helper(new dev.kiln.ir.tensor.LayoutOp.Concat(1), List.of(Optional.of(neg), Optional.of(s.value())), "sides");
        }
        Tensor labels = strings.isEmpty() ? Tensor.int64(new long[] {ints.size()}, ints.stream().mapToLong(Long::longValue).toArray())
                : Tensor.strings(new long[] {strings.size()}, strings.toArray(String[]::new));
        String index = n.helper(new dev.kiln.ir.tensor.ReductionOp.ArgMax(1, false, false), List.of(Optional.of(pick)), "class");
        n.emit(new dev.kiln.ir.tensor.LayoutOp.Gather(0), List.of(Optional.of(n.constant("labels", labels)), Optional.of(index)), List.of(n.output0()));
        if (n.output(1).isEmpty() || rawZ) return;
        if (classes > 1) {
            postTransform(n, post, s.value(), n.output(1).get());
        } else {
            // one score and two labels: [1 - S, S]
            String one = n.constant("one", Tensor.scalar(1f));
            String rest = n.helper(new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.SUB), List.of(Optional.of(one), Optional.of(s.value())), "one_minus");
            n.emit(new dev.kiln.ir.tensor.LayoutOp.Concat(1), List.of(Optional.of(rest), Optional.of(s.value())), List.of(n.output(1).get()));
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
