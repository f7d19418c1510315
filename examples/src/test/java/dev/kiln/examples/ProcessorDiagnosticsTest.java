package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.KilnQueriesProcessor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles sources with javac and the processor and asserts the exact diagnostics: each wrong
 * query is a compiler error on the line of its annotation, saying what is wrong and where in the
 * SQL; a correct interface compiles, with its implementation generated.
 */
class ProcessorDiagnosticsTest {
    @TempDir
    Path out;

    private static final String TABLE = """
            package t;
            import dev.kiln.annotations.*;
            import java.math.BigDecimal;
            import java.time.LocalDate;
            @KilnTable(value = "lineitem", prefix = "l_")
            record LineItem(long orderKey, BigDecimal quantity, String returnFlag, LocalDate shipDate) {}
            """;

    /** One error or warning: kind, line, message. */
    private record Found(Diagnostic.Kind kind, long line, String message) {}

    private List<Found> compile(String queries) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = List.of(source("t/LineItem.java", TABLE), source("t/Queries.java", queries));
        List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:full", "-s", out.toString());
        var task = javac.getTask(null, null, diagnostics, options, null, sources);
        task.setProcessors(List.of(new KilnQueriesProcessor()));
        task.call();
        List<Found> found = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE) continue;
            found.add(new Found(d.getKind(), d.getLineNumber(), d.getMessage(Locale.ROOT)));
        }
        return found;
    }

    private static JavaFileObject source(String path, String text) {
        return new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    private static String queries(String... methods) {
        return """
                package t;
                import dev.kiln.annotations.*;
                import java.math.BigDecimal;
                import java.time.LocalDate;
                import java.util.*;
                @KilnQueries
                interface Queries {
                    record FlagQty(String flag, BigDecimal qty) {}
                """ + String.join("\n", methods) + "\n}\n";
    }

    private static Found error(long line, String message) {
        return new Found(Diagnostic.Kind.ERROR, line, message);
    }

    @Test
    void aCorrectInterfaceCompilesAndItsImplementationIsGenerated() throws IOException {
        List<Found> found = compile(queries(
                "    @Query(\"SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem WHERE l_shipdate <= :cutoff GROUP BY 1\")",
                "    List<FlagQty> summary(LocalDate cutoff);"));
        assertEquals(List.of(), found);
        assertTrue(Files.exists(out.resolve("t/KilnQueries_Queries.java")));
        assertTrue(Files.exists(out.resolve("t/KilnQueries_Queries.class")));
    }

    @Test
    void unknownColumnAtItsPositionInTheSql() throws IOException {
        List<Found> found = compile(queries(
                "    @Query(\"SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem WHERE l_shipdat <= :cutoff GROUP BY 1\")",
                "    List<FlagQty> summary(LocalDate cutoff);"));
        assertEquals(List.of(error(9, """
                in the query of Queries.summary: Column 'l_shipdat' not found in any table. Did you mean 'l_shipdate'? at line 1, column 73
                  SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem WHERE l_shipdat <= :cutoff GROUP BY 1
                                                                                          ^""")), found);
    }

    @Test
    void wrongParameterTypeMissingParameterAndUnusedParameter() throws IOException {
        List<Found> found = compile(queries(
                "    @Query(\"SELECT count(*) FROM lineitem WHERE l_shipdate <= :cutoff\")",
                "    long a(String cutoff);",
                "    @Query(\"SELECT count(*) FROM lineitem WHERE l_shipdate <= :cutoff\")",
                "    long b(LocalDate day);",
                "    @Query(\"SELECT count(*) FROM lineitem\")",
                "    long c(LocalDate day);"));
        assertEquals(List.of(
                error(9, "parameter cutoff of Queries.a is a String, but the query uses it as DATE; declare it LocalDate"),
                error(11, """
                        in the query of Queries.b: :cutoff is not a parameter of the method; its parameters are [day] at line 1, column 51
                          SELECT count(*) FROM lineitem WHERE l_shipdate <= :cutoff
                                                                            ^"""),
                error(11, "parameter day of Queries.b is not used in the query; refer to it as :day"),
                error(13, "parameter day of Queries.c is not used in the query; refer to it as :day")), found);
    }

    @Test
    void resultRecordsThatDoNotFit() throws IOException {
        List<Found> found = compile(queries(
                "    record Wrong(String flag, long qty) {}",
                "    record Missing(String flag, BigDecimal qty, long count) {}",
                "    record Prim(String flag, long total) {}",
                "    @Query(\"SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem GROUP BY 1\")",
                "    List<Wrong> wrong();",
                "    @Query(\"SELECT l_returnflag AS flag, sum(l_quantity) AS qty FROM lineitem GROUP BY 1\")",
                "    List<Missing> missing();",
                "    @Query(\"SELECT l_returnflag AS flag, sum(l_orderkey) AS total, 1 AS extra FROM lineitem GROUP BY 1\")",
                "    Optional<Prim> prim();",
                "    @Query(\"SELECT l_returnflag, l_quantity FROM lineitem\")",
                "    List<String> twoColumns();"));
        assertEquals(List.of(
                error(12, "column qty (DECIMAL(18,2), nullable) does not fit Wrong.qty (long): DECIMAL(18,2) does not fit long; use BigDecimal"),
                error(14, "component Missing.count has no column in the result of Queries.missing; its columns are [flag, qty] (name a column count with AS)"),
                error(16, "the result's column extra has no component in Prim; add one or drop the column from the query"),
                error(18, "Queries.twoColumns returns single java.lang.String values but the query has 2 columns [l_returnflag, l_quantity]; return a record with a component per column")),
                found);
    }

    @Test
    void syntaxErrorsAndNonQueries() throws IOException {
        List<Found> found = compile(queries(
                "    @Query(\"SELECT l_returnflag FROM lineitem WHERE\")",
                "    List<String> cut();",
                "    long noQuery();"));
        assertEquals(2, found.size(), found.toString());
        assertEquals(9, found.get(0).line());
        assertTrue(found.get(0).message().startsWith("in the query of Queries.cut: Syntax error: Encountered \"<EOF>\""), found.get(0).message());
        assertTrue(found.get(0).message().contains(" at line 1, column 39\n"), found.get(0).message());
        assertEquals(error(11, "method noQuery of @KilnQueries interface Queries has no @Query; give it one, or make it a default method"), found.get(1));
    }

    private static String modelQueries(String models, String... methods) {
        return """
                package t;
                import dev.kiln.annotations.*;
                import java.util.*;
                @KilnQueries(models = {%s})
                interface Queries {
                """.formatted(models) + String.join("\n", methods) + "\n}\n";
    }

    /**
     * A model's ONNX file is read from the class path at compile time: PREDICT is typed by its
     * output (line-risk.onnx gives a VARCHAR label), a file that is not there or a method whose
     * result does not fit is a javac error at the annotation.
     */
    @Test
    void modelsAreImportedAtCompileTime() throws IOException {
        String ok = "@KilnModel(name = \"risk\", resource = \"models/line-risk.onnx\")";
        assertEquals(List.of(), compile(modelQueries(ok,
                "    @Query(\"SELECT PREDICT(risk, l_quantity, l_quantity, l_quantity) FROM lineitem\")",
                "    List<String> labels();")));
        List<Found> wrongType = compile(modelQueries(ok,
                "    @Query(\"SELECT PREDICT(risk, l_quantity, l_quantity, l_quantity) FROM lineitem\")",
                "    List<Long> labels();"));
        assertEquals(1, wrongType.size(), wrongType.toString());
        assertTrue(wrongType.getFirst().message().contains("VARCHAR"), wrongType.toString());
        List<Found> missing = compile(modelQueries("@KilnModel(name = \"risk\", resource = \"models/nowhere.onnx\")",
                "    @Query(\"SELECT PREDICT(risk, l_quantity, l_quantity, l_quantity) FROM lineitem\")",
                "    List<String> labels();"));
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.getFirst().message().startsWith("model risk: cannot read models/nowhere.onnx from the class path"), missing.toString());
        List<Found> unknown = compile(modelQueries(ok,
                "    @Query(\"SELECT PREDICT(other, l_quantity) FROM lineitem\")",
                "    List<String> labels();"));
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.getFirst().message().contains("no model other; models: [risk]"), unknown.toString());
    }
}
