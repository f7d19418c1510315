package dev.kiln.runtime.tensor;

/**
 * A 2-D convolution or pool resolved to sizes: input channels per group {@code cg}, input
 * {@code h×w}, kernel, strides, dilations, leading and trailing pads and output {@code oh×ow}.
 */
public record ConvGeometry2d(int cg, int h, int w, int kh, int kw, int sh, int sw, int dh, int dw, int ph, int pw, int peh, int pew, int oh, int ow) {
    /** Rows of the im2col matrix: one per input channel and kernel tap. */
    public int k() { return cg * kh * kw; }

    /** Columns of the im2col matrix: one per output pixel. */
    public int p() { return oh * ow; }

    public boolean isPointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w;
    }
}
