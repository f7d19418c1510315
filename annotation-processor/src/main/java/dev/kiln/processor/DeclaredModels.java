package dev.kiln.processor;

import dev.kiln.frontend.Catalog;
import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.frontend.onnx.OnnxModel;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.ModelRef;
import dev.kiln.ir.rel.TableRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The models of one {@code @KilnQueries} interface ({@code models = @KilnModel(name, resource)}):
 * each ONNX file read from the compilation's class output (where Maven has copied
 * {@code src/main/resources} before compiling), else its source or class path, and imported as
 * the engine imports it, so that {@code PREDICT(name, ...)} is typed at compile time by the
 * model's output. A catalog of the declared tables with these models.
 */
final class DeclaredModels implements Catalog {
    /** A model as the generated constructor registers it. */
    record Declared(String name, String resource) {}

    private final Catalog tables;
    private final Map<String, ModelRef> models = new LinkedHashMap<>();
    private final List<Declared> declared = new ArrayList<>();

    private DeclaredModels(Catalog tables) {
        this.tables = tables;
    }

    /** The interface's models, or empty after reporting why one cannot be read. */
    static Optional<DeclaredModels> of(TypeElement iface, AnnotationMirror queries, Catalog tables, Filer filer, Messager messager) {
        DeclaredModels out = new DeclaredModels(tables);
        boolean failed = false;
        for (AnnotationMirror m : mirrors(queries)) {
            String name = Annotations.string(m, "name").orElse("").trim();
            String resource = Annotations.string(m, "resource").orElse("").trim();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                messager.printMessage(Diagnostic.Kind.ERROR, "@KilnModel needs a model name (letters, digits and _), not '" + name + "'", iface, queries);
                failed = true;
                continue;
            }
            if (out.models.containsKey(name.toLowerCase(Locale.ROOT))) {
                messager.printMessage(Diagnostic.Kind.ERROR, "model " + name + " is declared twice in @KilnQueries(models = ...)", iface, queries);
                failed = true;
                continue;
            }
            try {
                byte[] onnx = read(filer, resource);
                var graph = OnnxImporter.importModel(OnnxModel.read(onnx, resource));
                out.models.put(name.toLowerCase(Locale.ROOT), new ModelRef(name.toLowerCase(Locale.ROOT), 0, graph));
                out.declared.add(new Declared(name, resource));
            } catch (IOException e) {
                messager.printMessage(Diagnostic.Kind.ERROR, "model " + name + ": cannot read " + resource + " from the class path (" + e.getMessage()
                        + "); put the ONNX file under src/main/resources/" + resource, iface, queries);
                failed = true;
            } catch (KilnException e) {
                messager.printMessage(Diagnostic.Kind.ERROR, "model " + name + " (" + resource + "): " + e.getMessage(), iface, queries);
                failed = true;
            }
        }
        return failed ? Optional.empty() : Optional.of(out);
    }

    private static List<AnnotationMirror> mirrors(AnnotationMirror queries) {
        Optional<AnnotationValue> v = Annotations.value(queries, "models");
        if (v.isEmpty()) return List.of();
        List<AnnotationMirror> out = new ArrayList<>();
        for (Object o : (List<?>) v.get().getValue()) out.add((AnnotationMirror) ((AnnotationValue) o).getValue());
        return out;
    }

    private static byte[] read(Filer filer, String resource) throws IOException {
        if (resource.isEmpty() || resource.startsWith("/")) throw new IOException("the resource must be a class-path path like models/risk.onnx, not '" + resource + "'");
        IOException last = null;
        for (StandardLocation where : List.of(StandardLocation.CLASS_OUTPUT, StandardLocation.SOURCE_PATH, StandardLocation.CLASS_PATH)) {
            try {
                FileObject f = filer.getResource(where, "", resource);
                try (InputStream in = f.openInputStream()) {
                    return in.readAllBytes();
                }
            } catch (IOException | IllegalArgumentException e) {
                last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        throw last;
    }

    List<Declared> declared() {
        return declared;
    }

    @Override
    public Optional<TableRef> table(String name) {
        return tables.table(name);
    }

    @Override
    public List<String> tableNames() {
        return tables.tableNames();
    }

    @Override
    public Optional<String> viewSql(String name) {
        return tables.viewSql(name);
    }

    @Override
    public Optional<ModelRef> model(String name) {
        return Optional.ofNullable(models.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<String> modelNames() {
        return new ArrayList<>(models.keySet());
    }
}
