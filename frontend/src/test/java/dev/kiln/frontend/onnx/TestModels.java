package dev.kiln.frontend.onnx;

/** Small ONNX messages built by hand with {@link ProtoBytes}, using onnx.proto's field numbers. */
final class TestModels {
    private TestModels() {}

    static ProtoBytes tensorType(int elemType, ProtoBytes shape) {
        ProtoBytes tensor = new ProtoBytes().varint(1, elemType);
        if (shape != null) tensor.message(2, shape);
        return new ProtoBytes().message(1, tensor);
    }

    static ProtoBytes valueInfo(String name, ProtoBytes type) {
        ProtoBytes info = new ProtoBytes().string(1, name);
        if (type != null) info.message(2, type);
        return info;
    }

    /** A raw_data FLOAT tensor. */
    static ProtoBytes floatTensor(String name, long[] dims, float... values) {
        ProtoBytes t = new ProtoBytes();
        if (dims.length > 0) t.packedVarints(1, dims);
        t.varint(2, ElementType.FLOAT.code()).string(8, name);
        byte[] raw = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int b = 0; b < 4; b++) raw[4 * i + b] = (byte) (bits >>> (8 * b));
        }
        return t.bytes(9, raw);
    }

    static ProtoBytes attribute(String name, int type) {
        ProtoBytes a = new ProtoBytes().string(1, name);
        if (type != 0) a.varint(20, type);
        return a;
    }

    /**
     * x[batch, 2] MatMul w[2, 2] (an initializer) → y, then Clip(y, "") → z with one attribute of
     * each kind; a value_info for y (unknown dim) and a sequence.
     */
    static ProtoBytes model() {
        ProtoBytes subgraph = new ProtoBytes().string(2, "body")
                .message(1, new ProtoBytes().string(1, "a").string(2, "b").string(4, "Identity"));
        ProtoBytes clip = new ProtoBytes().string(1, "y").string(1, "").string(2, "z").string(4, "Clip")
                .message(5, attribute("alpha", 1).float32(2, 0.5f))
                .message(5, attribute("axes", 7).packedVarints(8, 1, -1))
                .message(5, attribute("mode", 3).string(4, "constant"))
                .message(5, attribute("value", 4).message(5, new ProtoBytes().packedVarints(1, 2)
                        .varint(2, ElementType.FLOAT16.code()).packedVarints(5, 0x3C00, 0xC000)))
                .message(5, attribute("old", 0).varint(3, 7))
                .message(5, attribute("names", 8).string(9, "a").string(9, "b"))
                .message(5, attribute("scales", 6).float32(7, 0.25f))
                .message(5, attribute("body", 5).message(6, subgraph));
        ProtoBytes graph = new ProtoBytes()
                .message(1, new ProtoBytes().string(1, "x").string(1, "w").string(2, "y").string(3, "mm").string(4, "MatMul"))
                .message(1, clip)
                .string(2, "g")
                .message(5, floatTensor("w", new long[] {2, 2}, 1, 2, 3, 4))
                .message(11, valueInfo("x", tensorType(1, new ProtoBytes()
                        .message(1, new ProtoBytes().string(2, "batch")).message(1, new ProtoBytes().varint(1, 2)))))
                .message(11, valueInfo("w", tensorType(1, new ProtoBytes()
                        .message(1, new ProtoBytes().varint(1, 2)).message(1, new ProtoBytes().varint(1, 2)))))
                .message(12, valueInfo("z", tensorType(1, null)))
                .message(13, valueInfo("y", tensorType(1, new ProtoBytes().message(1, new ProtoBytes()).message(1, new ProtoBytes().varint(1, 2)))))
                .message(13, valueInfo("seq", new ProtoBytes().message(4, new ProtoBytes().message(1, tensorType(7, new ProtoBytes())))))
                .message(13, valueInfo("untyped", null));
        return new ProtoBytes()
                .varint(1, 8)
                .string(2, "kiln-test").string(3, "1.0").string(4, "dev.kiln").varint(5, 3)
                .string(6, "a doc string, skipped")
                .message(7, graph)
                .message(8, new ProtoBytes().string(1, "").varint(2, 13))
                .message(8, new ProtoBytes().string(1, "ai.onnx.ml").varint(2, 3))
                .message(14, new ProtoBytes().string(1, "k").string(2, "v"))
                .message(25, new ProtoBytes().string(1, "MyFn").string(10, "custom"));
    }
}
