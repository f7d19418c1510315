package dev.kiln.frontend.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nsfwjs's real Keras models on scikit-image's photos, against TensorFlow.js itself: the same
 * preprocessed input goes to Kiln's import run by the reference interpreter and to tfjs-layers on
 * its CPU backend; the class probabilities must agree within 1e-4 and on the top class. The
 * preprocessing (an IR graph) is checked against nsfwjs's own, and one feature map against the
 * same layer in TF.js. Reports go to target/keras-nsfwjs-MODEL.txt.
 */
class NsfwjsModelTest {
    static final List<String> CLASSES = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    static final double PROBABILITY_TOLERANCE = 1e-4;
    /** Preprocessed pixels: both compute in double and round once; only the interpolation's order of terms differs. */
    static final double PIXEL_TOLERANCE = 1e-6;
    /**
     * A feature map of relu6 activations in [0, 6] after 50-odd float32 layers: TF.js accumulates
     * convolutions in float32, the interpreter in double, so values drift by ~1e-5 relative.
     */
    static final double FEATURE_TOLERANCE = 1e-3;

    @TempDir Path tmp;

    @Test
    void mobileNetV2MatchesTensorFlowJsOnPhotos() throws Exception {
        check("mobilenet_v2", 224, List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"), "out_relu");
    }

    @Test
    void inceptionV3MatchesTensorFlowJsOnAPhoto() throws Exception {
        check("inception_v3", 299, List.of("chelsea.png"), "mixed10");
    }

    private void check(String model, int size, List<String> photos, String featureLayer) throws Exception {
        Path modelJson = KerasTestData.nsfwjsModel(model);
        requirePresent(Stream.concat(Stream.of(modelJson), photos.stream().map(KerasTestData::photo)).toList());
        Optional<String> noOracle = TfjsOracle.unavailable();
        assumeTrue(noOracle.isEmpty(), () -> "skipped: " + noOracle.orElseThrow());

        long t0 = System.nanoTime();
        TensorGraph graph = KerasImporter.read(modelJson);
        // the first photo also reads a feature map: one run yields it and the probabilities
        String outputLayer = graph.outputs().getFirst().name();
        TensorGraph withFeatures = KerasImporter.read(modelJson, List.of(outputLayer, featureLayer));
        long importMillis = (System.nanoTime() - t0) / 1_000_000;

        TfjsOracle oracle = new TfjsOracle(tmp);
        List<Tensor> inputs = new ArrayList<>();
        List<TfjsOracle.Result> tfPre = new ArrayList<>(), tfOut = new ArrayList<>();
        for (String photo : photos) {
            NsfwjsPreprocessing.Rgb rgb = NsfwjsPreprocessing.decode(KerasTestData.photo(photo));
            Tensor x = NsfwjsPreprocessing.preprocess(rgb, size);
            inputs.add(x);
            tfPre.add(oracle.preprocess(rgb.pixels(), rgb.height(), rgb.width(), size));
            tfOut.add(oracle.predict(modelJson, inputs.size() == 1 ? List.of(outputLayer, featureLayer) : List.of(),
                    NsfwjsPreprocessing.floats(x), x.shape()));
        }
        var summary = oracle.run();

        StringBuilder report = new StringBuilder("nsfwjs 4.4.0 " + model + " (" + graph.nodes().size() + " IR nodes, imported in "
                + importMillis + " ms) vs TensorFlow.js " + summary.get("tfjs").asText() + " (" + summary.get("backend").asText() + ")\n");
        for (int i = 0; i < photos.size(); i++) {
            double preDiff = maxAbsDiff(NsfwjsPreprocessing.floats(inputs.get(i)), tfPre.get(i).output());
            assertTrue(preDiff <= PIXEL_TOLERANCE, photos.get(i) + ": preprocessing differs from nsfwjs's by " + preDiff);

            long t = System.nanoTime();
            List<Tensor> outs = run(i == 0 ? withFeatures : graph, inputs.get(i));
            long kilnMillis = (System.nanoTime() - t) / 1_000_000;
            float[] kiln = NsfwjsPreprocessing.floats(outs.getFirst());
            float[] tf = tfOut.get(i).output();
            assertEquals(CLASSES.size(), kiln.length, "class count");
            double diff = maxAbsDiff(kiln, tf);
            report.append(String.format("  %-16s kiln top-1 %-8s %.6f  tfjs top-1 %-8s %.6f  max |diff| %.2e  interpreter %d ms, tfjs %.0f ms%n",
                    photos.get(i), CLASSES.get(argmax(kiln)), kiln[argmax(kiln)], CLASSES.get(argmax(tf)), tf[argmax(tf)], diff,
                    kilnMillis, summary.get("predictMillis").get(i).asDouble()));
            assertTrue(diff <= PROBABILITY_TOLERANCE, photos.get(i) + ": probabilities differ by " + diff + "\nkiln " + java.util.Arrays.toString(kiln)
                    + "\ntfjs " + java.util.Arrays.toString(tf));
            assertEquals(CLASSES.get(argmax(tf)), CLASSES.get(argmax(kiln)), photos.get(i) + ": top-1 class");
        }
        Tensor kilnFeatures = run(withFeatures, inputs.getFirst()).get(1);
        float[] tfF = tfOut.getFirst().outputs().get(1);
        double fDiff = maxAbsDiff(NsfwjsPreprocessing.floats(kilnFeatures), tfF);
        report.append(String.format("  feature map %s %s on %s: max |diff| %.2e (max value %.3f)%n", featureLayer,
                java.util.Arrays.toString(kilnFeatures.shape()), photos.getFirst(), fDiff, maxAbs(tfF)));
        assertEquals(tfF.length, kilnFeatures.size(), "feature map size");
        assertTrue(fDiff <= FEATURE_TOLERANCE, featureLayer + " differs by " + fDiff);
        write(model, report.toString());
    }

    static List<Tensor> run(TensorGraph g, Tensor x) {
        Map<String, Tensor> out = TensorInterpreter.run(g, Map.of(g.inputs().getFirst().name(), x));
        for (Tensor y : out.values()) assertEquals(ElementType.FLOAT32, y.type());
        return List.copyOf(out.values());
    }

    static void requirePresent(List<Path> files) {
        for (Path f : files) {
            Optional<String> why = KerasTestData.missing(f);
            assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElseThrow());
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    private static synchronized void write(String model, String text) throws IOException {
        System.out.print(text);
        Path report = Path.of("target/keras-nsfwjs-" + model + ".txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, text);
    }
}
