package dev.kiln.codegen.tensor;

import dev.kiln.codegen.Workers;
import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.Window;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Each compiled kernel, fused form included, against the interpreter on random shapes and data. */
class TensorKernelPropertiesTest {
    private static final List<Activation> ACTS = List.of(new Activation.None(), new Activation.Relu(), new Activation.Sigmoid(),
            new Activation.HardSwish(), new Activation.LeakyRelu(0.2f), new Activation.HardSigmoid(0.2f, 0.5f),
            new Activation.Clip(-0.5f, 1.5f), new Activation.Gelu(ElementwiseOp.GeluApproximation.NONE),
            new Activation.Gelu(ElementwiseOp.GeluApproximation.TANH));

    static void check(Graphs b, long[] inShape, String out, Tensor x, int threads) {
        TensorGraph g = new TensorGraph("k", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(inShape)))),
                List.of(), b.nodes, b.inits);
        TensorType outType = dev.kiln.ir.tensor.TensorShapeInference.infer(g).type(out);
        g = new TensorGraph("k", g.inputs(), List.of(new TensorValue(out, outType)), b.nodes, b.inits);
        Tensor want = TensorInterpreter.run(g, Map.of("x", x)).get(out);
        try (Workers w = new Workers(threads); TensorProgram p = TensorCompiler.compile(g, Map.of("x", inShape), w, Backend.ASM)) {
            Oracle.assertClose(want, p.run(Map.of("x", x)).get(out), "kernel");
        }
    }

    @Property(tries = 40)
    void matMulWithBiasAndActivation(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 40) int m,
                                     @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(min = 1, max = 70) int n,
                                     @ForAll @IntRange(min = 0, max = 8) int act, @ForAll boolean constB, @ForAll long seed,
                                     @ForAll @IntRange(min = 1, max = 2) int threads) {
        Graphs b = new Graphs(seed);
        String rhs = constB ? b.weight(0.3f, k, n) : b.node(new ElementwiseOp.Binary(BinaryFn.MUL), "x", b.weight(1f, batch, m, k));
        if (!constB) rhs = b.node(new dev.kiln.ir.tensor.LayoutOp.Transpose(List.of(0L, 2L, 1L)), rhs);
        long[] in = new long[] {batch, m, k};
        // A computed B ([batch, k, m], packed per run) gives an m x m product per batch entry.
        String y = constB ? b.node(new FusedOp.MatMulBias(ACTS.get(act)), "x", rhs, b.weight(0.5f, n))
                : b.node(new FusedOp.MatMulBias(ACTS.get(act)), "x", rhs);
        check(b, in, y, b.random(1f, in), threads);
    }

    @Property(tries = 40)
    void convWithGroupsStridesPadsDilationsAndActivation(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
                                                         @ForAll @IntRange(min = 1, max = 4) int cgIn, @ForAll @IntRange(min = 1, max = 5) int cgOut,
                                                         @ForAll @IntRange(min = 1, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                                                         @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                                         @ForAll @IntRange(min = 6, max = 13) int size, @ForAll @IntRange(min = 0, max = 8) int act,
                                                         @ForAll boolean depthwise, @ForAll long seed) {
        int cin = depthwise ? groups : groups * cgIn, cout = depthwise ? groups : groups * cgOut;
        Graphs b = new Graphs(seed);
        Window w = Window.kernel(kernel, kernel).withStrides(stride, stride).withPads(pad, pad, pad + 1, pad).withDilations(dilation, dilation);
        String y = b.node(new FusedOp.ConvActivation(new NeuralOp.Conv(w, groups), ACTS.get(act)), "x",
                b.weight(0.5f, cout, cin / groups, kernel, kernel), b.weight(0.3f, cout));
        long[] in = {n, cin, size, size + 1};
        check(b, in, y, b.random(1f, in), 1 + (int) (seed & 1));
    }

    /** Depthwise convolutions over images wide enough for the vector paths (strided ones split columns by phase; the last vector of a row overlaps). */
    @Property(tries = 30)
    void depthwiseConvsOnWideImages(@ForAll @IntRange(min = 1, max = 4) int channels, @ForAll @IntRange(min = 1, max = 5) int kernel,
                                           @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
                                           @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 33, max = 90) int width,
                                           @ForAll @IntRange(min = 0, max = 8) int act, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        Window w = Window.kernel(kernel, kernel).withStrides(stride, stride).withPads(pad, pad, pad, pad + 1).withDilations(dilation, dilation);
        String y = b.node(new FusedOp.ConvActivation(new NeuralOp.Conv(w, channels), ACTS.get(act)), "x",
                b.weight(0.5f, channels, 1, kernel, kernel), b.weight(0.3f, channels));
        long[] in = {1, channels, 9 + (seed & 3), width};
        check(b, in, y, b.random(1f, in), 1 + (int) (seed & 1));
    }

    /**
     * Convolutions with few input channels per group over wide images (a first layer's three, a
     * channel multiplier's one): implicit-GEMM panels whose rows are whole vectors, strides, dilations,
     * pads and fused activations.
     */
    @Property(tries = 30)
    void fewChannelConvsOnWideImages(@ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 4) int cgIn,
                                 @ForAll @IntRange(min = 1, max = 8) int cgOut, @ForAll @IntRange(min = 2, max = 5) int kernel,
                                 @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
                                 @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 33, max = 90) int width,
                                 @ForAll @IntRange(min = 0, max = 8) int act, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        Window w = Window.kernel(kernel, kernel).withStrides(stride, stride).withPads(pad, pad, pad, pad + 1).withDilations(dilation, dilation);
        String y = b.node(new FusedOp.ConvActivation(new NeuralOp.Conv(w, groups), ACTS.get(act)), "x",
                b.weight(0.5f, groups * cgOut, cgIn, kernel, kernel), b.weight(0.3f, groups * cgOut));
        long[] in = {1 + (seed & 1), groups * cgIn, (kernel - 1) * dilation + 2 + (seed & 3), width}; // at least the kernel's extent
        check(b, in, y, b.random(1f, in), 1 + (int) (seed >>> 1 & 1));
    }

    /**
     * Dense convolutions with many channels (the implicit GEMM): K over one block of the packed
     * weights, output channels over several strips (a padded last one), images of several chunks
     * of rows, strides (column and row phases), dilations, uneven pads and fused activations.
     */
    @Property(tries = 20)
    void manyChannelConvsAsImplicitGemms(@ForAll @IntRange(min = 20, max = 40) int cin, @ForAll @IntRange(min = 9, max = 27) int cout,
                                         @ForAll @IntRange(min = 2, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                                         @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                         @ForAll @IntRange(min = 12, max = 40) int height, @ForAll @IntRange(min = 33, max = 90) int width,
                                         @ForAll @IntRange(min = 0, max = 8) int act, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        Window w = Window.kernel(kernel, kernel).withStrides(stride, stride).withPads(pad, pad + (int) (seed & 1), pad + 1, pad).withDilations(dilation, dilation);
        String y = b.node(new FusedOp.ConvActivation(new NeuralOp.Conv(w, 1), ACTS.get(act)), "x",
                b.weight(0.2f, cout, cin, kernel, kernel), b.weight(0.3f, cout));
        long[] in = {1 + (seed >>> 1 & 1), cin, height, width};
        check(b, in, y, b.random(1f, in), 1 + (int) (seed >>> 2 & 1));
    }

    /** Transposed convolutions whose kernel equals the stride (an upsampling's taps tile the output, interleaved by vectors for stride 2). */
    @Property(tries = 20)
    void convTransposesWhoseTapsTileTheOutput(@ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 6) int cg,
                                              @ForAll @IntRange(min = 1, max = 5) int mg, @ForAll @IntRange(min = 2, max = 3) int stride,
                                              @ForAll @IntRange(min = 3, max = 40) int width, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        Window w = Window.kernel(stride, stride).withStrides(stride, stride);
        String y = b.node(new NeuralOp.ConvTranspose(w, groups, List.of(), List.of()), "x", b.weight(0.3f, groups * cg, mg, stride, stride),
                b.weight(0.1f, groups * mg));
        long[] in = {1 + (seed & 1), groups * cg, 3 + (seed >>> 1 & 3), width};
        check(b, in, y, b.random(1f, in), 1 + (int) (seed >>> 3 & 1));
    }

    /**
     * Chains of activations and scalar steps (Add, Sub, Mul, Div, the constant on either side) as
     * the epilogue of a convolution (direct, pointwise or depthwise) or a MatMul: one loop per
     * vector for the affine-activation-affine shape, a pass per step for the others.
     */
    @Property(tries = 40)
    void chainsOfScalarStepsAndActivationsAsEpilogues(@ForAll @IntRange(min = 1, max = 6) int steps, @ForAll @IntRange(min = 0, max = 3) int kernel,
                                                      @ForAll @IntRange(min = 17, max = 40) int width, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        java.util.Random r = new java.util.Random(seed);
        List<Activation> chain = new java.util.ArrayList<>();
        BinaryFn[] fns = {BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV};
        for (int i = 0; i < steps; i++) {
            if (r.nextInt(3) == 0) {
                chain.add(ACTS.get(1 + r.nextInt(ACTS.size() - 1)));
            } else {
                BinaryFn fn = fns[r.nextInt(fns.length)];
                // a constant divided by the value is left out: near a zero the quotient is too large to compare
                chain.add(new Activation.Scalar(fn, fn == BinaryFn.DIV ? 0.5f + r.nextFloat() : (float) r.nextGaussian(), fn != BinaryFn.DIV && r.nextBoolean()));
            }
        }
        Activation act = chain.size() == 1 ? chain.getFirst() : new Activation.Chain(chain);
        String y;
        long[] in;
        if (kernel == 0) {
            in = new long[] {1, 7, width};
            y = b.node(new FusedOp.MatMulBias(act), "x", b.weight(0.3f, width, 19), b.weight(0.5f, 19));
        } else {
            boolean depthwise = kernel == 3;
            Window w = Window.kernel(kernel, kernel).withPads(kernel / 2, kernel / 2, kernel / 2, kernel / 2);
            in = new long[] {1, 6, 5, width};
            y = b.node(new FusedOp.ConvActivation(new NeuralOp.Conv(w, depthwise ? 6 : 1), act), "x",
                    b.weight(0.5f, depthwise ? 6 : 9, depthwise ? 1 : 6, kernel, kernel), b.weight(0.3f, depthwise ? 6 : 9));
        }
        check(b, in, y, b.random(1f, in), 1);
    }

    @Property(tries = 30)
    void poolsSoftmaxAndElementwiseChainsWithBroadcasting(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                                                         @ForAll @IntRange(min = 4, max = 11) int size, @ForAll boolean ceil, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        String p = b.node(new NeuralOp.MaxPool(Window.kernel(3, 3).withStrides(2, 2).withPads(1, 0, 1, 1), ceil), "x");
        String a = b.node(new NeuralOp.AveragePool(Window.kernel(2, 2).withStrides(2, 2).withPads(0, 1, 1, 0), ceil, (seed & 2) == 0), "x");
        String ch = b.binary(BinaryFn.MUL, b.unary(ElementwiseOp.UnaryFn.TANH, b.binary(BinaryFn.SUB, "x", b.weight(1f, c, 1, 1))), b.weight(1f, size + 1));
        ch = b.binary(BinaryFn.ADD, ch, b.weight(1f, n, 1, size, 1));
        String s = b.node(new NeuralOp.Softmax(-1), ch);
        String both = b.node(new dev.kiln.ir.tensor.LayoutOp.Concat(1), b.node(new dev.kiln.ir.tensor.LayoutOp.Flatten(1), p),
                b.node(new dev.kiln.ir.tensor.LayoutOp.Flatten(1), a), b.node(new dev.kiln.ir.tensor.LayoutOp.Flatten(1), s));
        long[] in = {n, c, size, size + 1};
        check(b, in, both, b.random(1f, in), 2);
    }

    /** Max pooling over planes wider than a vector: the window's columns reduced in vectors, kernels of 2 and 3 (and 4, scalar), strides, dilations, pads. */
    @Property(tries = 30)
    void maxPoolOverWidePlanes(@ForAll @IntRange(min = 2, max = 4) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                               @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 17, max = 90) int width,
                               @ForAll boolean ceil, @ForAll long seed) {
        Graphs b = new Graphs(seed);
        int pad = (int) (seed >>> 3 & 1);
        String p = b.node(new NeuralOp.MaxPool(Window.kernel(kernel, kernel).withStrides(stride, stride).withPads(pad, pad, pad, 0)
                .withDilations(dilation, dilation), ceil), "x");
        long[] in = {1 + (seed & 1), 3, (kernel - 1) * dilation + 3, width};
        check(b, in, p, b.random(1f, in), 1 + (int) (seed >>> 1 & 1));
    }

    @Property(tries = 30)
    void layerNormOverRowsOfAnyWidth(@ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(min = 1, max = 70) int cols,
                                     @ForAll boolean withBias, @ForAll long seed) {
        // widths below, at and past whole vectors (the lane sums, then the scalar tail), a shifted mean so the deviations matter
        Graphs b = new Graphs(seed);
        String shifted = b.binary(BinaryFn.ADD, "x", b.constant(Tensor.scalar(3f)));
        String y = withBias ? b.node(new NeuralOp.LayerNormalization(-1, 1e-5f), shifted, b.weight(1f, cols), b.weight(1f, cols))
                : b.node(new NeuralOp.LayerNormalization(-1, 1e-5f), shifted, b.weight(1f, cols));
        long[] in = {rows, cols};
        check(b, in, y, b.random(1f, in), 2);
    }
}
