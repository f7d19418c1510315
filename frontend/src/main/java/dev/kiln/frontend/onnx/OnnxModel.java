package dev.kiln.frontend.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * An ONNX model ({@code ModelProto}) read into plain records, without protobuf classes. Models
 * must be self-contained (no external data) and of IR version 3 or later (opset imports). The
 * model-local functions of IR 8+ are not read; {@code functionNames} lists them so an importer
 * can say why a node's op type is unknown.
 *
 * @param opsetImports the operator sets the model's nodes refer to
 * @param metadata {@code metadata_props}, in file order
 * @param functionNames "domain:name" of each model-local function
 */
public record OnnxModel(long irVersion, List<OnnxOpset> opsetImports, String producerName, String producerVersion,
                        String domain, long modelVersion, OnnxGraph graph, SequencedMap<String, String> metadata,
                        List<String> functionNames) {
    /** The oldest IR version read: IR 3 introduced opset imports, which everything else depends on. */
    public static final long MIN_IR_VERSION = 3;

    public OnnxModel {
        opsetImports = List.copyOf(opsetImports);
        metadata = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(metadata));
        functionNames = List.copyOf(functionNames);
    }

    /** Reads a {@code .onnx} file. */
    public static OnnxModel read(Path file) {
        return OnnxDecoder.model(OnnxFiles.readAll(file), file.toString());
    }

    /** Reads a model from bytes; {@code source} names it in errors. The bytes are copied. */
    public static OnnxModel read(byte[] bytes, String source) {
        return OnnxDecoder.model(bytes.clone(), source);
    }

    /** Reads a model from a stream (e.g. a jar resource); does not close it. */
    public static OnnxModel read(InputStream in, String source) throws IOException {
        return OnnxDecoder.model(OnnxFiles.readAll(in, source), source);
    }

    /** The version of the default ONNX operator set the model imports, if any. */
    public OptionalLong defaultOpset() {
        return opsetImports.stream().filter(OnnxOpset::isDefaultDomain).mapToLong(OnnxOpset::version).max();
    }
}
