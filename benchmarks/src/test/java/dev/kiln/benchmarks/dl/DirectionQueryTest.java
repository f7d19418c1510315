package dev.kiln.benchmarks.dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.KilnConfig;
import dev.kiln.engine.QueryResult;
import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.frontend.onnx.OnnxModel;
import dev.kiln.ir.tensor.TensorGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end query of bench dl on 45 rendered text lines: Kiln's plan (image table,
 * preprocessing graph, PaddleOCR's classifier compiled with its top-1 tail interpreted, filter,
 * group by) gives every line the UDF baseline's direction with its score within 1e-4, and the
 * same counts. Skipped, saying so, without the model (examples/models/fetch-ocr.sh).
 */
class DirectionQueryTest {
    @Test
    void kilnAnswersAsTheRowAtATimeUdf(@TempDir Path dir) throws Exception {
        Path model = DlModels.modelDir().resolve("ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        assumeTrue(Files.isRegularFile(model), model + " not found: run examples/models/fetch-ocr.sh");
        TextLines.write(dir, 45, 3); // more than a model batch (32) pass the width filter: two program shapes, one core
        byte[] onnx = Files.readAllBytes(model);
        TensorGraph cls = OnnxImporter.importModel(OnnxModel.read(onnx, model.getFileName().toString()));
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2));
             UdfBaseline udf = new UdfBaseline(onnx, cls.inputs().getFirst().name(), cls.outputs().getFirst().name(), 2)) {
            Map<String, Long> counts = DirectionQuery.kiln(kiln, dir, cls);
            Map<String, UdfBaseline.Prediction> byOrigin = new HashMap<>();
            try (QueryResult r = DirectionQuery.predictions(kiln).select("origin", "dir_labels", "dir_scores").collect()) {
                for (Object[] row : r.rows()) byOrigin.put((String) row[0], new UdfBaseline.Prediction((String) row[1], (Double) row[2]));
            }
            List<Path> files = UdfBaseline.files(dir);
            assertEquals(45, byOrigin.size());
            int upsideDown = 0;
            for (Path f : files) {
                UdfBaseline.Prediction want = udf.predict(ImageIO.read(f.toFile()));
                UdfBaseline.Prediction got = byOrigin.get(f.toUri().toString());
                assertEquals(want.label(), got.label(), f.getFileName().toString());
                assertEquals(want.score(), got.score(), 1e-4, f.getFileName().toString());
                if (got.label().equals("180")) upsideDown++;
            }
            // the classifier sees the rendered lines' directions (every third is upside down): not a constant answer
            assertTrue(upsideDown >= 8 && upsideDown <= 22, upsideDown + " of 45 lines read as upside down");
            assertEquals(udf.run(dir), counts);
            System.out.println(kiln.explain(DirectionQuery.plan(kiln)));
        }
    }
}
