package dev.kiln.benchmarks.dl;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code kiln bench dl} options; bad ones are IllegalArgumentExceptions, reported with the usage. */
/**
 * @param warmup untimed runs before the timed ones, at least; @param warmupSeconds and for at least this long, so that
 * the JIT has compiled the kernels (a batch-1 run takes a millisecond: ten of them leave the JVM cold)
 */
public record DlOptions(int runs, int warmup, double warmupSeconds, List<Integer> threads, List<Integer> batches, List<String> models, int images, Path out) {
    public static final String USAGE = "usage: kiln bench dl [--runs 5] [--warmup 10] [--warmup-seconds 2] [--threads 1,2] [--batch 1,32] [--models "
            + String.join(",", DlModels.ALL) + "] [--images 300 (0: no end-to-end query)] [--out benchmarks/results]";

    public static DlOptions parse(List<String> a) {
        int runs = 5, warmup = 10, images = 300;
        double warmupSeconds = 2;
        List<Integer> threads = List.of(1, 2), batches = List.of(1, 32);
        List<String> models = DlModels.ALL;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i);
            if (i + 1 >= a.size()) throw new IllegalArgumentException(option + " needs a value");
            String v = a.get(++i);
            switch (option) {
                case "--runs" -> runs = positive(option, Integer.parseInt(v));
                case "--warmup" -> {
                    warmup = Integer.parseInt(v);
                    if (warmup < 0) throw new IllegalArgumentException("--warmup cannot be negative");
                }
                case "--warmup-seconds" -> {
                    warmupSeconds = Double.parseDouble(v);
                    if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("--warmup-seconds cannot be negative");
                }
                case "--threads" -> threads = positives(option, v);
                case "--batch" -> batches = positives(option, v);
                case "--models" -> {
                    models = Arrays.stream(v.split(",")).map(String::strip).toList();
                    for (String m : models) {
                        if (!DlModels.ALL.contains(m)) throw new IllegalArgumentException("unknown model '" + m + "'; the models are " + String.join(", ", DlModels.ALL));
                    }
                }
                case "--images" -> {
                    images = Integer.parseInt(v);
                    if (images < 0) throw new IllegalArgumentException("--images cannot be negative");
                }
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DlOptions(runs, warmup, warmupSeconds, threads, batches, models, images, out);
    }

    private static List<Integer> positives(String option, String v) {
        return Arrays.stream(v.split(",")).map(String::strip).map(Integer::parseInt).map(n -> positive(option, n)).toList();
    }

    private static int positive(String option, int v) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be positive, not " + v);
        return v;
    }
}
