package dev.kiln.frontend.onnx;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes an {@code AttributeProto}: 1 name, 2 f, 3 i, 4 s, 5 t, 6 g, 7 floats, 8 ints, 9 strings,
 * 10 tensors, 11 graphs, 14 tp, 15 type_protos, 20 type, 22 sparse_tensor, 23 sparse_tensors
 * (onnx/onnx.proto). The {@code type} field decides which value is meant; files written before
 * it existed are read by which value field is present.
 */
final class AttributeDecoder {
    private AttributeDecoder() {}

    static OnnxAttribute attribute(ProtoReader r) {
        String name = "";
        long typeCode = 0;
        float f = 0;
        long i = 0;
        String s = "";
        OnnxTensor t = null;
        OnnxGraph g = null;
        LongList floats = new LongList(), ints = new LongList();
        List<String> strings = new ArrayList<>();
        List<OnnxTensor> tensors = new ArrayList<>();
        List<OnnxGraph> graphs = new ArrayList<>();
        Set<AttributeType> present = EnumSet.noneOf(AttributeType.class);
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string("name");
                case 20 -> typeCode = r.varint("type");
                case 2 -> { f = r.float32("f"); present.add(AttributeType.FLOAT); }
                case 3 -> { i = r.varint("i"); present.add(AttributeType.INT); }
                case 4 -> { s = r.string("s"); present.add(AttributeType.STRING); }
                case 5 -> { t = TensorDecoder.tensor(r.message("t")); present.add(AttributeType.TENSOR); }
                case 6 -> { g = OnnxDecoder.graph(r.message("g")); present.add(AttributeType.GRAPH); }
                case 7 -> { r.fixed32s("floats", floats); present.add(AttributeType.FLOATS); }
                case 8 -> { r.varints("ints", ints); present.add(AttributeType.INTS); }
                case 9 -> { strings.add(r.string("strings[" + strings.size() + "]")); present.add(AttributeType.STRINGS); }
                case 10 -> { tensors.add(TensorDecoder.tensor(r.message("tensors[" + tensors.size() + "]"))); present.add(AttributeType.TENSORS); }
                case 11 -> { graphs.add(OnnxDecoder.graph(r.message("graphs[" + graphs.size() + "]"))); present.add(AttributeType.GRAPHS); }
                case 22 -> { r.skip(); present.add(AttributeType.SPARSE_TENSOR); }
                case 23 -> { r.skip(); present.add(AttributeType.SPARSE_TENSORS); }
                case 14 -> { r.skip(); present.add(AttributeType.TYPE_PROTO); }
                case 15 -> { r.skip(); present.add(AttributeType.TYPE_PROTOS); }
                default -> r.skip();
            }
        }
        long code = typeCode;
        String attr = name;
        AttributeType type = AttributeType.ofCode(code)
                .orElseThrow(() -> r.messageError("attribute '" + attr + "' has type " + code + ", which is not an ONNX attribute type"));
        if (type == AttributeType.UNDEFINED) {
            // before the type field (IR 1 and some old writers): the one value field present says it
            if (present.size() != 1) {
                throw r.messageError("attribute '" + name + "' has no type and " + (present.isEmpty() ? "no value" : "several values " + present));
            }
            type = present.iterator().next();
        }
        return new OnnxAttribute(name, switch (type) {
            case UNDEFINED -> throw new IllegalStateException("resolved above");
            case FLOAT -> new OnnxAttribute.FloatValue(f);
            case INT -> new OnnxAttribute.IntValue(i);
            case STRING -> new OnnxAttribute.StringValue(s);
            case TENSOR -> new OnnxAttribute.TensorValue(required(r, name, type, t));
            case GRAPH -> new OnnxAttribute.GraphValue(required(r, name, type, g));
            case FLOATS -> new OnnxAttribute.FloatsValue(boxFloats(floats.toFloatArray()));
            case INTS -> new OnnxAttribute.IntsValue(boxLongs(ints.toLongArray()));
            case STRINGS -> new OnnxAttribute.StringsValue(strings);
            case TENSORS -> new OnnxAttribute.TensorsValue(tensors);
            case GRAPHS -> new OnnxAttribute.GraphsValue(graphs);
            case SPARSE_TENSOR, SPARSE_TENSORS, TYPE_PROTO, TYPE_PROTOS -> new OnnxAttribute.NotRead(type);
        });
    }

    /** Scalars default to 0 or "" when a writer left them out; a tensor or graph cannot. */
    private static <T> T required(ProtoReader r, String name, AttributeType type, T value) {
        if (value == null) throw r.messageError("attribute '" + name + "' is of type " + type + " but holds no value");
        return value;
    }

    private static List<Float> boxFloats(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) out.add(v);
        return out;
    }

    private static List<Long> boxLongs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) out.add(v);
        return out;
    }
}
