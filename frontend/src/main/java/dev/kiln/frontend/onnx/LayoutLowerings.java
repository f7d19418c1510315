package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.LayoutOp.CoordinateTransform;
import dev.kiln.ir.tensor.LayoutOp.NearestMode;
import dev.kiln.ir.tensor.LayoutOp.ResizeMode;
import dev.kiln.ir.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ONNX data movement and shape ops onto {@link LayoutOp}s. Values older opsets gave as attributes
 * (Reshape's shape aside, which has been an input since opset 5) become constant inputs here.
 */
final class LayoutLowerings {
    private LayoutLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        ops.put("Concat", n -> n.emit(new LayoutOp.Concat(n.requiredInt("axis")), n.allInputs(), List.of(n.output0())));
        ops.put("Reshape", n -> n.emitSimple(new LayoutOp.Reshape(n.flag("allowzero", false)), List.of(n.requiredInput(0), n.requiredInput(1))));
        ops.put("Flatten", n -> n.emitSimple(new LayoutOp.Flatten(n.i("axis", 1)), List.of(n.requiredInput(0))));
        ops.put("Transpose", n -> n.emitSimple(new LayoutOp.Transpose(n.ints("perm")), List.of(n.requiredInput(0))));
        ops.put("Squeeze", n -> n.emit(new LayoutOp.Squeeze(), axesInput(n, 13), List.of(n.output0())));
        ops.put("Unsqueeze", n -> n.emit(new LayoutOp.Unsqueeze(), axesInput(n, 13), List.of(n.output0())));
        ops.put("Gather", n -> n.emitSimple(new LayoutOp.Gather(n.i("axis", 0)), List.of(n.requiredInput(0), n.requiredInput(1))));
        ops.put("Slice", LayoutLowerings::slice);
        ops.put("Pad", LayoutLowerings::pad);
        ops.put("Resize", LayoutLowerings::resize);
        ops.put("Upsample", LayoutLowerings::upsample);
        ops.put("Shape", n -> {
            Optional<Long> end = n.attribute("end").map(a -> n.i("end", 0));
            n.emitSimple(new LayoutOp.Shape(n.i("start", 0), end), List.of(n.requiredInput(0)));
        });
        ops.put("ConstantOfShape", n -> {
            Tensor value = n.attribute("value").map(a -> OnnxTensors.toTensor(a.t(), n.describe() + " attribute 'value'"))
                    .orElse(Tensor.floats(new long[] {1}, 0f));
            try {
                n.emitSimple(new LayoutOp.ConstantOfShape(value), List.of(n.requiredInput(0)));
            } catch (IllegalArgumentException e) {
                throw n.fail(e.getMessage());
            }
        });
        ops.put("Range", n -> n.emitSimple(new LayoutOp.Range(), List.of(n.requiredInput(0), n.requiredInput(1), n.requiredInput(2))));
        ops.put("Expand", n -> n.emitSimple(new LayoutOp.Expand(), List.of(n.requiredInput(0), n.requiredInput(1))));
        ops.put("Split", LayoutLowerings::split);
        ops.put("Constant", ConstantLowering::lower);
    }

    /** Squeeze/Unsqueeze (and reductions) took axes as an attribute before {@code since}; now it is input 1. */
    static List<Optional<String>> axesInput(ImportNode n, long since) {
        String x = n.requiredInput(0);
        if (n.opset() >= since) return n.inputs(2);
        return n.optionalInts("axes")
                .map(axes -> List.of(Optional.of(x), Optional.of(n.constant("axes", vector(axes)))))
                .orElse(List.of(Optional.of(x)));
    }

    static Tensor vector(List<Long> values) {
        return Tensor.vector(values.stream().mapToLong(Long::longValue).toArray());
    }

    /** Before opset 10: starts, ends and axes attributes. */
    private static void slice(ImportNode n) {
        if (n.opset() >= 10) {
            n.emit(new LayoutOp.Slice(), n.inputs(5), List.of(n.output0()));
            return;
        }
        List<Long> starts = n.optionalInts("starts").orElseThrow(() -> n.fail("attribute 'starts' is required"));
        List<Long> ends = n.optionalInts("ends").orElseThrow(() -> n.fail("attribute 'ends' is required"));
        List<Optional<String>> in = new ArrayList<>(List.of(Optional.of(n.requiredInput(0)),
                Optional.of(n.constant("starts", vector(starts))), Optional.of(n.constant("ends", vector(ends)))));
        n.optionalInts("axes").ifPresent(axes -> in.add(Optional.of(n.constant("axes", vector(axes)))));
        n.emit(new LayoutOp.Slice(), in, List.of(n.output0()));
    }

    /** Before opset 11: pads and value attributes. */
    private static void pad(ImportNode n) {
        LayoutOp.PadMode mode = switch (n.s("mode", "constant")) {
            case "constant" -> LayoutOp.PadMode.CONSTANT;
            case "reflect" -> LayoutOp.PadMode.REFLECT;
            case "edge" -> LayoutOp.PadMode.EDGE;
            case String other -> throw n.fail("mode '" + other + "' is not supported by Kiln; it supports constant, reflect and edge");
        };
        if (n.opset() >= 11) {
            n.emit(new LayoutOp.Pad(mode), n.inputs(4), List.of(n.output0()));
            return;
        }
        String x = n.requiredInput(0);
        List<Long> pads = n.optionalInts("pads").orElseThrow(() -> n.fail("attribute 'pads' is required"));
        ElementType type = n.type(x).element();
        String value = n.constant("value", OnnxTensors.scalar(type, n.f("value", 0f)));
        n.emit(new LayoutOp.Pad(mode), List.of(Optional.of(x), Optional.of(n.constant("pads", vector(pads))), Optional.of(value)),
                List.of(n.output0()));
    }

    private static void split(ImportNode n) {
        long axis = n.i("axis", 0);
        if (n.opset() >= 18) {
            n.attribute("num_outputs").ifPresent(a -> {
                if (a.i() != n.outputCount()) throw n.fail("num_outputs " + a.i() + " but the node has " + n.outputCount() + " outputs");
            });
        }
        List<Optional<String>> in = n.opset() >= 13 ? n.inputs(2)
                : n.optionalInts("split").map(s -> List.of(Optional.of(n.requiredInput(0)), Optional.of(n.constant("split", vector(s)))))
                        .orElse(List.of(Optional.of(n.requiredInput(0))));
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < n.outputCount(); i++) {
            int k = i;
            outs.add(n.output(i).orElseThrow(() -> n.fail("output " + k + " has no name; Split needs every output named")));
        }
        n.emit(new LayoutOp.Split(axis), in, outs);
    }

    /**
     * Opset 11 and later: roi, scales, sizes inputs and the coordinate attributes. Opset 10 had
     * only scales and mode, with the asymmetric transform and a nearest rounding that floors when
     * enlarging and ceils when shrinking (as Upsample did).
     */
    private static void resize(ImportNode n) {
        ResizeMode mode = switch (n.s("mode", "nearest")) {
            case "nearest" -> ResizeMode.NEAREST;
            case "linear" -> ResizeMode.LINEAR;
            case "cubic" -> ResizeMode.CUBIC;
            case String other -> throw n.fail("mode '" + other + "' is not supported by Kiln; it supports nearest, linear and cubic");
        };
        if (n.opset() < 11) {
            if (mode == ResizeMode.CUBIC) throw n.fail("mode 'cubic' needs opset 11 or later (opset 10's Resize has nearest and linear)");
            emitOldResize(n, mode, n.requiredInput(1), false);
            return;
        }
        CoordinateTransform transform = switch (n.s("coordinate_transformation_mode", "half_pixel")) {
            case "half_pixel" -> CoordinateTransform.HALF_PIXEL;
            case "pytorch_half_pixel" -> CoordinateTransform.PYTORCH_HALF_PIXEL;
            case "align_corners" -> CoordinateTransform.ALIGN_CORNERS;
            case "asymmetric" -> CoordinateTransform.ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> CoordinateTransform.TF_HALF_PIXEL_FOR_NN;
            case "tf_crop_and_resize" -> CoordinateTransform.TF_CROP_AND_RESIZE;
            case String other -> throw n.fail("coordinate_transformation_mode '" + other + "' is not supported by Kiln;"
                    + " it supports half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn and tf_crop_and_resize");
        };
        NearestMode nearest = switch (n.s("nearest_mode", "round_prefer_floor")) {
            case "round_prefer_floor" -> NearestMode.ROUND_PREFER_FLOOR;
            case "round_prefer_ceil" -> NearestMode.ROUND_PREFER_CEIL;
            case "floor" -> NearestMode.FLOOR;
            case "ceil" -> NearestMode.CEIL;
            case String other -> throw n.fail("nearest_mode '" + other + "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
        };
        if (n.flag("antialias", false)) throw n.fail("antialias=1 is not supported by Kiln");
        if (!n.s("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw n.fail("keep_aspect_ratio_policy '" + n.s("keep_aspect_ratio_policy", "") + "' is not supported by Kiln; only stretch is");
        }
        boolean excludeOutside = n.i("exclude_outside", 0) != 0;
        double a = n.f("cubic_coeff_a", -0.75f);
        n.emit(new LayoutOp.Resize(mode, transform, nearest, n.ints("axes"), a, excludeOutside, n.f("extrapolation_value", 0f)), n.inputs(4),
                List.of(n.output0()));
    }

    /** Upsample (opsets 7 to 9): scales as an attribute (7) or input 1 (9); the opset-10 Resize rules. */
    private static void upsample(ImportNode n) {
        ResizeMode mode = switch (n.s("mode", "nearest")) {
            case "nearest" -> ResizeMode.NEAREST;
            case "linear", "bilinear" -> ResizeMode.LINEAR;
            case String other -> throw n.fail("mode '" + other + "' is not supported by Kiln; it supports nearest and linear");
        };
        String scales = n.input(1).orElseGet(() -> {
            List<Float> s = n.optionalFloats("scales").orElseThrow(() -> n.fail("needs scales, as input 1 or (opset 7) an attribute"));
            float[] v = new float[s.size()];
            for (int i = 0; i < v.length; i++) v[i] = s.get(i);
            return n.constant("scales", Tensor.floats(new long[] {v.length}, v));
        });
        // Upsample's scales are at least 1, so nearest always floors
        emitOldResize(n, mode, scales, true);
    }

    private static void emitOldResize(ImportNode n, ResizeMode mode, String scales, boolean growsOnly) {
        NearestMode nearest = NearestMode.FLOOR;
        if (mode == ResizeMode.NEAREST && !growsOnly) {
            Tensor s = n.constant(scales).orElseThrow(() -> n.fail("scales must be a constant before opset 11: the nearest rounding"
                    + " depends on whether each axis grows or shrinks"));
            boolean grows = false, shrinks = false;
            for (int i = 0; i < s.size(); i++) {
                grows |= s.getDouble(i) > 1;
                shrinks |= s.getDouble(i) < 1;
            }
            if (grows && shrinks) throw n.fail("scales " + s + " enlarge some axes and shrink others, which Kiln cannot express before opset 11");
            nearest = shrinks ? NearestMode.CEIL : NearestMode.FLOOR;
        }
        n.emit(new LayoutOp.Resize(mode, CoordinateTransform.ASYMMETRIC, nearest, List.of()),
                List.of(Optional.of(n.requiredInput(0)), Optional.empty(), Optional.of(scales)), List.of(n.output0()));
    }
}
