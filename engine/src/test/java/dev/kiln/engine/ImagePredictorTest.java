package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImagePredictor's preprocessing and decoding, checked by hand: images of one colour (so that any
 * resize keeps every pixel) through a "model" that averages each channel, so its output is the
 * normalized colour itself; the top classes, scores (after softmax) and labels follow by arithmetic.
 */
class ImagePredictorTest {
    /** [N,3,4,4] → mean per channel → [N,3]. */
    static TensorGraph channelMeans() {
        return new TensorGraph("means", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3), Dim.of(4), Dim.of(4))))),
                List.of(new TensorValue("y", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(3))))),
                List.of(new TensorNode("gap", new NeuralOp.GlobalAveragePool(), List.of(Optional.of("x")), List.of("pooled")),
                        new TensorNode("flat", new LayoutOp.Flatten(1), List.of(Optional.of("pooled")), List.of("y"))),
                Map.of());
    }

    @Test
    void preprocessingAndTopKLabelsByHand(@TempDir Path dir) throws Exception {
        int[][] colours = {{200, 10, 90}, {5, 250, 128}, {60, 60, 61}}; // R, G, B
        for (int i = 0; i < colours.length; i++) {
            BufferedImage im = new BufferedImage(7 + i * 5, 3 + i, BufferedImage.TYPE_INT_RGB);
            int rgb = colours[i][0] << 16 | colours[i][1] << 8 | colours[i][2];
            for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, rgb);
            ImageIO.write(im, "png", dir.resolve("c" + i + ".png").toFile());
        }
        float[] mean = {0.5f, 0.4f, 0.3f};
        float[] std = {0.2f, 0.25f, 0.5f};
        try (Kiln kiln = Kiln.open()) {
            kiln.registerImages("images", dir);
            kiln.registerModel("means", channelMeans());
            Frame f = ImagePredictor.of("image", "pred", "means").size(4, 4).normalize(1f / 255f, mean, std).softmax(true).topK(2)
                    .decodePredictions(List.of("red", "green", "blue")).transform(kiln.table("images")).select("origin", "pred_scores", "pred_labels");
            try (QueryResult r = f.collect()) {
                assertEquals(3, r.rows().size());
                for (Object[] row : r.rows()) {
                    int i = Integer.parseInt(((String) row[0]).replaceAll(".*/c(\\d)\\.png", "$1"));
                    double[] z = new double[3];
                    for (int c = 0; c < 3; c++) z[c] = ((float) (colours[i][c] * (1f / 255f)) - mean[c]) / std[c];
                    double sum = 0;
                    for (double v : z) sum += Math.exp(v);
                    Integer[] order = {0, 1, 2};
                    java.util.Arrays.sort(order, (a, b) -> Double.compare(z[b], z[a]));
                    Tensor scores = (Tensor) row[1];
                    Tensor labels = (Tensor) row[2];
                    for (int k = 0; k < 2; k++) {
                        assertEquals(Math.exp(z[order[k]]) / sum, scores.getDouble(k), 1e-5, "image " + i + " rank " + k);
                        assertEquals(List.of("red", "green", "blue").get(order[k]), labels.getString(k), "image " + i + " rank " + k);
                    }
                }
            }
            String plan = kiln.explain(f).render();
            assertTrue(plan.contains("Infer model=means$top2sl"), plan);
            assertTrue(plan.contains("Infer model=means$preprocess"), plan);
        }
    }
}
