package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import java.util.Optional;

/**
 * A named graph value with its declared type ({@code ValueInfoProto}): a graph input or output,
 * or an intermediate value annotated by shape inference.
 *
 * @param type absent when the model does not declare it
 */
public record OnnxValueInfo(String name, Optional<OnnxType> type) {
    /** The tensor type, or an error saying what the value is instead. */
    public OnnxType.TensorType tensorType() {
        return switch (type.orElseThrow(() -> new KilnException("value '" + name + "' has no declared type"))) {
            case OnnxType.TensorType t -> t;
            case OnnxType other -> throw new KilnException("value '" + name + "' is " + other + ", not a dense tensor");
        };
    }
}
