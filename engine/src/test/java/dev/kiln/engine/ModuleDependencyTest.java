package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The module map of DESIGN.md, enforced: each module depends only on the Kiln modules above it,
 * only frontend sees Calcite, only codegen-cpu sees ASM and Janino.
 */
class ModuleDependencyTest {
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("ir", Set.of()),
            Map.entry("frontend", Set.of("ir")),
            Map.entry("optimizer", Set.of("ir")),
            Map.entry("runtime", Set.of("ir")),
            Map.entry("codegen-cpu", Set.of("ir", "runtime")),
            Map.entry("connectors", Set.of("ir", "runtime")),
            Map.entry("engine", Set.of("ir", "frontend", "optimizer", "runtime", "codegen-cpu", "connectors")),
            Map.entry("benchmarks", Set.of("engine")),
            Map.entry("annotations", Set.of()),
            Map.entry("annotation-processor", Set.of("annotations", "ir", "frontend")),
            Map.entry("examples", Set.of("engine", "annotations", "annotation-processor")));

    static final Pattern DEP = Pattern.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:\\s*<version>[^<]*</version>)?(?:\\s*<scope>([^<]+)</scope>)?");

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        return Files.exists(p.resolve("ir")) ? p : p.getParent();
    }

    @Test
    void modulesDependOnlyDownward() throws Exception {
        Path root = root();
        String parent = Files.readString(root.resolve("pom.xml"));
        for (String module : ALLOWED.keySet()) {
            assertTrue(parent.contains("<module>" + module + "</module>"), "root pom lists " + module);
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            String deps = pom.substring(pom.indexOf("<dependencies>"));
            Set<String> kiln = new TreeSet<>();
            Matcher m = DEP.matcher(deps);
            while (m.find()) {
                String group = m.group(1);
                String artifact = m.group(2);
                boolean test = "test".equals(m.group(3));
                // a module's tests may check it against modules above it (codegen-cpu's tensor programs
                // against real models imported by frontend and optimized by optimizer); its code may not
                if (group.equals("dev.kiln") && !test) kiln.add(artifact.replaceFirst("^kiln-", ""));
                if (!test && group.equals("org.apache.calcite")) assertEquals("frontend", module, "only frontend may use Calcite");
                if (!test && (group.equals("org.ow2.asm") || group.equals("org.codehaus.janino"))) {
                    assertEquals("codegen-cpu", module, "only codegen-cpu may use ASM/Janino");
                }
            }
            assertTrue(ALLOWED.get(module).containsAll(kiln), module + " depends on " + kiln + " but may only use " + ALLOWED.get(module));
        }
    }

    @Test
    void irUsesTheJdkOnly() throws Exception {
        try (var files = Files.walk(root().resolve("ir/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ") && !line.startsWith("import java") && !line.startsWith("import dev.kiln.ir")
                            && !line.startsWith("import static java") && !line.startsWith("import static dev.kiln.ir")) {
                        throw new AssertionError(f + " imports " + line + ": ir may depend on the JDK only");
                    }
                }
            }
        }
    }

    /** The package root of each module's code. */
    static final Map<String, String> PACKAGE = Map.ofEntries(
            Map.entry("ir", "dev.kiln.ir"),
            Map.entry("frontend", "dev.kiln.frontend"),
            Map.entry("optimizer", "dev.kiln.optimizer"),
            Map.entry("runtime", "dev.kiln.runtime"),
            Map.entry("codegen-cpu", "dev.kiln.codegen"),
            Map.entry("connectors", "dev.kiln.connectors"),
            Map.entry("engine", "dev.kiln.engine"),
            Map.entry("benchmarks", "dev.kiln.benchmarks"),
            Map.entry("annotations", "dev.kiln.annotations"),
            Map.entry("annotation-processor", "dev.kiln.processor"),
            Map.entry("examples", "dev.kiln.examples"));

    /** A module's allowed dependencies and theirs (what Maven puts on its compile class path). */
    static Set<String> closure(String module) {
        Set<String> all = new TreeSet<>(ALLOWED.get(module));
        for (String d : ALLOWED.get(module)) all.addAll(closure(d));
        return all;
    }

    /**
     * The poms say what is on the class path; the imports say what code uses. Calcite reaches
     * engine transitively through frontend, so the pom check alone would not notice engine code
     * importing it.
     */
    @Test
    void mainSourcesImportOnlyWhatTheirModuleMayUse() throws Exception {
        Pattern imp = Pattern.compile("^import (?:static )?((?:dev\\.kiln|org\\.apache\\.calcite|org\\.objectweb\\.asm|org\\.codehaus)\\.[\\w.]+)", Pattern.MULTILINE);
        int files = 0;
        for (String module : ALLOWED.keySet()) {
            Set<String> usable = closure(module);
            usable.add(module);
            Path src = root().resolve(module).resolve("src/main/java");
            try (var walk = Files.walk(src)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = imp.matcher(Files.readString(f));
                    while (m.find()) {
                        String name = m.group(1);
                        if (name.startsWith("org.apache.calcite")) assertEquals("frontend", module, f + " imports " + name + ": only frontend may use Calcite");
                        if (name.startsWith("org.objectweb.asm") || name.startsWith("org.codehaus")) {
                            assertEquals("codegen-cpu", module, f + " imports " + name + ": only codegen-cpu may use ASM and Janino");
                        }
                        if (name.startsWith("dev.kiln.")) {
                            String owner = PACKAGE.entrySet().stream().filter(e -> name.startsWith(e.getValue() + ".")).map(Map.Entry::getKey)
                                    .findFirst().orElseThrow(() -> new AssertionError(f + " imports " + name + ", which belongs to no module"));
                            assertTrue(usable.contains(owner), f + " (module " + module + ") imports " + name + " from " + owner
                                    + "; " + module + " may use only " + usable);
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " source files; is the project root right?");
    }
}
