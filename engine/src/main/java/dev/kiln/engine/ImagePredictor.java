package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import java.util.List;
import java.util.Optional;

/**
 * Classifies the images of a column with a registered model, as a plan step (like Spark's deep
 * learning pipelines' ImagePredictor): {@code ImagePredictor.of("image", "pred", "mobilenet")
 * .size(224, 224).topK(5).decodePredictions(labels).transform(frame)} adds {@code pred_scores},
 * {@code pred_indices} and with labels {@code pred_labels} (tensors of k values per row; with
 * {@code topK(1)} scalar columns - DOUBLE, BIGINT, VARCHAR - that queries filter and group on). The
 * preprocessing (resize, channel order, scaling, normalization, layout) and the decoding (softmax,
 * top k, labels) are tensor graphs in the plan around the model, so the optimizer and executor see
 * one program; rows go through the model in batches.
 */
public final class ImagePredictor {
    private final String inputCol;
    private final String outputCol;
    private final String model;
    private int height = 224;
    private int width = 224;
    private boolean rgb = true;
    private float scale = 1f / 255f;
    private float[] mean = {0f, 0f, 0f};
    private float[] std = {1f, 1f, 1f};
    private boolean nchw = true;
    private int topK = 5;
    private boolean softmax;
    private Optional<List<String>> labels = Optional.empty();

    private ImagePredictor(String inputCol, String outputCol, String model) {
        this.inputCol = inputCol;
        this.outputCol = outputCol;
        this.model = model;
    }

    public static ImagePredictor of(String inputCol, String outputCol, String model) {
        return new ImagePredictor(inputCol, outputCol, model);
    }

    /** The model's input height and width (images are resized bilinearly). Default 224 × 224. */
    public ImagePredictor size(int height, int width) {
        if (height < 1 || width < 1) throw new KilnException("image size must be positive, not " + height + " x " + width);
        this.height = height;
        this.width = width;
        return this;
    }

    /** pixel / 255 * scale... precisely: (pixel * scale - mean[c]) / std[c], per channel in the model's order. Default scale 1/255, mean 0, std 1. */
    public ImagePredictor normalize(float scale, float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) throw new KilnException("normalize needs 3 means and 3 standard deviations (one per channel)");
        this.scale = scale;
        this.mean = mean.clone();
        this.std = std.clone();
        return this;
    }

    /** Channel order the model expects: RGB (default) or BGR (the image source's own). */
    public ImagePredictor channelOrder(String order) {
        switch (order.toUpperCase(java.util.Locale.ROOT)) {
            case "RGB" -> rgb = true;
            case "BGR" -> rgb = false;
            default -> throw new KilnException("channel order is RGB or BGR, not " + order);
        }
        return this;
    }

    /** Layout of the model's input: NCHW (default, ONNX's) or NHWC (Keras'). */
    public ImagePredictor layout(String layout) {
        switch (layout.toUpperCase(java.util.Locale.ROOT)) {
            case "NCHW" -> nchw = true;
            case "NHWC" -> nchw = false;
            default -> throw new KilnException("layout is NCHW or NHWC, not " + layout);
        }
        return this;
    }

    public ImagePredictor topK(int k) {
        this.topK = k;
        return this;
    }

    /** Apply a softmax to the model's output first (for models that output logits). */
    public ImagePredictor softmax(boolean on) {
        this.softmax = on;
        return this;
    }

    /** Class names by class index, to output the top classes' names too. */
    public ImagePredictor decodePredictions(List<String> classLabels) {
        this.labels = Optional.of(List.copyOf(classLabels));
        return this;
    }

    public Frame transform(Frame frame) {
        var ref = frame.kiln().model(model).orElseThrow(() -> new KilnException("no model " + model + "; register one with CREATE MODEL or registerModel"));
        int image = ImageModels.pixels(frame.relation(), "ImagePredictor", inputCol);
        var p = new ImageModels.Preprocess(height, width, rgb, scale, mean, std, nchw);
        return frame.withPlan(ImageModels.predict(frame.relation().rel(), image, ref, p, softmax, topK, labels, outputCol));
    }
}
