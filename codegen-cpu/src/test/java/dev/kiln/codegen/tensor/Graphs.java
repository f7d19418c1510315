package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.AutoPad;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds test and benchmark graphs with random weights: a node per call, fresh value names. */
final class Graphs {
    final List<TensorNode> nodes = new ArrayList<>();
    final Map<String, Tensor> inits = new LinkedHashMap<>();
    final Random rnd;
    private int next;

    Graphs(long seed) { rnd = new Random(seed); }

    String fresh(String p) { return p + (next++); }

    Tensor random(float scale, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rnd.nextGaussian() * scale);
        return Tensor.floats(shape, f);
    }

    String weight(float scale, long... shape) {
        String name = fresh("w");
        inits.put(name, random(scale, shape));
        return name;
    }

    String constant(Tensor t) {
        String name = fresh("c");
        inits.put(name, t);
        return name;
    }

    String node(dev.kiln.ir.tensor.TensorOp op, String... in) {
        String out = fresh("v");
        nodes.add(TensorNode.of(fresh("n"), op, List.of(in), List.of(out)));
        return out;
    }

    String binary(BinaryFn fn, String a, String b) { return node(new ElementwiseOp.Binary(fn), a, b); }

    String unary(ElementwiseOp.UnaryFn fn, String a) { return node(new ElementwiseOp.Unary(fn), a); }

    String conv(String x, int cin, int cout, int k, int stride, int group, boolean bias) {
        Window w = Window.kernel(k, k).withStrides(stride, stride).withPads(k / 2, k / 2, k / 2, k / 2);
        String wt = weight((float) Math.sqrt(2.0 / (cin / group * k * k)), cout, cin / group, k, k);
        return bias ? node(new NeuralOp.Conv(w, group), x, wt, weight(0.1f, cout)) : node(new NeuralOp.Conv(w, group), x, wt);
    }

    /** Conv without bias, then BatchNormalization, then Relu: what exporters write for a ResNet-style layer. */
    String convBnRelu(String x, int cin, int cout, int k, int stride, int group) {
        String c = conv(x, cin, cout, k, stride, group, false);
        String bn = node(new NeuralOp.BatchNormalization(1e-5f), c, weight(0.2f, cout), weight(0.1f, cout), weight(0.1f, cout),
                constant(positive(cout)));
        return unary(ElementwiseOp.UnaryFn.RELU, bn);
    }

    Tensor positive(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = 0.5f + rnd.nextFloat();
        return Tensor.floats(new long[] {n}, f);
    }

    TensorGraph graph(String name, TensorValue input, String output, TensorType outType) {
        return new TensorGraph(name, List.of(input), List.of(new TensorValue(output, outType)), nodes, inits);
    }

    /** A small image classifier: conv/bn/relu stages, a depthwise layer, max pool, a SqueezeNet fire module, global pool, Gemm, softmax. */
    static TensorGraph cnn(long seed, int width) {
        Graphs b = new Graphs(seed);
        TensorValue in = new TensorValue("image", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3), Dim.of(width), Dim.of(width))));
        String x = b.convBnRelu("image", 3, 16, 3, 2, 1);
        x = b.node(new NeuralOp.MaxPool(Window.kernel(3, 3).withStrides(2, 2).withPads(1, 1, 1, 1), false), x);
        x = b.convBnRelu(x, 16, 16, 3, 1, 16);
        String squeeze = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), b.conv(x, 16, 8, 1, 1, 1, true));
        String e1 = b.unary(ElementwiseOp.UnaryFn.RELU, b.conv(squeeze, 8, 16, 1, 1, 1, true));
        String e3 = b.node(new ElementwiseOp.Clip(), b.conv(squeeze, 8, 16, 3, 1, 1, true), b.constant(Tensor.scalar(0f)), b.constant(Tensor.scalar(6f)));
        x = b.node(new LayoutOp.Concat(1), e1, e3);
        x = b.node(new NeuralOp.AveragePool(Window.kernel(2, 2).withStrides(2, 2), false, false), x);
        x = b.node(new NeuralOp.GlobalAveragePool(), x);
        x = b.node(new LayoutOp.Flatten(1), x);
        x = b.node(new NeuralOp.Gemm(1f, 1f, false, true), x, b.weight(0.3f, 10, 32), b.weight(0.1f, 10));
        x = b.node(new NeuralOp.Softmax(-1), x);
        return b.graph("cnn", in, x, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(10))));
    }

    /**
     * One BERT encoder layer as exporters write it (opset 13): Q/K/V MatMul + bias Adds, head split by
     * Reshape/Transpose, scaled scores plus a mask, softmax, context, output projection, residual,
     * layer norm as ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add, and an FFN with the erf Gelu written out.
     */
    static TensorGraph bertLayer(long seed, int seq, int hidden, int heads, int ffn) {
        Graphs b = new Graphs(seed);
        int dh = hidden / heads;
        TensorValue in = new TensorValue("hidden", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(seq), Dim.of(hidden))));
        float s = (float) (1 / Math.sqrt(hidden));
        String x = "hidden";
        String[] qkv = new String[3];
        for (int i = 0; i < 3; i++) {
            String p = b.binary(BinaryFn.ADD, b.node(new NeuralOp.MatMul(), x, b.weight(s, hidden, hidden)), b.weight(0.02f, hidden));
            p = b.node(new LayoutOp.Reshape(false), p, b.constant(Tensor.vector(0, seq, heads, dh)));
            qkv[i] = b.node(new LayoutOp.Transpose(i == 1 ? List.of(0L, 2L, 3L, 1L) : List.of(0L, 2L, 1L, 3L)), p);
        }
        String scores = b.node(new NeuralOp.MatMul(), qkv[0], qkv[1]);
        scores = b.binary(BinaryFn.DIV, scores, b.constant(Tensor.scalar((float) Math.sqrt(dh))));
        scores = b.binary(BinaryFn.ADD, scores, b.constant(b.random(0.5f, 1, 1, 1, seq)));
        String probs = b.node(new NeuralOp.Softmax(-1), scores);
        String ctx = b.node(new NeuralOp.MatMul(), probs, qkv[2]);
        ctx = b.node(new LayoutOp.Transpose(List.of(0L, 2L, 1L, 3L)), ctx);
        ctx = b.node(new LayoutOp.Reshape(false), ctx, b.constant(Tensor.vector(0, seq, hidden)));
        String attn = b.binary(BinaryFn.ADD, b.node(new NeuralOp.MatMul(), ctx, b.weight(s, hidden, hidden)), b.weight(0.02f, hidden));
        x = b.layerNorm(b.binary(BinaryFn.ADD, attn, x), hidden);
        String h = b.binary(BinaryFn.ADD, b.node(new NeuralOp.MatMul(), x, b.weight(s, hidden, ffn)), b.weight(0.02f, ffn));
        h = b.geluErf(h);
        String o = b.binary(BinaryFn.ADD, b.node(new NeuralOp.MatMul(), h, b.weight((float) (1 / Math.sqrt(ffn)), ffn, hidden)), b.weight(0.02f, hidden));
        x = b.layerNorm(b.binary(BinaryFn.ADD, o, x), hidden);
        return b.graph("bert_layer", in, x, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(seq), Dim.of(hidden))));
    }

    /** SqueezeNet 1.1's layer sizes (random weights): conv, max pools, eight fire modules, 1x1 classifier conv, global pool. */
    static TensorGraph squeezeNet(long seed) {
        Graphs b = new Graphs(seed);
        TensorValue in = new TensorValue("image", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3), Dim.of(224), Dim.of(224))));
        Window pool = Window.kernel(3, 3).withStrides(2, 2);
        String x = b.unary(ElementwiseOp.UnaryFn.RELU, b.node(new NeuralOp.Conv(Window.kernel(3, 3).withStrides(2, 2), 1), "image",
                b.weight(0.2f, 64, 3, 3, 3), b.weight(0.1f, 64)));
        x = b.node(new NeuralOp.MaxPool(pool, true), x);
        int cin = 64;
        int[][] fires = {{16, 64}, {16, 64}, {0}, {32, 128}, {32, 128}, {0}, {48, 192}, {48, 192}, {64, 256}, {64, 256}};
        for (int[] f : fires) {
            if (f.length == 1) {
                x = b.node(new NeuralOp.MaxPool(pool, true), x);
                continue;
            }
            String sq = b.unary(ElementwiseOp.UnaryFn.RELU, b.conv(x, cin, f[0], 1, 1, 1, true));
            String e1 = b.unary(ElementwiseOp.UnaryFn.RELU, b.conv(sq, f[0], f[1], 1, 1, 1, true));
            String e3 = b.unary(ElementwiseOp.UnaryFn.RELU, b.conv(sq, f[0], f[1], 3, 1, 1, true));
            x = b.node(new LayoutOp.Concat(1), e1, e3);
            cin = 2 * f[1];
        }
        x = b.unary(ElementwiseOp.UnaryFn.RELU, b.conv(x, cin, 1000, 1, 1, 1, true));
        x = b.node(new NeuralOp.GlobalAveragePool(), x);
        x = b.node(new LayoutOp.Flatten(1), x);
        x = b.node(new NeuralOp.Softmax(-1), x);
        return b.graph("squeezenet", in, x, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(1000))));
    }

    String layerNorm(String x, int hidden) {
        String axes = constant(Tensor.vector(-1));
        String mean = node(new ReductionOp.Reduce(ReductionOp.ReduceFn.MEAN, true, false), x, axes);
        String d = binary(BinaryFn.SUB, x, mean);
        String var = node(new ReductionOp.Reduce(ReductionOp.ReduceFn.MEAN, true, false), binary(BinaryFn.POW, d, constant(Tensor.scalar(2f))), axes);
        String std = unary(ElementwiseOp.UnaryFn.SQRT, binary(BinaryFn.ADD, var, constant(Tensor.scalar(1e-12f))));
        return binary(BinaryFn.ADD, binary(BinaryFn.MUL, binary(BinaryFn.DIV, d, std), weight(0.2f, hidden)), weight(0.1f, hidden));
    }

    String geluErf(String x) {
        String e = unary(ElementwiseOp.UnaryFn.ERF, binary(BinaryFn.DIV, x, constant(Tensor.scalar((float) Math.sqrt(2)))));
        return binary(BinaryFn.MUL, binary(BinaryFn.MUL, x, binary(BinaryFn.ADD, e, constant(Tensor.scalar(1f)))), constant(Tensor.scalar(0.5f)));
    }

    static Map<String, long[]> shapes(String name, long... shape) {
        return Map.of(name, shape);
    }

    @SuppressWarnings("unused")
    private static final AutoPad UNUSED = AutoPad.NOTSET;
}
