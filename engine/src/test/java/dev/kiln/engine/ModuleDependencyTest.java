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
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "ir", Set.of(),
            "frontend", Set.of("ir"),
            "optimizer", Set.of("ir"),
            "runtime", Set.of("ir"),
            "codegen-cpu", Set.of("ir", "runtime"),
            "connectors", Set.of("ir", "runtime"),
            "engine", Set.of("ir", "frontend", "optimizer", "runtime", "codegen-cpu", "connectors"),
            "benchmarks", Set.of("engine"));

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
                if (group.equals("dev.kiln")) kiln.add(artifact.replaceFirst("^kiln-", ""));
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
}
