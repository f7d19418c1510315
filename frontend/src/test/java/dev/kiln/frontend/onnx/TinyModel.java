package dev.kiln.frontend.onnx;

import java.util.ArrayList;
import java.util.List;

/** Builds small ONNX models in code (onnx.proto's field numbers), for importer tests run against ONNX Runtime. */
final class TinyModel {
    private final long opset;
    private long mlOpset = -1;
    private final List<ProtoBytes> nodes = new ArrayList<>(), inits = new ArrayList<>(), inputs = new ArrayList<>(), outputs = new ArrayList<>();

    TinyModel(long opset) {
        this.opset = opset;
    }

    /** A node attribute, as encoded. */
    record Attr(ProtoBytes bytes) {
        static Attr i(String name, long v) { return new Attr(TestModels.attribute(name, 2).varint(3, v)); }
        static Attr f(String name, float v) { return new Attr(TestModels.attribute(name, 1).float32(2, v)); }
        static Attr s(String name, String v) { return new Attr(TestModels.attribute(name, 3).string(4, v)); }
        static Attr ints(String name, long... v) { return new Attr(TestModels.attribute(name, 7).packedVarints(8, v)); }
        static Attr strings(String name, String... v) {
            ProtoBytes a = TestModels.attribute(name, 8);
            for (String x : v) a.string(9, x);
            return new Attr(a);
        }
        /** A 1-D DOUBLE tensor attribute (the {@code *_as_tensor} forms of ai.onnx.ml opset 3). */
        static Attr doubles(String name, double... v) {
            ProtoBytes t = new ProtoBytes().packedVarints(1, v.length).varint(2, ElementType.DOUBLE.code()).packedDoubles(10, v);
            return new Attr(TestModels.attribute(name, 4).message(5, t));
        }
        static Attr floats(String name, float... v) {
            ProtoBytes a = TestModels.attribute(name, 6);
            for (float f : v) a.float32(7, f);
            return new Attr(a);
        }
    }

    TinyModel input(String name, ElementType type, long... dims) {
        ProtoBytes shape = new ProtoBytes();
        for (long d : dims) shape.message(1, new ProtoBytes().varint(1, d));
        inputs.add(TestModels.valueInfo(name, TestModels.tensorType(type.code(), shape)));
        return this;
    }

    /** An input whose first dim is the symbol {@code batch}, the others known. */
    TinyModel batchInput(String name, ElementType type, String batch, long... dims) {
        ProtoBytes shape = new ProtoBytes().message(1, new ProtoBytes().string(2, batch));
        for (long d : dims) shape.message(1, new ProtoBytes().varint(1, d));
        inputs.add(TestModels.valueInfo(name, TestModels.tensorType(type.code(), shape)));
        return this;
    }

    /** Imports the {@code ai.onnx.ml} operator set at this version too. */
    TinyModel mlOpset(long version) {
        this.mlOpset = version;
        return this;
    }

    /** An output of known element type and unknown shape. */
    TinyModel output(String name, ElementType type) {
        outputs.add(TestModels.valueInfo(name, TestModels.tensorType(type.code(), null)));
        return this;
    }

    TinyModel floats(String name, long[] dims, float... values) {
        inits.add(TestModels.floatTensor(name, dims, values));
        return this;
    }

    TinyModel int64s(String name, long... values) {
        inits.add(new ProtoBytes().packedVarints(1, values.length).varint(2, ElementType.INT64.code()).string(8, name).packedVarints(7, values));
        return this;
    }

    TinyModel node(String op, List<String> in, List<String> out, Attr... attrs) {
        return node("", op, in, out, attrs);
    }

    TinyModel node(String domain, String op, List<String> in, List<String> out, Attr... attrs) {
        ProtoBytes n = new ProtoBytes();
        for (String i : in) n.string(1, i);
        for (String o : out) n.string(2, o);
        n.string(3, op.toLowerCase() + nodes.size()).string(4, op);
        for (Attr a : attrs) n.message(5, a.bytes());
        if (!domain.isEmpty()) n.string(7, domain);
        nodes.add(n);
        return this;
    }

    byte[] bytes() {
        ProtoBytes g = new ProtoBytes();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, "tiny");
        inits.forEach(t -> g.message(5, t));
        inputs.forEach(i -> g.message(11, i));
        outputs.forEach(o -> g.message(12, o));
        ProtoBytes m = new ProtoBytes().varint(1, mlOpset >= 0 ? 8 : 7).string(2, "kiln-test").message(7, g)
                .message(8, new ProtoBytes().string(1, "").varint(2, opset));
        if (mlOpset >= 0) m.message(8, new ProtoBytes().string(1, "ai.onnx.ml").varint(2, mlOpset));
        return m.toByteArray();
    }

    OnnxModel model() {
        return OnnxModel.read(bytes(), "tiny");
    }
}
