package dev.kiln.frontend.keras;

import java.util.Map;
import java.util.TreeSet;

/**
 * The Keras layer classes Kiln imports, each with the function that lowers one call of it. This
 * table is the single list of what is supported: the importer checks a whole model against it
 * before building anything, so an unsupported model fails once, naming every layer it cannot take.
 */
final class LayerLowerings {
    @FunctionalInterface
    interface Lowering {
        KerasTensor lower(LayerContext cx);
    }

    /** InputLayer is not here: it makes a graph input rather than nodes (see {@link KerasImporter}). */
    static final Map<String, Lowering> BY_CLASS = Map.ofEntries(
            Map.entry("Conv2D", ConvLayers::conv2d),
            Map.entry("DepthwiseConv2D", ConvLayers::depthwise),
            Map.entry("SeparableConv2D", ConvLayers::separable),
            Map.entry("BatchNormalization", NormalizationLayers::batchNorm),
            Map.entry("Rescaling", NormalizationLayers::rescaling),
            Map.entry("Dense", CoreLayers::dense),
            Map.entry("Activation", CoreLayers::activation),
            Map.entry("ReLU", CoreLayers::relu),
            Map.entry("LeakyReLU", CoreLayers::leakyRelu),
            Map.entry("Softmax", CoreLayers::softmax),
            Map.entry("Flatten", CoreLayers::flatten),
            Map.entry("Reshape", CoreLayers::reshape),
            Map.entry("ZeroPadding2D", CoreLayers::zeroPadding),
            Map.entry("Dropout", CoreLayers::identity),
            Map.entry("SpatialDropout2D", CoreLayers::identity),
            Map.entry("GaussianNoise", CoreLayers::identity),
            Map.entry("GaussianDropout", CoreLayers::identity),
            Map.entry("AlphaDropout", CoreLayers::identity),
            Map.entry("MaxPooling2D", PoolLayers::maxPool),
            Map.entry("AveragePooling2D", PoolLayers::averagePool),
            Map.entry("GlobalAveragePooling2D", PoolLayers::globalAverage),
            Map.entry("GlobalMaxPooling2D", PoolLayers::globalMax),
            Map.entry("Add", MergeLayers::add),
            Map.entry("Subtract", MergeLayers::subtract),
            Map.entry("Multiply", MergeLayers::multiply),
            Map.entry("Average", MergeLayers::average),
            Map.entry("Maximum", MergeLayers::maximum),
            Map.entry("Minimum", MergeLayers::minimum),
            Map.entry("Concatenate", MergeLayers::concatenate));

    private LayerLowerings() {}

    /** Every supported class name, sorted, InputLayer included (for messages and documentation). */
    static TreeSet<String> supported() {
        TreeSet<String> s = new TreeSet<>(BY_CLASS.keySet());
        s.add("InputLayer");
        return s;
    }
}
