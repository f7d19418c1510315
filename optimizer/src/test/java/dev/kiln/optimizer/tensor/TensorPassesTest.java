package dev.kiln.optimizer.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOp;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.Window;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Each pass on a graph made for it, with random weights and inputs: the pass must change the
 * graph (so a pass that silently does nothing fails), and the interpreter must give the same
 * outputs before and after (within 1e-4 relative: folded weights are rounded once to float32).
 */
class TensorPassesTest {
    static final class B {
        final List<TensorNode> nodes = new ArrayList<>();
        final Map<String, Tensor> inits = new LinkedHashMap<>();
        final Random rnd;
        int next;

        B(long seed) { rnd = new Random(seed); }

        Tensor rand(long... shape) {
            int n = 1;
            for (long d : shape) n *= (int) d;
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = (float) rnd.nextGaussian();
            return Tensor.floats(shape, f);
        }

        String init(Tensor t) { String n = "c" + next++; inits.put(n, t); return n; }
        String w(long... shape) { return init(rand(shape)); }

        String node(TensorOp op, String... in) {
            String out = "v" + next++;
            nodes.add(TensorNode.of("n" + next++, op, List.of(in), List.of(out)));
            return out;
        }

        TensorGraph graph(long[] inShape, String out, int outRank) {
            long[] dims = new long[outRank];
            TensorValue o = new TensorValue(out, new TensorType(ElementType.FLOAT32, dev.kiln.ir.tensor.TensorShape.of(
                    java.util.stream.IntStream.range(0, outRank).mapToObj(i -> dev.kiln.ir.tensor.Dim.symbol("o" + i)).toArray(dev.kiln.ir.tensor.Dim[]::new))));
            return new TensorGraph("g", List.of(new TensorValue("x", TensorType.of(ElementType.FLOAT32, inShape))), List.of(o), nodes, inits);
        }
    }

    static void assertSameResults(TensorGraph before, TensorGraph after, Tensor x) {
        assertNotEquals(before, after, "the pass changed nothing");
        Tensor want = TensorInterpreter.run(before, Map.of("x", x)).values().iterator().next();
        Tensor got = TensorInterpreter.run(after, Map.of("x", x)).values().iterator().next();
        assertArrayEquals(want.shape(), got.shape());
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i), g = got.getDouble(i);
            assertTrue(Math.abs(w - g) <= 1e-4 * (1 + Math.abs(w)), "element " + i + ": " + g + " vs " + w);
        }
    }

    static long count(TensorGraph g, Class<?> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).count();
    }

    @Property(tries = 6)
    void writtenOutLayerNormIsRecognized(@ForAll long seed) {
        // BERT's LayerNorm before opset 17, twice: with Pow(d, 2) and with d * d; a third with a constant over the wrong axis stays
        B b = new B(seed);
        String y = "x";
        for (int i = 0; i < 3; i++) {
            String axes = b.init(Tensor.vector(-1));
            String mean = b.node(new dev.kiln.ir.tensor.ReductionOp.Reduce(dev.kiln.ir.tensor.ReductionOp.ReduceFn.MEAN, true, false), y, axes);
            String d = b.node(new ElementwiseOp.Binary(BinaryFn.SUB), y, mean);
            String sq = i == 1 ? b.node(new ElementwiseOp.Binary(BinaryFn.MUL), d, d) : b.node(new ElementwiseOp.Binary(BinaryFn.POW), d, b.init(Tensor.scalar(2f)));
            String var = b.node(new dev.kiln.ir.tensor.ReductionOp.Reduce(dev.kiln.ir.tensor.ReductionOp.ReduceFn.MEAN, true, false), sq, b.init(Tensor.vector(-1)));
            String sd = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.SQRT), b.node(new ElementwiseOp.Binary(BinaryFn.ADD), var, b.init(Tensor.scalar(1e-12f))));
            String n = b.node(new ElementwiseOp.Binary(BinaryFn.DIV), d, sd);
            String gamma = i == 2 ? b.w(3, 1) : b.w(8);
            y = b.node(new ElementwiseOp.Binary(BinaryFn.ADD), b.node(new ElementwiseOp.Binary(BinaryFn.MUL), gamma, n), b.w(8));
        }
        TensorGraph g = b.graph(new long[] {3, 8}, y, 2);
        TensorGraph after = new RecognizeLayerNorm().apply(g);
        assertEquals(2, count(after, NeuralOp.LayerNormalization.class), dev.kiln.ir.tensor.TensorGraphPrinter.print(after));
        assertEquals(g.nodes().size() - 16, after.nodes().size(), "nine nodes become one, twice");
        assertSameResults(g, after, b.rand(3, 8));
    }

    @Property(tries = 6)
    void zeroPadFoldsIntoTheConvAfterIt(@ForAll long seed) {
        // a zero Pad (Keras' ZeroPadding2D) before a strided conv that pads too; a Pad of value 1 and an edge Pad stay
        B b = new B(seed);
        String p = b.node(new LayoutOp.Pad(LayoutOp.PadMode.CONSTANT), "x", b.init(Tensor.vector(0, 0, 0, 1, 0, 0, 1, 2)));
        String c = b.node(new NeuralOp.Conv(Window.kernel(3, 3).withStrides(2, 2).withPads(1, 0, 0, 1), 1), p, b.w(3, 2, 3, 3));
        String ones = b.node(new LayoutOp.Pad(LayoutOp.PadMode.CONSTANT), c, b.init(Tensor.vector(0, 0, 1, 1, 0, 0, 1, 1)), b.init(Tensor.scalar(1f)));
        String c2 = b.node(new NeuralOp.Conv(Window.kernel(3, 3), 1), ones, b.w(2, 3, 3, 3));
        String edge = b.node(new LayoutOp.Pad(LayoutOp.PadMode.EDGE), c2, b.init(Tensor.vector(0, 0, 1, 1, 0, 0, 1, 1)));
        String c3 = b.node(new NeuralOp.Conv(Window.kernel(3, 3), 1), edge, b.w(2, 2, 3, 3));
        TensorGraph g = b.graph(new long[] {2, 2, 7, 9}, c3, 4);
        TensorGraph after = new FoldPadIntoConv().apply(g);
        assertEquals(2, count(after, LayoutOp.Pad.class), "only the zero pad folds");
        assertEquals(new Window(dev.kiln.ir.tensor.AutoPad.NOTSET, List.of(3L, 3L), List.of(2L, 2L), List.of(1L, 1L, 1L, 3L), List.of()),
                ((NeuralOp.Conv) after.nodes().getFirst().op()).window());
        assertSameResults(g, after, b.rand(2, 2, 7, 9));
    }

    @Property(tries = 8)
    void batchNormFoldsIntoConvConvTransposeAndGemm(@ForAll long seed) {
        B b = new B(seed);
        String bn = "bn";
        String c = b.node(new NeuralOp.Conv(Window.kernel(3, 3).withPads(1, 1, 1, 1), 2), "x", b.w(4, 2, 3, 3), b.w(4));
        c = b.node(new NeuralOp.BatchNormalization(1e-3f), c, b.w(4), b.w(4), b.w(4), b.init(Tensor.floats(new long[] {4}, 0.5f, 1, 2, 3)));
        String t = b.node(new NeuralOp.ConvTranspose(Window.kernel(2, 2).withStrides(2, 2), 2, List.of(), List.of()), c, b.w(4, 3, 2, 2));
        t = b.node(new NeuralOp.BatchNormalization(1e-5f), t, b.w(6), b.w(6), b.w(6), b.init(Tensor.floats(new long[] {6}, 1, 2, 3, 1, 2, 3)));
        String f = b.node(new LayoutOp.Flatten(1), t);
        String gm = b.node(new NeuralOp.Gemm(0.5f, 2f, false, true), f, b.w(5, 6 * 8 * 8), b.w(5));
        gm = b.node(new NeuralOp.BatchNormalization(1e-5f), gm, b.w(5), b.w(5), b.w(5), b.init(Tensor.floats(new long[] {5}, 1, 2, 3, 4, 5)));
        TensorGraph g = b.graph(new long[] {2, 4, 4, 4}, gm, 2);
        TensorGraph after = new FoldBatchNorm().apply(g);
        assertEquals(0, count(after, NeuralOp.BatchNormalization.class));
        assertSameResults(g, new EliminateDeadNodes().apply(after), b.rand(2, 4, 4, 4));
    }

    @Property(tries = 8)
    void biasAndActivationsFuseIntoConvGemmAndMatMul(@ForAll long seed) {
        B b = new B(seed);
        String c = b.node(new NeuralOp.Conv(Window.kernel(1, 1), 1), "x", b.w(6, 4, 1, 1));
        c = b.node(new ElementwiseOp.Binary(BinaryFn.ADD), c, b.w(6, 1, 1));
        c = b.node(new ElementwiseOp.Clip(), c, b.init(Tensor.scalar(-0.5f)), b.init(Tensor.scalar(0.7f)));
        String d = b.node(new NeuralOp.Conv(Window.kernel(3, 3).withPads(1, 1, 1, 1), 6), c, b.w(6, 1, 3, 3), b.w(6));
        d = b.node(new ElementwiseOp.HardSigmoid(0.3f, 0.4f), d);
        String m = b.node(new NeuralOp.MatMul(), d, b.w(5, 7));
        m = b.node(new ElementwiseOp.Binary(BinaryFn.ADD), b.w(7), m);
        m = b.node(new ElementwiseOp.Gelu(ElementwiseOp.GeluApproximation.TANH), m);
        String f = b.node(new LayoutOp.Reshape(false), m, b.init(Tensor.vector(2, -1)));
        String gm = b.node(new NeuralOp.Gemm(1f, 1f, false, false), f, b.w(6 * 5 * 7, 3), b.w(3));
        gm = b.node(new ElementwiseOp.LeakyRelu(0.1f), gm);
        TensorGraph g = b.graph(new long[] {2, 4, 5, 5}, gm, 2);
        TensorGraph after = new FuseBiasActivation().apply(g);
        assertEquals(2, count(after, FusedOp.ConvActivation.class));
        assertEquals(1, count(after, FusedOp.MatMulBias.class));
        assertEquals(1, count(after, FusedOp.GemmActivation.class));
        assertEquals(5, after.nodes().size(), "only the reshape and its four fused neighbours are left");
        assertSameResults(g, after, b.rand(2, 4, 5, 5));
    }

    @Property(tries = 8)
    void scalarStepsAroundAnActivationFuseIntoTheConvAsAChain(@ForAll long seed) {
        // PP-OCRv4's learnable affine maps around its activations (a·x + b, HardSwish, c·x + d), with a constant first in
        // Mul and Sub; a per-channel Mul after them is not a scalar step and stays a node
        B b = new B(seed);
        String c = b.node(new NeuralOp.Conv(Window.kernel(3, 3).withPads(1, 1, 1, 1), 1), "x", b.w(5, 4, 3, 3), b.w(5));
        c = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), b.init(Tensor.floats(new long[] {1}, 1.9f)), c);
        c = b.node(new ElementwiseOp.Binary(BinaryFn.ADD), c, b.init(Tensor.floats(new long[] {1}, 0.8f)));
        c = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.HARD_SWISH), c);
        c = b.node(new ElementwiseOp.Binary(BinaryFn.SUB), b.init(Tensor.scalar(0.6f)), c);
        c = b.node(new ElementwiseOp.Binary(BinaryFn.DIV), c, b.init(Tensor.scalar(1.7f)));
        String out = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), c, b.w(5, 1, 1));
        TensorGraph g = b.graph(new long[] {2, 4, 6, 7}, out, 4);
        TensorGraph after = new FuseBiasActivation().apply(g);
        assertEquals(2, after.nodes().size(), dev.kiln.ir.tensor.TensorGraphPrinter.print(after));
        var conv = (FusedOp.ConvActivation) after.nodes().getFirst().op();
        assertEquals(new dev.kiln.ir.tensor.Activation.Chain(List.of(new dev.kiln.ir.tensor.Activation.Scalar(BinaryFn.MUL, 1.9f, true),
                new dev.kiln.ir.tensor.Activation.Scalar(BinaryFn.ADD, 0.8f, false), new dev.kiln.ir.tensor.Activation.HardSwish(),
                new dev.kiln.ir.tensor.Activation.Scalar(BinaryFn.SUB, 0.6f, true), new dev.kiln.ir.tensor.Activation.Scalar(BinaryFn.DIV, 1.7f, false))),
                conv.activation());
        assertSameResults(g, after, b.rand(2, 4, 6, 7));
    }

    @Property(tries = 8)
    void writtenOutGeluIsRecognizedAndChainsFuseWithBroadcasting(@ForAll long seed) {
        B b = new B(seed);
        String x = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), "x", b.w(1, 5));
        String e = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.ERF), b.node(new ElementwiseOp.Binary(BinaryFn.DIV), x, b.init(Tensor.scalar((float) Math.sqrt(2)))));
        String gelu = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), b.node(new ElementwiseOp.Binary(BinaryFn.MUL), x,
                b.node(new ElementwiseOp.Binary(BinaryFn.ADD), e, b.init(Tensor.scalar(1f)))), b.init(Tensor.scalar(0.5f)));
        String s = b.node(new ElementwiseOp.Binary(BinaryFn.SUB), gelu, b.w(3, 1));
        String sq = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), s, s);
        String out = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.TANH), b.node(new ElementwiseOp.Binary(BinaryFn.ADD), sq, s));
        TensorGraph g = b.graph(new long[] {3, 5}, out, 2);
        TensorGraph gelus = new RecognizeActivations().apply(g);
        assertEquals(1, count(gelus, ElementwiseOp.Gelu.class));
        assertSameResults(g, gelus, b.rand(3, 5));
        TensorGraph chained = new FuseElementwiseChains().apply(gelus);
        assertEquals(1, chained.nodes().size(), "one loop: " + dev.kiln.ir.tensor.TensorGraphPrinter.print(chained));
        assertSameResults(g, chained, b.rand(3, 5));
    }

    @Property(tries = 8)
    void writtenOutHardSwishIsRecognizedAndFusesIntoTheMatMul(@ForAll long seed) {
        // x · clip(x + 3, 0, 6) / 6 after one MatMul, x · HardSigmoid(x) (alpha 1/6, beta 0.5) after another
        B b = new B(seed);
        String x = b.node(new NeuralOp.MatMul(), "x", b.w(4, 6));
        String clipped = b.node(new ElementwiseOp.Clip(), b.node(new ElementwiseOp.Binary(BinaryFn.ADD), b.init(Tensor.scalar(3f)), x),
                b.init(Tensor.scalar(0f)), b.init(Tensor.scalar(6f)));
        String hs1 = b.node(new ElementwiseOp.Binary(BinaryFn.DIV), b.node(new ElementwiseOp.Binary(BinaryFn.MUL), x, clipped), b.init(Tensor.scalar(6f)));
        String z = b.node(new NeuralOp.MatMul(), hs1, b.w(6, 5));
        String hs2 = b.node(new ElementwiseOp.Binary(BinaryFn.MUL), b.node(new ElementwiseOp.HardSigmoid(1f / 6f, 0.5f), z), z);
        // a near miss stays as it is: clip(x + 3, 0, 5)
        String near = b.node(new ElementwiseOp.Binary(BinaryFn.DIV), b.node(new ElementwiseOp.Binary(BinaryFn.MUL), hs2, b.node(new ElementwiseOp.Clip(),
                b.node(new ElementwiseOp.Binary(BinaryFn.ADD), hs2, b.init(Tensor.scalar(3f))), b.init(Tensor.scalar(0f)), b.init(Tensor.scalar(5f)))), b.init(Tensor.scalar(6f)));
        TensorGraph g = b.graph(new long[] {3, 4}, near, 2);
        TensorGraph recognized = new RecognizeActivations().apply(g);
        assertEquals(2, recognized.nodes().stream().filter(n -> n.op().equals(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.HARD_SWISH))).count(),
                dev.kiln.ir.tensor.TensorGraphPrinter.print(recognized));
        assertEquals(g.nodes().size() - 4, recognized.nodes().size(), "four nodes become one, two become one");
        assertSameResults(g, recognized, b.rand(3, 4));
        TensorGraph fused = new FuseBiasActivation().apply(recognized);
        assertEquals(2, fused.nodes().stream().filter(n -> n.op() instanceof dev.kiln.ir.tensor.FusedOp.MatMulBias m && m.activation() instanceof dev.kiln.ir.tensor.Activation.HardSwish).count());
        assertSameResults(g, fused, b.rand(3, 4));
    }

    @Property(tries = 4)
    void constantsFoldAndDeadNodesGo(@ForAll long seed) {
        B b = new B(seed);
        String wt = b.node(new LayoutOp.Transpose(List.of(1L, 0L)), b.w(6, 4));
        String shape = b.node(new LayoutOp.Shape(0, java.util.Optional.empty()), "x");
        String dead = b.node(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.EXP), "x");
        String y = b.node(new NeuralOp.MatMul(), "x", wt);
        y = b.node(new LayoutOp.Reshape(false), y, b.node(new LayoutOp.Concat(0), b.node(new LayoutOp.Slice(), shape,
                b.init(Tensor.vector(0)), b.init(Tensor.vector(1))), b.init(Tensor.vector(-1))));
        TensorGraph g = b.graph(new long[] {3, 4}, y, 2);
        TensorGraph folded = new FoldConstants().apply(g);
        assertEquals(List.of(NeuralOp.MatMul.class, ElementwiseOp.Unary.class, LayoutOp.Reshape.class).size(), folded.nodes().size());
        assertSameResults(g, folded, b.rand(3, 4));
        TensorGraph live = new EliminateDeadNodes().apply(folded);
        assertEquals(2, live.nodes().size(), "the Exp nothing reads is gone");
        assertTrue(live.initializers().size() < folded.initializers().size(), "and the initializers only it read");
        assertSameResults(g, live, b.rand(3, 4));
        assertTrue(dead.startsWith("v"));
    }
}
