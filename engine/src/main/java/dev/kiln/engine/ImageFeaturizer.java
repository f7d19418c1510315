package dev.kiln.engine;

import dev.kiln.ir.KilnException;

/**
 * Turns the images of a column into feature vectors with a registered model (an output before its
 * classifier, or its only output): {@code ImageFeaturizer.of("image", "features", "mobilenet",
 * "embedding").size(224, 224).transform(frame)}. The same preprocessing as {@link ImagePredictor}.
 */
public final class ImageFeaturizer {
    private final String inputCol;
    private final String outputCol;
    private final String model;
    private final String modelOutput;
    private int height = 224;
    private int width = 224;
    private float scale = 1f / 255f;
    private float[] mean = {0f, 0f, 0f};
    private float[] std = {1f, 1f, 1f};
    private boolean rgb = true;
    private boolean nchw = true;

    private ImageFeaturizer(String inputCol, String outputCol, String model, String modelOutput) {
        this.inputCol = inputCol;
        this.outputCol = outputCol;
        this.model = model;
        this.modelOutput = modelOutput;
    }

    public static ImageFeaturizer of(String inputCol, String outputCol, String model, String modelOutput) {
        return new ImageFeaturizer(inputCol, outputCol, model, modelOutput);
    }

    public ImageFeaturizer size(int height, int width) {
        this.height = height;
        this.width = width;
        return this;
    }

    public ImageFeaturizer normalize(float scale, float[] mean, float[] std) {
        this.scale = scale;
        this.mean = mean.clone();
        this.std = std.clone();
        return this;
    }

    public ImageFeaturizer bgr() {
        this.rgb = false;
        return this;
    }

    public ImageFeaturizer nhwc() {
        this.nchw = false;
        return this;
    }

    public Frame transform(Frame frame) {
        var ref = frame.kiln().model(model).orElseThrow(() -> new KilnException("no model " + model + "; register one with CREATE MODEL or registerModel"));
        int image = ImageModels.pixels(frame.relation(), "ImageFeaturizer", inputCol);
        var p = new ImageModels.Preprocess(height, width, rgb, scale, mean, std, nchw);
        return frame.withPlan(ImageModels.featurize(frame.relation().rel(), image, ref, p, modelOutput, outputCol));
    }
}
