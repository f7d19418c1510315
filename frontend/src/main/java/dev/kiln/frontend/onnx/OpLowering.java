package dev.kiln.frontend.onnx;

/** How one ONNX op type becomes tensor IR nodes: reads the node's attributes, emits nodes. */
@FunctionalInterface
interface OpLowering {
    void lower(ImportNode node);
}
