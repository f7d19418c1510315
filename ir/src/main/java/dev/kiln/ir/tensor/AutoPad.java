package dev.kiln.ir.tensor;

/** How convolution and pooling pad: explicitly ({@code NOTSET}), not at all, or to keep size / stride. */
public enum AutoPad { NOTSET, SAME_UPPER, SAME_LOWER, VALID }
