package dev.kiln.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Checks typed Kiln queries while javac compiles them and generates their implementations.
 * {@code @KilnTable} records declare tables; each {@code @KilnQueries} interface's {@code @Query}
 * methods are validated by the same SQL frontend the engine uses, against those tables and the
 * interface's models ({@code models = @KilnModel(...)}, imported from the class path), and an
 * interface with no error gets a {@code KilnQueries_<Name>} class next to it.
 */
public final class KilnQueriesProcessor extends AbstractProcessor {
    private static final String TABLE = "dev.kiln.annotations.KilnTable";
    private static final String QUERIES = "dev.kiln.annotations.KilnQueries";
    private static final String QUERY = "dev.kiln.annotations.Query";

    private DeclaredTables tables;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(TABLE, QUERIES, QUERY);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (tables == null) tables = new DeclaredTables(processingEnv.getMessager());
        TypeElement table = processingEnv.getElementUtils().getTypeElement(TABLE);
        TypeElement queries = processingEnv.getElementUtils().getTypeElement(QUERIES);
        TypeElement query = processingEnv.getElementUtils().getTypeElement(QUERY);
        if (table != null) {
            for (Element e : round.getElementsAnnotatedWith(table)) tables.declare((TypeElement) e);
        }
        if (queries != null) {
            for (Element e : round.getElementsAnnotatedWith(queries)) {
                // tables named by @KilnQueries(tables = ...) may come from jars
                AnnotationMirror m = Annotations.find(e, QUERIES).orElseThrow();
                for (TypeMirror t : Annotations.classes(m, "tables")) {
                    TypeElement r = (TypeElement) ((DeclaredType) t).asElement();
                    if (Annotations.find(r, TABLE).isEmpty()) {
                        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, r.getSimpleName() + " in @KilnQueries(tables = ...) is not a @KilnTable record", e, m);
                    } else {
                        tables.declare(r);
                    }
                }
            }
            for (Element e : round.getElementsAnnotatedWith(queries)) generate((TypeElement) e);
        }
        if (query != null) {
            for (Element e : round.getElementsAnnotatedWith(query)) {
                if (Annotations.find(e.getEnclosingElement(), QUERIES).isEmpty()) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                            "@Query methods belong to an interface annotated with @KilnQueries; annotate " + e.getEnclosingElement().getSimpleName(), e);
                }
            }
        }
        return true;
    }

    private void generate(TypeElement iface) {
        var messager = processingEnv.getMessager();
        if (iface.getKind() != ElementKind.INTERFACE) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@KilnQueries goes on an interface, whose implementation Kiln generates; "
                    + iface.getSimpleName() + " is a " + iface.getKind().toString().toLowerCase(java.util.Locale.ROOT), iface);
            return;
        }
        if (iface.getModifiers().contains(Modifier.PRIVATE)) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@KilnQueries interface " + iface.getSimpleName() + " is private; the generated implementation must see it", iface);
            return;
        }
        Optional<DeclaredModels> models = DeclaredModels.of(iface, Annotations.find(iface, QUERIES).orElseThrow(), tables, processingEnv.getFiler(), messager);
        if (models.isEmpty()) return;
        List<QueryMethod> methods = new ArrayList<>();
        boolean failed = false;
        for (Element e : iface.getEnclosedElements()) {
            if (!(e instanceof ExecutableElement m) || e.getKind() != ElementKind.METHOD) continue;
            if (m.getModifiers().contains(Modifier.DEFAULT) || m.getModifiers().contains(Modifier.STATIC) || m.getModifiers().contains(Modifier.PRIVATE)) continue;
            Optional<AnnotationMirror> q = Annotations.find(m, QUERY);
            if (q.isEmpty()) {
                messager.printMessage(Diagnostic.Kind.ERROR, "method " + m.getSimpleName() + " of @KilnQueries interface " + iface.getSimpleName()
                        + " has no @Query; give it one, or make it a default method", m);
                failed = true;
                continue;
            }
            Optional<QueryMethod> checked = QueryMethod.check(m, q.get(), models.get(), messager);
            if (checked.isPresent()) methods.add(checked.get());
            else failed = true;
        }
        if (failed) return;
        String pkg = ImplementationWriter.packageOf(iface);
        String name = ImplementationWriter.className(iface);
        try (Writer w = processingEnv.getFiler().createSourceFile(pkg.isEmpty() ? name : pkg + "." + name, iface).openWriter()) {
            w.write(ImplementationWriter.write(iface, methods, tables, models.get().declared()));
        } catch (IOException e) {
            messager.printMessage(Diagnostic.Kind.ERROR, "cannot write " + name + ": " + e.getMessage(), iface);
        }
    }
}
