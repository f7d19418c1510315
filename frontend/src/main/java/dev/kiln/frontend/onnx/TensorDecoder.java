package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a {@code TensorProto}. Field numbers are those of onnx/onnx.proto (message TensorProto):
 * 1 dims, 2 data_type, 3 segment, 4 float_data, 5 int32_data, 6 string_data, 7 int64_data,
 * 8 name, 9 raw_data, 10 double_data, 11 uint64_data, 12 doc_string, 13 external_data,
 * 14 data_location, 16 metadata_props.
 */
final class TensorDecoder {
    private TensorDecoder() {}

    /** A whole file holding one TensorProto (the ONNX test data's {@code input_0.pb}). */
    static OnnxTensor file(byte[] bytes, String source) {
        return tensor(ProtoReader.of(bytes, source));
    }

    static OnnxTensor tensor(ProtoReader r) {
        LongList dims = new LongList();
        long dataType = 0;
        String name = "";
        List<TensorData> data = new ArrayList<>(1);
        List<String> fields = new ArrayList<>(1);
        LongList floats = null, int32s = null, int64s = null, doubles = null, uint64s = null;
        List<byte[]> strings = null;
        String externalLocation = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.varints("dims", dims);
                case 2 -> dataType = r.varint("data_type");
                case 3 -> throw r.error("segment", "segmented tensors (TensorProto.segment) are not supported");
                case 4 -> r.fixed32s("float_data", floats = floats == null ? new LongList() : floats);
                case 5 -> r.varints("int32_data", int32s = int32s == null ? new LongList() : int32s);
                case 6 -> (strings = strings == null ? new ArrayList<>() : strings).add(r.bytes("string_data"));
                case 7 -> r.varints("int64_data", int64s = int64s == null ? new LongList() : int64s);
                case 8 -> name = r.string("name");
                case 9 -> {
                    data.add(new TensorData.Raw(r.slice("raw_data")));
                    fields.add("raw_data");
                }
                case 10 -> r.fixed64s("double_data", doubles = doubles == null ? new LongList() : doubles);
                case 11 -> r.varints("uint64_data", uint64s = uint64s == null ? new LongList() : uint64s);
                case 13 -> externalLocation = externalLocation(r.message("external_data"), externalLocation);
                case 14 -> {
                    if (r.varint("data_location") == 1 && externalLocation == null) externalLocation = "?";
                }
                default -> r.skip();
            }
        }
        if (externalLocation != null) {
            throw r.messageError("tensor '" + name + "' keeps its values in an external file ('" + externalLocation
                    + "'); Kiln reads self-contained models only: save the model with"
                    + " onnx.save_model(model, path, save_as_external_data=False) (possible below 2 GiB)");
        }
        String tensorName = name;
        long code = dataType;
        ElementType type = ElementType.ofCode(code)
                .orElseThrow(() -> r.messageError("tensor '" + tensorName + "' has data_type " + code + ", which is not an ONNX element type"));
        if (floats != null) add(data, fields, "float_data", new TensorData.Floats(floats.toFloatArray()));
        if (int32s != null) add(data, fields, "int32_data", new TensorData.Int32s(int32s.toIntArray()));
        if (strings != null) add(data, fields, "string_data", new TensorData.Strings(strings));
        if (int64s != null) add(data, fields, "int64_data", new TensorData.Int64s(int64s.toLongArray()));
        if (doubles != null) add(data, fields, "double_data", new TensorData.Doubles(doubles.toDoubleArray()));
        if (uint64s != null) add(data, fields, "uint64_data", new TensorData.UInt64s(uint64s.toLongArray()));
        if (data.size() > 1) {
            throw r.messageError("tensor '" + name + "' sets more than one of the value fields: " + String.join(", ", fields));
        }
        long[] shape = dims.toLongArray();
        List<Long> dimList = new ArrayList<>(shape.length);
        for (long d : shape) dimList.add(d);
        TensorData values = data.isEmpty() ? empty(type) : data.getFirst();
        try {
            return new OnnxTensor(name, dimList, type, values);
        } catch (KilnException e) {
            boolean noValues = data.isEmpty() && e.getMessage().contains("holds 0 values");
            throw r.messageError(e.getMessage() + (noValues ? " (no value field is set)" : ""));
        }
    }

    private static void add(List<TensorData> data, List<String> fields, String field, TensorData values) {
        data.add(values);
        fields.add(field);
    }

    /** A tensor of no elements stores nothing; its (empty) data is kept in the field its type uses. */
    private static TensorData empty(ElementType type) {
        return type == ElementType.STRING ? new TensorData.Strings(List.of()) : new TensorData.Raw(MemorySegment.ofArray(new byte[0]));
    }

    /** The "location" of one external_data entry (a StringStringEntryProto: 1 key, 2 value). */
    private static String externalLocation(ProtoReader entry, String previous) {
        String key = "";
        String value = "";
        while (entry.next()) {
            switch (entry.field()) {
                case 1 -> key = entry.string("key");
                case 2 -> value = entry.string("value");
                default -> entry.skip();
            }
        }
        return key.equals("location") ? value : previous == null ? "?" : previous;
    }
}
