package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorGraphValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code CREATE [OR REPLACE] MODEL name FROM 'path/model.onnx' [WITH (key = 'value', ...)]}
 * imports an ONNX model into the session (its graph goes into the plans that call it with
 * {@code PREDICT(name, ...)} or {@code EMBED(name, text)}), and {@code DROP MODEL [IF EXISTS]
 * name} removes it. The options make the model a function of what a table holds (see
 * {@link ModelKinds}): text (a tokenizer and pooling around a transformer), images (resize and
 * normalization before it) and a decoder after it (CTC text from a recognizer's scores).
 */
final class ModelStatements {
    private ModelStatements() {}

    private static final Pattern CREATE = Pattern.compile(
            "(?is)\\s*create\\s+(or\\s+replace\\s+)?model\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+from\\s+'((?:[^']|'')*)'\\s*(?:with\\s*\\((.*)\\))?\\s*;?\\s*");
    private static final Pattern DROP = Pattern.compile("(?is)\\s*drop\\s+model\\s+(if\\s+exists\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*;?\\s*");

    static boolean handles(String sql) {
        return CREATE.matcher(sql).matches() || DROP.matcher(sql).matches();
    }

    /** Runs the statement; the message to show. */
    static String run(String sql, Kiln kiln, SessionCatalog catalog) {
        Matcher c = CREATE.matcher(sql);
        if (c.matches()) {
            String name = c.group(2);
            if (c.group(1) == null && catalog.model(name).isPresent()) {
                throw new KilnException("model " + name + " already exists; use CREATE OR REPLACE MODEL, or DROP MODEL " + name + " first");
            }
            Path file = path(c.group(3).replace("''", "'"));
            if (!Files.isRegularFile(file)) throw new KilnException("CREATE MODEL " + name + ": no file " + file.toAbsolutePath());
            ModelOptions options = ModelOptions.parse(name, c.group(4));
            TensorGraph imported = dev.kiln.frontend.onnx.OnnxImporter.importModel(file);
            ModelKinds.Stages stages = ModelKinds.build(name, imported, options);
            options.requireAllRead();
            stages.before().ifPresent(TensorGraphValidator::validate);
            TensorGraphValidator.validate(stages.model());
            stages.after().ifPresent(TensorGraphValidator::validate);
            catalog.putModel(name, stages.before(), stages.model(), stages.after());
            TensorGraph first = stages.before().orElse(stages.model()), last = stages.after().orElse(stages.model());
            return "CREATE MODEL " + name + " (" + imported.nodes().size() + " nodes; inputs " + first.inputs().stream().map(v -> v.name() + " " + v.type()).toList()
                    + ", outputs " + last.outputs().stream().map(v -> v.name() + " " + v.type()).toList() + ")";
        }
        Matcher d = DROP.matcher(sql);
        if (!d.matches()) throw new IllegalArgumentException("not a model statement: " + sql);
        boolean had = catalog.dropModel(d.group(2));
        if (!had && d.group(1) == null) throw new KilnException("no model " + d.group(2) + " to drop");
        return "DROP MODEL " + d.group(2);
    }

    /** A file an option names (a tokenizer, keys), read as UTF-8 text. */
    static String readOption(String model, String option, String path) {
        try {
            return Files.readString(path(path));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new KilnException("CREATE MODEL " + model + ": cannot read " + option + " file " + path(path).toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A path as written in the statement; a leading ~/ is the home directory, as in a shell, so that scripts can name the model cache. */
    static Path path(String written) {
        return written.startsWith("~/") ? Path.of(System.getProperty("user.home"), written.substring(2)) : Path.of(written);
    }

    static List<String> lines(String text) {
        return new ArrayList<>(text.lines().toList());
    }
}
