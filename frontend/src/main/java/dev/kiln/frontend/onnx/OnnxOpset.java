package dev.kiln.frontend.onnx;

/**
 * An operator set a model imports ({@code OperatorSetIdProto}). The default domain is written
 * "" (or "ai.onnx"); "ai.onnx.ml" holds the classical ML operators.
 */
public record OnnxOpset(String domain, long version) {
    /** True for the default ONNX domain, however it is spelled. */
    public boolean isDefaultDomain() {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }
}
