package dev.kiln.benchmarks.dl;

import dev.kiln.benchmarks.Stats;
import java.util.Optional;

/**
 * One model at one batch size on one thread count: Kiln's and ONNX Runtime's time per batch
 * (empty for ORT where it cannot run the model), Kiln's first call (compiling the program for these
 * shapes, then running it), how Kiln ran it, and the largest difference between the two outputs
 * over all runs.
 */
public record DlCell(String model, int batch, int threads, String kilnRan, Stats kiln, Optional<Stats> ort, double kilnFirstCallMs,
                     Optional<Double> maxDiff) {
    public boolean interpreted() {
        return kilnRan.startsWith("reference interpreter");
    }

    public double kilnRowsPerSecond() {
        return batch * 1000.0 / kiln.median();
    }

    public Optional<Double> ortRowsPerSecond() {
        return ort.map(s -> batch * 1000.0 / s.median());
    }

    /** Kiln's throughput over ORT's (ratio of medians): above 1, Kiln is faster. */
    public Optional<Double> throughputRatio() {
        return ort.map(s -> s.median() / kiln.median());
    }
}
