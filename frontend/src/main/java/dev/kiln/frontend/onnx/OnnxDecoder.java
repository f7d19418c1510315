package dev.kiln.frontend.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * Decodes {@code ModelProto} and the messages below it into the Onnx* records. Field numbers are
 * those of onnx/onnx.proto (github.com/onnx/onnx, IR version 3 and later), named in each switch;
 * fields Kiln does not use (doc strings, training info, device configurations) are skipped.
 */
final class OnnxDecoder {
    private OnnxDecoder() {}

    static OnnxModel model(byte[] bytes, String source) {
        if (bytes.length == 0) throw new OnnxFormatException(source, 0, "(model)", "the file is empty, not an ONNX model");
        ProtoReader r = ProtoReader.of(bytes, source);
        long irVersion = 0;
        List<OnnxOpset> opsets = new ArrayList<>();
        String producerName = "", producerVersion = "", domain = "";
        long modelVersion = 0;
        OnnxGraph graph = null;
        SequencedMap<String, String> metadata = new LinkedHashMap<>();
        List<String> functions = new ArrayList<>();
        try {
            // ModelProto: 1 ir_version, 2 producer_name, 3 producer_version, 4 domain, 5 model_version,
            // 7 graph, 8 opset_import, 14 metadata_props, 25 functions
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> irVersion = r.varint("ir_version");
                    case 2 -> producerName = r.string("producer_name");
                    case 3 -> producerVersion = r.string("producer_version");
                    case 4 -> domain = r.string("domain");
                    case 5 -> modelVersion = r.varint("model_version");
                    case 7 -> graph = graph(r.message("graph"));
                    case 8 -> opsets.add(opset(r.message("opset_import[" + opsets.size() + "]")));
                    case 14 -> entry(r.message("metadata_props[" + metadata.size() + "]"), metadata);
                    case 25 -> functions.add(functionName(r.message("functions[" + functions.size() + "]")));
                    default -> r.skip();
                }
            }
        } catch (OnnxFormatException e) {
            // every ONNX writer puts ir_version (field 1) first: without it, this is likely not ONNX
            if (irVersion == 0) throw notOnnx(bytes, source, e.offset(), e.what());
            throw e;
        }
        if (irVersion == 0 && graph == null) throw notOnnx(bytes, source, -1, "it has neither an ir_version nor a graph");
        if (irVersion < OnnxModel.MIN_IR_VERSION) {
            throw r.messageError("IR version " + irVersion + " is older than " + OnnxModel.MIN_IR_VERSION
                    + ", the first with operator set imports; convert the model with a newer ONNX exporter");
        }
        if (graph == null) throw r.messageError("the model has no graph");
        return new OnnxModel(irVersion, opsets, producerName, producerVersion, domain, modelVersion, graph, metadata, functions);
    }

    private static OnnxFormatException notOnnx(byte[] bytes, String source, long offset, String why) {
        return new OnnxFormatException(source, offset, "(model)", "not an ONNX model (a ModelProto): " + why
                + "; the file starts with " + head(bytes));
    }

    /** The first bytes in hex and as ASCII, which usually tell what a file really is (PK, %PDF, {, ...). */
    private static String head(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            int b = bytes[i] & 0xFF;
            hex.append(String.format("%02X ", b));
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return hex.toString().trim() + " \"" + text + "\"";
    }

    /** GraphProto: 1 node, 2 name, 5 initializer, 11 input, 12 output, 13 value_info, 15 sparse_initializer. */
    static OnnxGraph graph(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>(), outputs = new ArrayList<>(), valueInfo = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> nodes.add(node(r.message("node[" + nodes.size() + "]")));
                case 2 -> name = r.string("name");
                case 5 -> initializers.add(TensorDecoder.tensor(r.message("initializer[" + initializers.size() + "]")));
                case 11 -> inputs.add(valueInfo(r.message("input[" + inputs.size() + "]")));
                case 12 -> outputs.add(valueInfo(r.message("output[" + outputs.size() + "]")));
                case 13 -> valueInfo.add(valueInfo(r.message("value_info[" + valueInfo.size() + "]")));
                case 15 -> throw r.error("sparse_initializer", "sparse initializers are not supported yet; store the tensor dense");
                default -> r.skip();
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, valueInfo);
    }

    /** NodeProto: 1 input, 2 output, 3 name, 4 op_type, 5 attribute, 7 domain. */
    private static OnnxNode node(ProtoReader r) {
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        List<OnnxAttribute> attributes = new ArrayList<>();
        String name = "", opType = "", domain = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string("input[" + inputs.size() + "]"));
                case 2 -> outputs.add(r.string("output[" + outputs.size() + "]"));
                case 3 -> name = r.string("name");
                case 4 -> opType = r.string("op_type");
                case 5 -> attributes.add(AttributeDecoder.attribute(r.message("attribute[" + attributes.size() + "]")));
                case 7 -> domain = r.string("domain");
                default -> r.skip();
            }
        }
        if (opType.isEmpty()) throw r.messageError("node '" + name + "' has no op_type");
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    /** ValueInfoProto: 1 name, 2 type. */
    private static OnnxValueInfo valueInfo(ProtoReader r) {
        String name = "";
        Optional<OnnxType> type = Optional.empty();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string("name");
                case 2 -> type = TypeDecoder.type(r.message("type"));
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, type);
    }

    /** OperatorSetIdProto: 1 domain, 2 version. */
    private static OnnxOpset opset(ProtoReader r) {
        String domain = "";
        long version = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> domain = r.string("domain");
                case 2 -> version = r.varint("version");
                default -> r.skip();
            }
        }
        return new OnnxOpset(domain, version);
    }

    /** StringStringEntryProto: 1 key, 2 value. */
    private static void entry(ProtoReader r, SequencedMap<String, String> into) {
        String key = "", value = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = r.string("key");
                case 2 -> value = r.string("value");
                default -> r.skip();
            }
        }
        into.put(key, value);
    }

    /** FunctionProto, its name only: 1 name, 10 domain. */
    private static String functionName(ProtoReader r) {
        String name = "", domain = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string("name");
                case 10 -> domain = r.string("domain");
                default -> r.skip();
            }
        }
        return domain + ":" + name;
    }
}
