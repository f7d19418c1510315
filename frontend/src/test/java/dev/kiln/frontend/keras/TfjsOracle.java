package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs TensorFlow.js (src/test/js/keras-oracle.js on the pure JS CPU backend) on files the test
 * writes: cases are collected into one job, so node starts once, and read back after {@link #run}.
 */
final class TfjsOracle {
    private static final Path SCRIPT = Path.of("src/test/js/keras-oracle.js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ArrayNode cases = JSON.createArrayNode();
    private final List<Result> results = new ArrayList<>();
    private JsonNode summary;

    TfjsOracle(Path dir) {
        this.dir = dir;
    }

    /** Why the oracle cannot run here, if it cannot: no node, or the pinned TensorFlow.js not installed. */
    static Optional<String> unavailable() {
        if (!Files.isDirectory(KerasTestData.oracleModules().resolve("@tensorflow/tfjs-layers"))) {
            return Optional.of("TensorFlow.js is not installed in " + KerasTestData.oracleModules() + "; " + KerasTestData.FETCH);
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) return Optional.of("'node --version' failed; install Node.js 18+");
        } catch (IOException | InterruptedException e) {
            return Optional.of("node is not on the PATH (" + e.getMessage() + "); install Node.js 18+");
        }
        return Optional.empty();
    }

    /** Filled in by {@link #run}. */
    static final class Result {
        private List<float[]> outputs;

        List<float[]> outputs() {
            if (outputs == null) throw new IllegalStateException("the oracle has not run yet");
            return outputs;
        }

        float[] output() { return outputs().getFirst(); }
    }

    /** The model's outputs (or the named layers' results) for one NHWC float32 input. */
    Result predict(Path modelJson, List<String> layers, float[] input, long[] shape) throws IOException {
        int n = results.size();
        ObjectNode c = cases.addObject();
        c.put("model", modelJson.toAbsolutePath().toString());
        ArrayNode l = c.putArray("layers");
        layers.forEach(l::add);
        c.put("input", write(dir.resolve("in" + n + ".f32"), input).toString());
        ArrayNode s = c.putArray("shape");
        for (long d : shape) s.add(d);
        c.put("outputs", dir.resolve("out" + n + "_").toString());
        Result r = new Result();
        results.add(r);
        return r;
    }

    /** nsfwjs's preprocessing of RGB pixels (rows of r, g, b bytes) to size x size in [0, 1]. */
    Result preprocess(byte[] rgb, int height, int width, int size) throws IOException {
        int n = results.size();
        Path raw = dir.resolve("rgb" + n + ".u8");
        Files.write(raw, rgb);
        ObjectNode c = cases.addObject();
        c.put("rgb", raw.toString()).put("height", height).put("width", width).put("size", size);
        c.put("preprocessed", dir.resolve("pre" + n + ".f32").toString());
        Result r = new Result();
        results.add(r);
        return r;
    }

    /** Runs node on every case collected; returns its summary (tfjs version, backend, predict times). */
    JsonNode run() throws IOException, InterruptedException {
        Path job = dir.resolve("job.json");
        JSON.writeValue(job.toFile(), JSON.createObjectNode().set("cases", cases));
        ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString(), job.toString());
        pb.environment().put("NODE_PATH", KerasTestData.oracleModules().toString());
        pb.redirectErrorStream(false).redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the TF.js oracle did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the TF.js oracle failed (exit " + p.exitValue() + "):\n" + Files.readString(dir.resolve("stderr.txt")));
        }
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
        summary = JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
        int predicted = 0;
        for (int i = 0; i < results.size(); i++) {
            JsonNode c = cases.get(i);
            List<float[]> values = new ArrayList<>();
            if (c.has("preprocessed")) {
                values.add(read(Path.of(c.get("preprocessed").asText())));
            } else {
                int count = summary.get("outputCounts").get(predicted++).asInt();
                for (int k = 0; k < count; k++) values.add(read(Path.of(c.get("outputs").asText() + k + ".f32")));
            }
            results.get(i).outputs = values;
        }
        return summary;
    }

    static Path write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        Files.write(file, b.array());
        return file;
    }

    static float[] read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.capacity() / 4];
        for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
        return v;
    }
}
