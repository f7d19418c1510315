package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code WITH (key = 'value', ...)} options of CREATE MODEL: keys are case-insensitive words,
 * values quoted strings or bare numbers and words. Every key must be read by the statement: one
 * left over (a misspelling) is an error that lists the valid keys, never silently ignored.
 */
final class ModelOptions {
    private static final Pattern OPTION = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(?:'((?:[^']|'')*)'|([A-Za-z0-9_.+-]+))\\s*(,|$)");

    private final String model;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new TreeSet<>();

    private ModelOptions(String model) {
        this.model = model;
    }

    /** Parses the text between WITH's parentheses (empty when there is no WITH). */
    static ModelOptions parse(String model, String text) {
        ModelOptions o = new ModelOptions(model);
        if (text == null || text.isBlank()) return o;
        Matcher m = OPTION.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new KilnException("CREATE MODEL " + model + ": cannot read the WITH options at '" + text.substring(at).strip()
                        + "'; write them as key = 'value', separated by commas");
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2) != null ? m.group(2).replace("''", "'") : m.group(3);
            if (o.values.put(key, value) != null) throw new KilnException("CREATE MODEL " + model + ": option " + key + " is given twice");
            at = m.end();
        }
        return o;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Optional<String> string(String key) {
        read.add(key);
        return Optional.ofNullable(values.get(key));
    }

    int integer(String key, int otherwise, int min) {
        Optional<String> v = string(key);
        if (v.isEmpty()) return otherwise;
        try {
            int i = Integer.parseInt(v.get().strip());
            if (i < min) throw bad(key, v.get(), "an integer of at least " + min);
            return i;
        } catch (NumberFormatException e) {
            throw bad(key, v.get(), "an integer");
        }
    }

    float number(String key, float otherwise) {
        Optional<String> v = string(key);
        if (v.isEmpty()) return otherwise;
        return parseFloat(key, v.get());
    }

    /** Three comma-separated numbers, one per channel. */
    float[] triple(String key, float[] otherwise) {
        Optional<String> v = string(key);
        if (v.isEmpty()) return otherwise;
        String[] parts = v.get().split(",");
        if (parts.length != 3) throw bad(key, v.get(), "three numbers, one per channel, such as '0.5, 0.5, 0.5'");
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) out[i] = parseFloat(key, parts[i]);
        return out;
    }

    boolean flag(String key, boolean otherwise) {
        Optional<String> v = string(key);
        if (v.isEmpty()) return otherwise;
        return switch (v.get().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v.get(), "true or false");
        };
    }

    /** One of the choices (case-insensitive), in upper case. */
    String choice(String key, String otherwise, String... choices) {
        Optional<String> v = string(key);
        if (v.isEmpty()) return otherwise;
        String up = v.get().strip().toUpperCase(Locale.ROOT);
        for (String c : choices) if (c.equals(up)) return up;
        throw bad(key, v.get(), "one of " + String.join(", ", choices).toLowerCase(Locale.ROOT));
    }

    /** Fails on an option no reader asked for, listing the ones that are valid with the others given. */
    void requireAllRead() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new KilnException("CREATE MODEL " + model + ": unknown option" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + "; the options here are " + String.join(", ", read));
        }
    }

    KilnException bad(String key, String value, String wanted) {
        return new KilnException("CREATE MODEL " + model + ": option " + key + " = '" + value + "' must be " + wanted);
    }

    private float parseFloat(String key, String s) {
        try {
            return Float.parseFloat(s.strip());
        } catch (NumberFormatException e) {
            throw bad(key, s, "a number");
        }
    }
}
