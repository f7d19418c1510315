package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads model.json's {@code weightsManifest}: each group lists shard paths (relative to model.json)
 * whose bytes, concatenated, hold the group's weights back to back, little-endian. The shards must
 * hold exactly the bytes the specs need; anything else means a truncated or mismatched download.
 */
final class WeightLoader {
    private WeightLoader() {}

    record Group(List<String> paths, List<WeightSpec> weights) {}

    static List<Group> manifest(JsonNode manifest, String source) {
        if (!manifest.isArray()) throw new KerasFormatException(source, "weightsManifest is missing or not a list");
        List<Group> groups = new ArrayList<>();
        for (JsonNode g : manifest) {
            List<String> paths = new ArrayList<>();
            for (JsonNode p : g.path("paths")) paths.add(p.asText());
            List<WeightSpec> specs = new ArrayList<>();
            for (JsonNode w : g.path("weights")) specs.add(spec(w, source));
            groups.add(new Group(paths, specs));
        }
        return groups;
    }

    private static WeightSpec spec(JsonNode w, String source) {
        String name = w.path("name").asText("");
        String where = "weight '" + name + "'";
        if (name.isEmpty()) throw new KerasFormatException(source, "a weightsManifest entry has no name: " + w);
        List<Long> shape = new ArrayList<>();
        if (!w.path("shape").isArray()) throw new KerasFormatException(source, where + " has no shape");
        for (JsonNode d : w.path("shape")) {
            if (!d.isIntegralNumber() || d.asLong() < 0) throw new KerasFormatException(source, where + " has shape " + w.path("shape"));
            shape.add(d.asLong());
        }
        String dtype = w.path("dtype").asText("");
        if (!dtype.equals("float32") && !dtype.equals("int32")) {
            throw new KerasFormatException(source, where + " has dtype '" + dtype + "'; only float32 and int32 are read");
        }
        Optional<WeightSpec.Quantization> q = quantization(w.path("quantization"), source, where);
        if (dtype.equals("int32") && q.orElse(null) instanceof WeightSpec.Quantization.Float16) {
            throw new KerasFormatException(source, where + " is int32 quantized to float16, which TF.js does not allow");
        }
        return new WeightSpec(name, shape, dtype, q);
    }

    private static Optional<WeightSpec.Quantization> quantization(JsonNode q, String source, String where) {
        if (q.isMissingNode() || q.isNull()) return Optional.empty();
        String dtype = q.path("dtype").asText("");
        return Optional.of(switch (dtype) {
            case "uint8", "uint16" -> {
                if (!q.path("min").isNumber() || !q.path("scale").isNumber()) {
                    throw new KerasFormatException(source, where + " is quantized to " + dtype + " without min and scale");
                }
                yield new WeightSpec.Quantization.Affine(dtype.equals("uint8") ? 1 : 2, q.get("min").asDouble(), q.get("scale").asDouble());
            }
            case "float16" -> new WeightSpec.Quantization.Float16();
            default -> throw new KerasFormatException(source, where + " has quantization dtype '" + dtype
                    + "'; only uint8, uint16 and float16 exist in the TF.js format");
        });
    }

    /** Every weight by name, as float32 (or int32) tensors of the manifest's shapes. */
    static Map<String, Tensor> load(List<Group> groups, Path dir, String source) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            ByteBuffer bytes = concatenate(g, dir, source);
            long needed = 0;
            for (WeightSpec s : g.weights()) needed = Math.addExact(needed, s.byteLength());
            if (needed != bytes.capacity()) {
                throw new KerasFormatException(source, "weight group " + gi + " " + g.paths() + ": its " + g.weights().size()
                        + " weights take " + needed + " bytes but the shards hold " + bytes.capacity());
            }
            for (WeightSpec s : g.weights()) {
                if (out.containsKey(s.name())) throw new KerasFormatException(source, "weight '" + s.name() + "' appears twice in weightsManifest");
                out.put(s.name(), decode(s, bytes));
            }
        }
        return out;
    }

    private static ByteBuffer concatenate(Group g, Path dir, String source) {
        List<byte[]> parts = new ArrayList<>();
        long total = 0;
        for (String p : g.paths()) {
            Path file = dir.resolve(p);
            try {
                byte[] b = Files.readAllBytes(file);
                parts.add(b);
                total += b.length;
            } catch (IOException e) {
                throw new KerasFormatException(source, "cannot read weight shard " + file + ": " + e, e);
            }
        }
        if (total > Integer.MAX_VALUE) throw new KerasFormatException(source, "weight group " + g.paths() + " is over 2 GiB");
        ByteBuffer all = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] b : parts) all.put(b);
        return all.flip();
    }

    /** Reads one weight at the buffer's position and advances it. */
    private static Tensor decode(WeightSpec s, ByteBuffer in) {
        int n = Math.toIntExact(s.count());
        long[] shape = s.shapeArray();
        if (s.dtype().equals("int32")) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (s.quantization().orElse(null)) {
                    case null -> in.getInt();
                    case WeightSpec.Quantization.Affine a -> Math.round(stored(in, a.width()) * a.scale() + a.min());
                    case WeightSpec.Quantization.Float16 f -> throw new IllegalStateException("refused by spec()");
                };
            }
            return Tensor.of(ElementType.INT32, shape, v);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (s.quantization().orElse(null)) {
                case null -> in.getFloat();
                case WeightSpec.Quantization.Affine a -> (float) (stored(in, a.width()) * a.scale() + a.min());
                case WeightSpec.Quantization.Float16 f -> Float.float16ToFloat(in.getShort());
            };
        }
        return Tensor.of(ElementType.FLOAT32, shape, v);
    }

    private static int stored(ByteBuffer in, int width) {
        return width == 1 ? Byte.toUnsignedInt(in.get()) : Short.toUnsignedInt(in.getShort());
    }
}
