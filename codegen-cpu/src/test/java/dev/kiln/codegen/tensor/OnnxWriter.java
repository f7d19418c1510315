package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.Window;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Writes the benchmark graphs as ONNX (opset 18) so ONNX Runtime runs exactly the same model:
 * a minimal protobuf encoder for ModelProto and the ops {@link Graphs} uses, nothing more.
 */
final class OnnxWriter {
    private OnnxWriter() {}

    static byte[] write(TensorGraph g, long[] inputShape) {
        Proto graph = new Proto();
        for (TensorNode n : g.nodes()) graph.bytes(1, node(n));
        graph.string(2, g.name());
        g.initializers().forEach((name, t) -> graph.bytes(5, tensor(name, t)));
        for (TensorValue v : g.inputs()) graph.bytes(11, valueInfo(v.name(), inputShape));
        for (TensorValue v : g.outputs()) graph.bytes(12, valueInfo(v.name(), new long[0]));
        Proto opset = new Proto().string(1, "").varint(2, 18);
        return new Proto().varint(1, 8).bytes(8, opset.done()).bytes(7, graph.done()).done();
    }

    private static byte[] node(TensorNode n) {
        Proto p = new Proto();
        for (Optional<String> in : n.inputs()) p.string(1, in.orElse(""));
        for (String out : n.outputs()) p.string(2, out);
        p.string(3, n.name()).string(4, n.op().opName());
        switch (n.op()) {
            case NeuralOp.Conv c -> { window(p, c.window()); p.bytes(5, intAttr("group", c.group())); }
            case NeuralOp.MaxPool m -> { window(p, m.window()); p.bytes(5, intAttr("ceil_mode", m.ceilMode() ? 1 : 0)); }
            case NeuralOp.AveragePool a -> { window(p, a.window()); p.bytes(5, intAttr("ceil_mode", a.ceilMode() ? 1 : 0)); }
            case NeuralOp.BatchNormalization b -> p.bytes(5, floatAttr("epsilon", b.epsilon()));
            case NeuralOp.Gemm gm -> p.bytes(5, floatAttr("alpha", gm.alpha())).bytes(5, floatAttr("beta", gm.beta()))
                    .bytes(5, intAttr("transA", gm.transA() ? 1 : 0)).bytes(5, intAttr("transB", gm.transB() ? 1 : 0));
            case NeuralOp.Softmax s -> p.bytes(5, intAttr("axis", s.axis()));
            case LayoutOp.Concat c -> p.bytes(5, intAttr("axis", c.axis()));
            case LayoutOp.Flatten f -> p.bytes(5, intAttr("axis", f.axis()));
            case LayoutOp.Transpose t -> p.bytes(5, intsAttr("perm", t.perm()));
            case ReductionOp.Reduce r -> p.bytes(5, intAttr("keepdims", r.keepDims() ? 1 : 0));
            case NeuralOp.MatMul m -> { }
            case LayoutOp.Reshape r -> { }
            case NeuralOp.GlobalAveragePool gp -> { }
            case ElementwiseOp e -> { }
            default -> throw new IllegalArgumentException("OnnxWriter does not write " + n.op().opName());
        }
        return p.done();
    }

    private static void window(Proto p, Window w) {
        if (!w.kernelShape().isEmpty()) p.bytes(5, intsAttr("kernel_shape", w.kernelShape()));
        if (!w.strides().isEmpty()) p.bytes(5, intsAttr("strides", w.strides()));
        if (!w.pads().isEmpty()) p.bytes(5, intsAttr("pads", w.pads()));
    }

    private static byte[] intAttr(String name, long v) { return new Proto().string(1, name).varint(20, 2).varint(3, v).done(); }

    private static byte[] floatAttr(String name, float v) { return new Proto().string(1, name).varint(20, 1).fixed32(2, Float.floatToRawIntBits(v)).done(); }

    private static byte[] intsAttr(String name, List<Long> vs) {
        Proto p = new Proto().string(1, name).varint(20, 7);
        for (long v : vs) p.varint(8, v);
        return p.done();
    }

    private static byte[] tensor(String name, Tensor t) {
        Proto p = new Proto();
        for (long d : t.shape()) p.varint(1, d);
        boolean f = t.type() == ElementType.FLOAT32;
        p.varint(2, f ? 1 : 7).string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(t.size() * (f ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            if (f) raw.putFloat((float) t.getDouble(i));
            else raw.putLong(t.getLong(i));
        }
        return p.bytes(9, raw.array()).done();
    }

    /** A float tensor value; an empty shape leaves the shape out (outputs: ORT infers them). */
    private static byte[] valueInfo(String name, long[] shape) {
        Proto tt = new Proto().varint(1, 1);
        if (shape.length > 0) {
            Proto sh = new Proto();
            for (long d : shape) sh.bytes(1, new Proto().varint(1, d).done());
            tt.bytes(2, sh.done());
        }
        return new Proto().string(1, name).bytes(2, new Proto().bytes(1, tt.done()).done()).done();
    }

    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        Proto varint(int field, long v) { raw((long) field << 3); raw(v); return this; }

        Proto fixed32(int field, int v) {
            raw(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) out.write((v >>> (8 * i)) & 0xFF);
            return this;
        }

        Proto bytes(int field, byte[] b) { raw(((long) field << 3) | 2); raw(b.length); out.writeBytes(b); return this; }

        Proto string(int field, String s) { return bytes(field, s.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }

        byte[] done() { return out.toByteArray(); }
    }
}
