package dev.kiln.benchmarks.dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.benchmarks.Stats;
import dev.kiln.ir.KilnException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** bench dl's options, output check and report on known figures; nothing here is timed. */
class DlBenchTest {
    @Test
    void parsesOptionsAndDefaults() {
        DlOptions d = DlOptions.parse(List.of());
        assertEquals(5, d.runs());
        assertEquals(List.of(1, 2), d.threads());
        assertEquals(List.of(1, 32), d.batches());
        assertEquals(DlModels.ALL, d.models());
        DlOptions o = DlOptions.parse(List.of("--runs", "3", "--threads", "2", "--batch", "1, 8", "--models", "ocr-cls,minilm", "--images", "0", "--out", "/tmp/x"));
        assertEquals(new DlOptions(3, 10, 2, List.of(2), List.of(1, 8), List.of("ocr-cls", "minilm"), 0, Path.of("/tmp/x")), o);
    }

    @Test
    void rejectsBadOptions() {
        assertEquals("unknown model 'resnet'; the models are ocr-det, ocr-rec, ocr-cls, minilm, mobilenet-v2",
                assertThrows(IllegalArgumentException.class, () -> DlOptions.parse(List.of("--models", "resnet"))).getMessage());
        assertEquals("--batch must be positive, not 0", assertThrows(IllegalArgumentException.class, () -> DlOptions.parse(List.of("--batch", "1,0"))).getMessage());
        assertEquals("--runs needs a value", assertThrows(IllegalArgumentException.class, () -> DlOptions.parse(List.of("--runs"))).getMessage());
        assertEquals("unknown option --fast", assertThrows(IllegalArgumentException.class, () -> DlOptions.parse(List.of("--fast", "1"))).getMessage());
        assertThrows(NumberFormatException.class, () -> DlOptions.parse(List.of("--threads", "two")));
        assertEquals(2, DlBench.run(List.of("--images", "-1")));
    }

    @Test
    void outputsAgreeWithinTheToleranceOrTheRunFails() {
        // absolute below 1, relative above: 1e-4 of 1 and 1e-4 of 100
        assertEquals(5e-5, OutputCheck.check("m", new float[] {0.50005f, 100f}, new float[] {0.5f, 100f}), 1e-6);
        assertEquals(0, OutputCheck.check("m", new float[] {100.005f}, new float[] {100f}), 1e-4);
        KilnException e = assertThrows(KilnException.class, () -> OutputCheck.check("ocr-cls batch 1, run 2", new float[] {0.1f, 0.3f}, new float[] {0.1f, 0.2f}));
        assertTrue(e.getMessage().startsWith("ocr-cls batch 1, run 2: element 1 is 0.3 in Kiln, 0.2 in ONNX Runtime"), e.getMessage());
        assertThrows(KilnException.class, () -> OutputCheck.check("m", new float[] {Float.NaN}, new float[] {0f}));
        assertThrows(KilnException.class, () -> OutputCheck.check("m", new float[2], new float[3]));
    }

    @Test
    void reportsRowsPerSecondAndRatios() {
        DlCell c = new DlCell("ocr-cls", 32, 2, "compiled (1 program)", Stats.of(List.of(40.0, 50.0, 60.0)), Optional.of(Stats.of(List.of(20.0, 25.0, 30.0))), 900, Optional.of(1e-6));
        assertEquals(640.0, c.kilnRowsPerSecond(), 1e-9);
        assertEquals(1280.0, c.ortRowsPerSecond().orElseThrow(), 1e-9);
        assertEquals(0.5, c.throughputRatio().orElseThrow(), 1e-12);
        DlCell keras = new DlCell("mobilenet-v2", 1, 1, "reference interpreter: node Conv1_pad (Pad) is not supported", Stats.of(List.of(800.0)), Optional.empty(), 1000, Optional.empty());
        assertTrue(keras.interpreted());
        var e2e = new EndToEnd.Result(300, 2, Stats.of(List.of(100.0)), Stats.of(List.of(400.0)), Map.of("0", 180L));
        DlReport r = new DlReport(DlOptions.parse(List.of()), "1.23.2", List.of(c, keras), List.of(new DlModel.Missing("minilm", "not on the class path")), List.of(e2e), 2);
        String table = r.table();
        assertTrue(table.contains("| ocr-cls      |    32 |   2 | 50.00 (40.00-60.00)        | 25.00 (20.00-30.00)        |      640.0 |     1280.0 |    0.50x |"), table);
        assertTrue(table.contains("(ORT cannot run it)"), table);
        assertTrue(table.contains("skipped minilm: not on the class path"), table);
        assertTrue(table.contains("Kiln 100 ms (100-100) = 3000.0 rows/s; UDF + ORT per row 400 ms (400-400) = 750.0 rows/s; Kiln/UDF 4.00x"), table);
        String json = r.json();
        assertTrue(json.contains("\"kiln_over_ort_throughput\": 0.5000"), json);
        assertTrue(json.contains("\"ort\": null"), json);
        assertTrue(json.contains("\"kiln_over_udf\": 4.0000"), json);
        assertTrue(json.contains("\"skipped\": [{\"model\": \"minilm\", \"reason\": \"not on the class path\"}]"), json);
    }
}
