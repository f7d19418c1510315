package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * nsfwjs's input pipeline: RGB pixels as float32 divided by 255, then resized to the model's size
 * by bilinear interpolation with aligned corners (source = dst * (in - 1) / (out - 1), TF's
 * resizeBilinear(alignCorners = true), half-pixel centers off). Built as an IR graph (Cast, Div,
 * Resize) and run by the interpreter, so the test exercises the same ops a query would.
 */
final class NsfwjsPreprocessing {
    private NsfwjsPreprocessing() {}

    /** A decoded photo: height x width x 3 bytes, rows of r, g, b. */
    record Rgb(int height, int width, byte[] pixels) {}

    /**
     * Decodes with javax.imageio, reading samples from the raster (not getRGB, which would apply a
     * colour conversion to grey images): grey is repeated in r, g, b and alpha dropped, as
     * tf.browser.fromPixels does with 3 channels.
     */
    static Rgb decode(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) throw new IOException(file + ": javax.imageio cannot decode it");
        Raster r = img.getRaster();
        int h = img.getHeight(), w = img.getWidth(), bands = r.getNumBands();
        boolean palette = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (!palette && r.getSampleModel().getSampleSize(0) != 8) throw new IOException(file + ": only 8-bit images are used");
        byte[] out = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                if (palette) {
                    int argb = img.getRGB(x, y);
                    out[o] = (byte) (argb >> 16);
                    out[o + 1] = (byte) (argb >> 8);
                    out[o + 2] = (byte) argb;
                } else {
                    for (int c = 0; c < 3; c++) out[o + c] = (byte) r.getSample(x, y, bands < 3 ? 0 : c);
                }
            }
        }
        return new Rgb(h, w, out);
    }

    /** The model input [1, size, size, 3]. */
    static Tensor preprocess(Rgb img, int size) {
        long[] inShape = {1, img.height(), img.width(), 3};
        long[] pixels = new long[img.pixels().length];
        for (int i = 0; i < pixels.length; i++) pixels[i] = Byte.toUnsignedInt(img.pixels()[i]);
        TensorGraph g = new TensorGraph("nsfwjs_preprocess",
                List.of(new TensorValue("rgb", TensorType.of(ElementType.UINT8, inShape))),
                List.of(new TensorValue("x", TensorType.of(ElementType.FLOAT32, 1, size, size, 3))),
                List.of(TensorNode.of("float", new ElementwiseOp.Cast(ElementType.FLOAT32), List.of("rgb"), List.of("f")),
                        TensorNode.of("scale", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.DIV), List.of("f", "255"), List.of("s")),
                        new TensorNode("resize", new LayoutOp.Resize(LayoutOp.ResizeMode.LINEAR, LayoutOp.CoordinateTransform.ALIGN_CORNERS,
                                LayoutOp.NearestMode.ROUND_PREFER_FLOOR, List.of()),
                                List.of(Optional.of("s"), Optional.empty(), Optional.empty(), Optional.of("sizes")), List.of("x"))),
                Map.of("255", Tensor.scalar(255f), "sizes", Tensor.vector(1, size, size, 3)));
        return TensorInterpreter.run(g, Map.of("rgb", Tensor.longs(ElementType.UINT8, inShape, pixels))).get("x");
    }

    static float[] floats(Tensor t) {
        float[] v = new float[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) t.getDouble(i);
        return v;
    }
}
