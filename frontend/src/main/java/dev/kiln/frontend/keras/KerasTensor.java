package dev.kiln.frontend.keras;

/**
 * A Keras tensor as built in the graph: the IR value holding it and its layout there. Keras is
 * channels-last (NHWC); the IR's convolutions and pools are ONNX's, channels-first (NCHW). Rank-4
 * values are kept in whichever layout their producer gave, and converted only where a consumer
 * needs the other one (see {@link LayerContext#nchw} and {@link LayerContext#nhwc}), so a chain of
 * convolutions never transposes between its layers.
 */
record KerasTensor(String value, boolean channelsFirst) {}
