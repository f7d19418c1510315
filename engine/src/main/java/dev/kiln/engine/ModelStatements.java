package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code CREATE [OR REPLACE] MODEL name FROM 'path/model.onnx'} imports an ONNX model into the
 * session (its graph goes into the plans that call it with {@code PREDICT(name, ...)}), and
 * {@code DROP MODEL [IF EXISTS] name} removes it.
 */
final class ModelStatements {
    private ModelStatements() {}

    private static final Pattern CREATE = Pattern.compile("(?is)\\s*create\\s+(or\\s+replace\\s+)?model\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+from\\s+'((?:[^']|'')*)'\\s*;?\\s*");
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
            Path file = Path.of(c.group(3).replace("''", "'"));
            if (!Files.isRegularFile(file)) throw new KilnException("CREATE MODEL " + name + ": no file " + file.toAbsolutePath());
            var graph = dev.kiln.frontend.onnx.OnnxImporter.importModel(file);
            kiln.registerModel(name, graph);
            return "CREATE MODEL " + name + " (" + graph.nodes().size() + " nodes; inputs " + graph.inputs().stream().map(v -> v.name() + " " + v.type()).toList()
                    + ", outputs " + graph.outputs().stream().map(v -> v.name() + " " + v.type()).toList() + ")";
        }
        Matcher d = DROP.matcher(sql);
        if (!d.matches()) throw new IllegalArgumentException("not a model statement: " + sql);
        boolean had = catalog.dropModel(d.group(2));
        if (!had && d.group(1) == null) throw new KilnException("no model " + d.group(2) + " to drop");
        return "DROP MODEL " + d.group(2);
    }
}
