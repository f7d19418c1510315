package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Typed reads of one layer's {@code config}; a missing or mistyped entry fails naming the file, the
 * layer, its class and the key. Keras writes tuples such as kernel_size either as one number or as
 * a list, so {@link #longs} accepts both.
 */
record LayerConfig(String source, KerasLayer layer) {
    KerasFormatException fail(String what) {
        return new KerasFormatException(source, layer.describe() + ": " + what);
    }

    private JsonNode node(String key) {
        return layer.config().path(key);
    }

    boolean has(String key) {
        JsonNode n = node(key);
        return !n.isMissingNode() && !n.isNull();
    }

    String string(String key, String dflt) {
        JsonNode n = node(key);
        if (n.isMissingNode() || n.isNull()) return dflt;
        if (!n.isTextual()) throw fail("config '" + key + "' must be a string, not " + n);
        return n.asText();
    }

    boolean bool(String key, boolean dflt) {
        JsonNode n = node(key);
        if (n.isMissingNode() || n.isNull()) return dflt;
        if (!n.isBoolean()) throw fail("config '" + key + "' must be true or false, not " + n);
        return n.asBoolean();
    }

    double number(String key, double dflt) {
        return optionalNumber(key).orElse(dflt);
    }

    Optional<Double> optionalNumber(String key) {
        JsonNode n = node(key);
        if (n.isMissingNode() || n.isNull()) return Optional.empty();
        if (!n.isNumber()) throw fail("config '" + key + "' must be a number, not " + n);
        return Optional.of(n.asDouble());
    }

    long integer(String key) {
        JsonNode n = node(key);
        if (!n.isIntegralNumber()) throw fail("config '" + key + "' must be an integer, not " + (n.isMissingNode() ? "missing" : n));
        return n.asLong();
    }

    long integer(String key, long dflt) {
        return has(key) ? integer(key) : dflt;
    }

    /** {@code count} integers: a list of that length, or one integer repeated. */
    long[] longs(String key, int count) {
        JsonNode n = node(key);
        long[] out = new long[count];
        if (n.isIntegralNumber()) {
            java.util.Arrays.fill(out, n.asLong());
            return out;
        }
        if (!n.isArray() || n.size() != count) {
            throw fail("config '" + key + "' must be an integer or a list of " + count + " integers, not "
                    + (n.isMissingNode() ? "missing" : n));
        }
        for (int i = 0; i < count; i++) {
            if (!n.get(i).isIntegralNumber()) throw fail("config '" + key + "' must hold integers, not " + n);
            out[i] = n.get(i).asLong();
        }
        return out;
    }

    long[] longs(String key, int count, long[] dflt) {
        return has(key) ? longs(key, count) : dflt.clone();
    }

    /** The raw entry, for the few configs whose shape varies more (ZeroPadding2D's padding). */
    JsonNode raw(String key) {
        return node(key);
    }

    /** Layers in Kiln's scope are channels_last, the Keras default (the TF.js converter's only layout). */
    void requireChannelsLast() {
        String format = string("data_format", "channels_last");
        if (!format.equals("channels_last")) throw fail("data_format '" + format + "' is not supported, only channels_last");
    }

    /** 'valid' or 'same', the TensorFlow padding modes. */
    boolean samePadding() {
        String p = string("padding", "valid");
        return switch (p) {
            case "same" -> true;
            case "valid" -> false;
            default -> throw fail("padding '" + p + "' is not supported, only 'valid' and 'same'");
        };
    }
}
