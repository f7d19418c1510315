package dev.kiln.benchmarks.dl;

import static dev.kiln.frontend.plan.Functions.col;

import dev.kiln.engine.Frame;
import dev.kiln.engine.ImagePredictor;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.tensor.TensorGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-to-end query of {@code bench dl}: a directory of text-line images scanned, each line's
 * direction predicted by PaddleOCR's classifier, lines kept where the image is at least
 * {@link #MIN_WIDTH} pixels wide and the prediction's score at least {@link #MIN_SCORE}, counted
 * per direction ("0" or "180"). In Kiln as a plan (image table, ImagePredictor, filter, group by);
 * {@link UdfBaseline} is the same query written as a row-at-a-time UDF over ONNX Runtime.
 */
public final class DirectionQuery {
    private DirectionQuery() {}

    public static final int MIN_WIDTH = 200;
    public static final double MIN_SCORE = 0.9;
    public static final List<String> LABELS = List.of("0", "180");
    /** PaddleOCR's classifier input: 3 x 48 x 192, pixels in OpenCV's BGR order as (x / 255 - 0.5) / 0.5. */
    public static final int HEIGHT = 48, WIDTH = 192;

    /** Every line with its direction ({@code dir_labels}) and score ({@code dir_scores}), over an image table {@code lines} and a model {@code cls}. */
    public static Frame predictions(Kiln kiln) {
        return ImagePredictor.of("image", "dir", "cls").size(HEIGHT, WIDTH).channelOrder("BGR")
                .normalize(1f / 255f, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f})
                .topK(1).decodePredictions(LABELS).transform(kiln.table("lines"));
    }

    /** The query: the predictions filtered, counted per direction. */
    public static Frame plan(Kiln kiln) {
        return predictions(kiln).filter(col("image.width").ge(MIN_WIDTH).and(col("dir_scores").ge(MIN_SCORE))).groupBy("dir_labels").count();
    }

    /** Scans {@code dir} (decoding every image) and runs the query: direction → lines. */
    public static Map<String, Long> kiln(Kiln kiln, Path dir, TensorGraph cls) {
        kiln.registerImages("lines", dir);
        if (kiln.model("cls").isEmpty()) kiln.registerModel("cls", cls);
        Map<String, Long> counts = new TreeMap<>();
        try (QueryResult r = plan(kiln).collect()) {
            for (Object[] row : r.rows()) counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }
}
