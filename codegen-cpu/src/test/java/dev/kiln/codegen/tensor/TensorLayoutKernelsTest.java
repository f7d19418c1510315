package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels the real models added, each against the interpreter on 1 and 2 threads and both
 * backends: strided Slice, nearest Resize (PaddleOCR's upsampling), grouped ConvTranspose with
 * stride and pads followed by a BatchNorm that cannot fold into it, depthwise 5x5 and strided 3x3.
 */
class TensorLayoutKernelsTest {
    private static TensorValue image(int c, int h, int w) {
        return new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(c), Dim.of(h), Dim.of(w))));
    }

    @Test
    void sliceWithStepsAndNegativeBounds() {
        Graphs b = new Graphs(21);
        String y = b.node(new LayoutOp.Slice(), "x", b.constant(Tensor.vector(1, -9, 0)), b.constant(Tensor.vector(3, 100, -1)),
                b.constant(Tensor.vector(1, 3, 2)), b.constant(Tensor.vector(1, 2, 1)));
        TensorGraph g = b.graph("slice", image(4, 7, 11), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(2), Dim.of(6), Dim.of(5))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 4, 7, 11));
    }

    @Test
    void sliceOfAFewColumnsFromWideRows() {
        // 10 of every 400-wide row: read in place rather than staging each whole row
        Graphs b = new Graphs(26);
        String y = b.node(new LayoutOp.Slice(), "x", b.constant(Tensor.vector(5)), b.constant(Tensor.vector(400)), b.constant(Tensor.vector(3)),
                b.constant(Tensor.vector(40)));
        TensorGraph g = b.graph("slice", image(2, 3, 400), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(2), Dim.of(3), Dim.of(10))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 2, 3, 400));
    }

    @Test
    void nearestResizeUpAndDown() {
        for (float[] scales : new float[][] {{1, 1, 2, 2}, {1, 1, 0.5f, 1.5f}}) {
            Graphs b = new Graphs(22);
            String y = b.node(new LayoutOp.Resize(LayoutOp.ResizeMode.NEAREST, LayoutOp.CoordinateTransform.ASYMMETRIC, LayoutOp.NearestMode.FLOOR, List.of()),
                    "x", b.constant(Tensor.floats(new long[] {0}, new float[0])), b.constant(Tensor.floats(new long[] {4}, scales)));
            long h = (long) Math.floor(6 * scales[2]), w = (long) Math.floor(10 * scales[3]);
            TensorGraph g = b.graph("resize", image(3, 6, 10), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3), Dim.of(h), Dim.of(w))));
            TensorProgramTest.check(g, "x", b.random(1f, 2, 3, 6, 10));
        }
    }

    /**
     * Linear and cubic Resizes inside a graph compile (no fall-back to the interpreter) and give
     * the interpreter's floats bit for bit: up and down, every coordinate transform, cubic with
     * its coefficient and exclude_outside.
     */
    @Test
    void linearAndCubicResizesCompileBitForBit() {
        int seed = 30;
        for (LayoutOp.ResizeMode mode : new LayoutOp.ResizeMode[] {LayoutOp.ResizeMode.LINEAR, LayoutOp.ResizeMode.CUBIC}) {
            for (LayoutOp.CoordinateTransform ct : LayoutOp.CoordinateTransform.values()) {
                // tf_half_pixel_for_nn moves unresized axes and tf_crop_and_resize reads a region: left to the interpreter
                if (ct == LayoutOp.CoordinateTransform.TF_HALF_PIXEL_FOR_NN || ct == LayoutOp.CoordinateTransform.TF_CROP_AND_RESIZE) continue;
                for (float[] scales : new float[][] {{1, 1, 2, 1.5f}, {1, 1, 0.5f, 0.75f}}) {
                    Graphs b = new Graphs(seed++);
                    boolean exclude = mode == LayoutOp.ResizeMode.CUBIC && seed % 2 == 0;
                    double a = seed % 3 == 0 ? -0.5 : -0.75;
                    String y = b.node(new LayoutOp.Resize(mode, ct, LayoutOp.NearestMode.FLOOR, List.of(), a, exclude, 0),
                            "x", b.constant(Tensor.floats(new long[] {0}, new float[0])), b.constant(Tensor.floats(new long[] {4}, scales)));
                    long h = (long) Math.floor(6 * scales[2]), w = (long) Math.floor(10 * scales[3]);
                    TensorGraph g = b.graph("resize", image(3, 6, 10), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3), Dim.of(h), Dim.of(w))));
                    Tensor x = b.random(1f, 2, 3, 6, 10);
                    Tensor want = dev.kiln.ir.tensor.eval.TensorInterpreter.run(g, java.util.Map.of("x", x)).values().iterator().next();
                    for (int threads : new int[] {1, 2}) {
                        Tensor got = TensorProgramTest.runCompiled(g, "x", x, threads, dev.kiln.codegen.emit.Backend.values()[0]).values().iterator().next();
                        for (int i = 0; i < want.size(); i++) {
                            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits((float) want.getDouble(i)), Float.floatToIntBits((float) got.getDouble(i)),
                                    mode + " " + ct + " " + java.util.Arrays.toString(scales) + " element " + i + " on " + threads + " threads");
                        }
                    }
                }
            }
        }
    }

    @Test
    void groupedConvTransposeThenBatchNorm() {
        Graphs b = new Graphs(23);
        Window w = Window.kernel(3, 3).withStrides(2, 2).withPads(1, 1, 0, 0);
        String ct = b.node(new NeuralOp.ConvTranspose(w, 2, List.of(), List.of()), "x", b.weight(0.3f, 4, 3, 3, 3), b.weight(0.1f, 6));
        String y = b.node(new NeuralOp.BatchNormalization(1e-5f), ct, b.weight(0.5f, 6), b.weight(0.1f, 6), b.weight(0.1f, 6), b.constant(b.positive(6)));
        TensorGraph g = b.graph("convtranspose", image(4, 5, 7), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(6), Dim.of(10), Dim.of(14))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 4, 5, 7));
    }

    @Test
    void depthwiseConvsWithStrides() {
        Graphs b = new Graphs(24);
        String y = b.conv("x", 8, 8, 5, 1, 8, true);
        y = b.conv(y, 8, 8, 3, 2, 8, false);
        TensorGraph g = b.graph("depthwise", image(8, 13, 21), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(8), Dim.of(7), Dim.of(11))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 8, 13, 21));
    }

    @Test
    void padInEveryModeIncludingCropping() {
        // constant 1.5 (a value the conv fold leaves alone), edge, reflect, and a negative pad that crops
        Graphs b = new Graphs(25);
        String y = b.node(new LayoutOp.Pad(LayoutOp.PadMode.CONSTANT), "x", b.constant(Tensor.vector(0, 1, 2, 0, 0, 0, 1, 3)), b.constant(Tensor.scalar(1.5f)));
        y = b.node(new LayoutOp.Pad(LayoutOp.PadMode.EDGE), y, b.constant(Tensor.vector(0, 0, 1, 2, 0, 0, 0, 1)));
        y = b.node(new LayoutOp.Pad(LayoutOp.PadMode.REFLECT), y, b.constant(Tensor.vector(0, 0, 3, -1, 0, 0, 2, 4)));
        TensorGraph g = b.graph("pads", image(3, 5, 6), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(4), Dim.of(14), Dim.of(15))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 3, 5, 6));
    }

    @Test
    void convolutionsOverManyRowChunksWithDilationsAndUnevenPads() {
        // K = 64·3·3 = 576 and 37 output columns: about three output rows per packed chunk, so an image spans many chunks;
        // unit-stride rows copy runs, the strided conv takes the element path; batch 1 splits chunks over threads
        Graphs b = new Graphs(26);
        String y = b.node(new NeuralOp.Conv(Window.kernel(3, 3).withPads(2, 0, 1, 3).withDilations(2, 1), 1), "x", b.weight(0.1f, 24, 64, 3, 3), b.weight(0.1f, 24));
        y = b.node(new NeuralOp.Conv(Window.kernel(3, 2).withStrides(2, 3).withPads(1, 1, 1, 1), 1), y, b.weight(0.1f, 8, 24, 3, 2));
        TensorGraph g = b.graph("chunks", image(64, 30, 37), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(8), Dim.of(15), Dim.of(13))));
        TensorProgramTest.check(g, "x", b.random(1f, 1, 64, 30, 37));
        TensorProgramTest.check(g, "x", b.random(1f, 3, 64, 30, 37));
    }

    @Test
    void maxPoolsInsideTheImageAndOverItsPadding() {
        // 2x2/2 and dilated 3x2/(1,2) windows that never meet padding (the column-max path), then a padded 3x3/2 window
        Graphs b = new Graphs(27);
        String y = b.node(new NeuralOp.MaxPool(Window.kernel(2, 2).withStrides(2, 2), false), "x");
        y = b.node(new NeuralOp.MaxPool(Window.kernel(3, 2).withStrides(1, 2).withDilations(2, 1), false), y);
        y = b.node(new NeuralOp.MaxPool(Window.kernel(3, 3).withStrides(2, 2).withPads(1, 1, 1, 1), false), y);
        TensorGraph g = b.graph("maxpools", image(5, 26, 75), y, new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(5), Dim.of(5), Dim.of(9))));
        TensorProgramTest.check(g, "x", b.random(1f, 2, 5, 26, 75));
    }
}
