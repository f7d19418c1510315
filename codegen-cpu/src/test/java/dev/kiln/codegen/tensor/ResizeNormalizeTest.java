package dev.kiln.codegen.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import dev.kiln.runtime.tensor.TensorThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Image preprocessing graphs (Cast, Resize by sizes, channel Gather, per-channel scale/mean/std,
 * NCHW Transpose) fuse into one {@link FusedOp.ResizeNormalize} node, whose runtime kernel must
 * give the unfused graph's values on the reference interpreter: images of random sizes (1 pixel
 * to larger than the target, so up- and downscaling), every coordinate transform, nearest and
 * linear, both layouts. The resized values alone must match bit for bit.
 */
class ResizeNormalizeTest {
    /** The transforms the fusion takes (tf_half_pixel_for_nn moves unresized axes too, tf_crop_and_resize reads a region: both stay unfused). */
    private static final LayoutOp.CoordinateTransform[] TRANSFORMS = java.util.Arrays.stream(LayoutOp.CoordinateTransform.values())
            .filter(t -> t != LayoutOp.CoordinateTransform.TF_HALF_PIXEL_FOR_NN && t != LayoutOp.CoordinateTransform.TF_CROP_AND_RESIZE)
            .toArray(LayoutOp.CoordinateTransform[]::new);
    /** The modes the fusion takes (cubic stays unfused). */
    private static final LayoutOp.ResizeMode[] MODES = {LayoutOp.ResizeMode.NEAREST, LayoutOp.ResizeMode.LINEAR};

    /** The preprocessing graph: UINT8 [1, H, W, 3] to float [1, 3, h, w] (or NHWC). */
    private static TensorGraph preprocess(LayoutOp.Resize resize, int h, int w, boolean reorder, List<TensorNode> steps, Map<String, Tensor> stepConstants, boolean nchw) {
        List<TensorNode> nodes = new ArrayList<>();
        Map<String, Tensor> init = new LinkedHashMap<>(stepConstants);
        init.put("sizes", Tensor.vector(1, h, w, 3));
        init.put("roi", Tensor.floats(new long[] {0}));
        nodes.add(TensorNode.of("cast", new ElementwiseOp.Cast(ElementType.FLOAT32), List.of("image"), List.of("f")));
        nodes.add(new TensorNode("resize", resize, List.of(Optional.of("f"), Optional.of("roi"), Optional.empty(), Optional.of("sizes")), List.of("v0")));
        String last = "v0";
        if (reorder) {
            init.put("bgr", Tensor.vector(2, 1, -3));
            nodes.add(TensorNode.of("order", new LayoutOp.Gather(3), List.of(last, "bgr"), List.of("ordered")));
            last = "ordered";
        }
        for (TensorNode s : steps) {
            String in0 = s.input(0).get().equals("$v") ? last : s.input(0).get(), in1 = s.input(1).get().equals("$v") ? last : s.input(1).get();
            nodes.add(TensorNode.of(s.name(), s.op(), List.of(in0, in1), List.of(s.outputs().getFirst())));
            last = s.outputs().getFirst();
        }
        TensorShape shape = TensorShape.of(Dim.of(1), Dim.of(h), Dim.of(w), Dim.of(3));
        if (nchw) {
            nodes.add(TensorNode.of("nchw", new LayoutOp.Transpose(List.of(0L, 3L, 1L, 2L)), List.of(last), List.of("pixels")));
            shape = TensorShape.of(Dim.of(1), Dim.of(3), Dim.of(h), Dim.of(w));
        } else {
            nodes.add(TensorNode.of("id", new ElementwiseOp.Identity(), List.of(last), List.of("pixels")));
        }
        TensorType image = new TensorType(ElementType.UINT8, TensorShape.of(Dim.of(1), Dim.symbol("H"), Dim.symbol("W"), Dim.of(3)));
        return new TensorGraph("preprocess", List.of(new TensorValue("image", image)), List.of(new TensorValue("pixels", new TensorType(ElementType.FLOAT32, shape))), nodes, init);
    }

    private static TensorNode step(String name, BinaryFn fn, String a, String b) {
        return TensorNode.of(name, new ElementwiseOp.Binary(fn), List.of(a, b), List.of(name));
    }

    /** scale, mean, std as a preprocessing graph writes them, and a reversed SUB and a scalar ADD. */
    private static List<TensorNode> normalizeSteps(Map<String, Tensor> consts, boolean exotic) {
        consts.put("scale", Tensor.floats(new long[] {1}, 1f / 255f));
        consts.put("mean", Tensor.floats(new long[] {3}, 0.485f, 0.456f, 0.406f));
        consts.put("std", Tensor.floats(new long[] {1, 1, 1, 3}, 0.229f, 0.224f, 0.225f));
        List<TensorNode> s = new ArrayList<>(List.of(step("scaled", BinaryFn.MUL, "$v", "scale"), step("centered", BinaryFn.SUB, "$v", "mean"),
                step("normalized", BinaryFn.DIV, "$v", "std")));
        if (exotic) {
            consts.put("one", Tensor.floats(new long[0], 1f));
            consts.put("k", Tensor.floats(new long[] {3}, 2f, -1f, 0.5f));
            s.add(step("flipped", BinaryFn.SUB, "one", "$v"));
            s.add(step("shifted", BinaryFn.ADD, "k", "$v"));
        }
        return s;
    }

    private static Tensor image(Random rnd, int h, int w) {
        long[] px = new long[h * w * 3];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(256);
        return Tensor.longs(ElementType.UINT8, new long[] {1, h, w, 3}, px);
    }

    private static FusedOp.ResizeNormalize fusedNode(TensorGraph optimized) {
        List<TensorNode> fused = optimized.nodes().stream().filter(n -> n.op() instanceof FusedOp.ResizeNormalize).toList();
        assertEquals(1, fused.size(), "one fused preprocessing node in\n" + optimized.nodes());
        return (FusedOp.ResizeNormalize) fused.getFirst().op();
    }

    private static void assertClose(Tensor want, Tensor got, double tolerance, String what) {
        assertTrue(java.util.Arrays.equals(want.shape(), got.shape()), what + ": shape " + java.util.Arrays.toString(got.shape()));
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i), g = got.getDouble(i);
            if (!(Math.abs(w - g) <= tolerance * (1 + Math.abs(w)))) fail(what + ": element " + i + " is " + g + ", the reference says " + w);
        }
    }

    @Test
    void fusedKernelMatchesTheUnfusedGraphForEveryModeAndLayout() {
        Random rnd = new Random(7);
        for (LayoutOp.ResizeMode mode : MODES) {
            for (LayoutOp.CoordinateTransform ct : TRANSFORMS) {
                for (boolean nchw : new boolean[] {true, false}) {
                    boolean exotic = rnd.nextBoolean(), reorder = rnd.nextBoolean();
                    Map<String, Tensor> consts = new LinkedHashMap<>();
                    LayoutOp.Resize rs = new LayoutOp.Resize(mode, ct, LayoutOp.NearestMode.values()[rnd.nextInt(4)], List.of());
                    TensorGraph g = preprocess(rs, 24, 40, reorder, normalizeSteps(consts, exotic), consts, nchw);
                    TensorGraph opt = TensorOptimizer.optimize(g);
                    FusedOp.ResizeNormalize rn = fusedNode(opt);
                    assertEquals(exotic ? 5 : 3, rn.steps().size(), "every per-channel step fused");
                    assertEquals(nchw, rn.channelsFirst());
                    assertEquals(reorder ? List.of(2L, 1L, -3L) : List.of(), rn.channelOrder());
                    for (int[] size : new int[][] {{1, 1}, {24, 40}, {7, 301}, {60, 13}, {2, 3}}) {
                        Tensor img = image(rnd, size[0], size[1]);
                        String what = mode + " " + ct + (nchw ? " NCHW" : " NHWC") + " image " + size[0] + "x" + size[1];
                        Tensor want = TensorInterpreter.run(g, Map.of("image", img)).get("pixels");
                        Tensor got = TensorInterpreter.run(opt, Map.of("image", img), NativeKernels.INSTANCE).get("pixels");
                        assertClose(want, got, 1e-6, what);
                    }
                }
            }
        }
    }

    @Test
    void resizedValuesAloneAreTheReferencesBitForBit() {
        Random rnd = new Random(8);
        for (LayoutOp.CoordinateTransform ct : TRANSFORMS) {
            LayoutOp.Resize rs = new LayoutOp.Resize(LayoutOp.ResizeMode.LINEAR, ct, LayoutOp.NearestMode.ROUND_PREFER_FLOOR, List.of());
            TensorGraph g = preprocess(rs, 48, 192, true, List.of(), Map.of(), true);
            TensorGraph opt = TensorOptimizer.optimize(g);
            assertTrue(fusedNode(opt).steps().isEmpty());
            for (int[] size : new int[][] {{32, 517}, {71, 190}, {48, 192}}) {
                Tensor img = image(rnd, size[0], size[1]);
                Tensor want = TensorInterpreter.run(g, Map.of("image", img)).get("pixels");
                Tensor got = TensorInterpreter.run(opt, Map.of("image", img), NativeKernels.INSTANCE).get("pixels");
                assertClose(want, got, 0, ct + " " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void aResizeOfTheChannelsIsLeftToTheReference() {
        // sizes that also resize the channel axis: the kernel declines, the fused node's expansion runs, values still the reference's
        Map<String, Tensor> consts = new LinkedHashMap<>();
        TensorGraph g = preprocess(new LayoutOp.Resize(LayoutOp.ResizeMode.LINEAR, LayoutOp.CoordinateTransform.HALF_PIXEL, LayoutOp.NearestMode.FLOOR, List.of()),
                8, 8, false, normalizeSteps(consts, false), consts, false);
        TensorGraph opt = TensorOptimizer.optimize(g);
        FusedOp.ResizeNormalize rn = fusedNode(opt);
        Tensor img = image(new Random(9), 5, 6);
        List<Optional<Tensor>> in = new ArrayList<>(List.of(Optional.of(img), Optional.of(Tensor.vector(1, 8, 8, 6))));
        in.add(Optional.of(consts.get("scale")));
        in.add(Optional.of(consts.get("mean")));
        in.add(Optional.of(consts.get("std")));
        assertTrue(NativeKernels.resizeNormalize(rn, in).isEmpty(), "a channel resize is not the kernel's");
        in.set(1, Optional.of(Tensor.vector(1, 8, 8, 3)));
        assertTrue(NativeKernels.resizeNormalize(rn, in).isPresent());
    }

    @Test
    void aCompiledProgramRunsTheFusedNodeOnFixedShapes() {
        // float32 images of a fixed size: the node compiles into a program step
        Map<String, Tensor> consts = new LinkedHashMap<>();
        TensorGraph g = preprocess(new LayoutOp.Resize(LayoutOp.ResizeMode.LINEAR, LayoutOp.CoordinateTransform.HALF_PIXEL, LayoutOp.NearestMode.FLOOR, List.of()),
                16, 20, true, normalizeSteps(consts, false), consts, true);
        TensorValue floatImage = new TensorValue("image", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.of(1), Dim.of(9), Dim.of(33), Dim.of(3))));
        TensorGraph fg = new TensorGraph(g.name(), List.of(floatImage), g.outputs(), g.nodes(), g.initializers());
        TensorGraph opt = TensorOptimizer.optimize(fg);
        assertInstanceOf(FusedOp.ResizeNormalize.class, opt.nodes().getFirst().op());
        Tensor img = Tensor.floats(new long[] {1, 9, 33, 3}, toFloats(image(new Random(10), 9, 33)));
        Tensor want = TensorInterpreter.run(fg, Map.of("image", img)).get("pixels");
        try (TensorProgram p = TensorCompiler.compile(opt, Map.of("image", new long[] {1, 9, 33, 3}), TensorThreads.SERIAL)) {
            assertClose(want, p.run(Map.of("image", img)).get("pixels"), 1e-6, "compiled");
        }
    }

    private static float[] toFloats(Tensor t) {
        float[] f = new float[t.size()];
        t.copyFloats(0, t.size(), f, 0);
        return f;
    }
}
