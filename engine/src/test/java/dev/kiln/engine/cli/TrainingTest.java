package dev.kiln.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's AOT training workload runs every command it lists without an error. */
class TrainingTest {
    @Test
    void everyTrainingCommandSucceeds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int failed = Training.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, failed, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        // Q6 at sf 0.01 (table format: q % 3 == 0), the explain of Q3 and the codegen of Q6 all reached the output
        assertTrue(text.contains("(1 row)"), text);
        assertTrue(text.contains("HashJoin") || text.contains("Join"), "no plan in the explain output");
        assertTrue(text.contains("class "), "no generated source in the explain-codegen output");
    }
}
