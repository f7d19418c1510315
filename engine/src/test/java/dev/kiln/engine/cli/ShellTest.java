package dev.kiln.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell driven through a dumb terminal: multi-line statements, \d, errors that keep the session, history. */
class ShellTest {
    @Test
    void multiLineStatementsDescribeErrorsAndHistory(@TempDir Path dir) throws Exception {
        String input = String.join("\n",
                "SELECT region,",
                "       count(*) AS n",
                "FROM sales WHERE region <> 'a;b'",
                "GROUP BY region ORDER BY region LIMIT 2;",
                "\\d",
                "\\d sales",
                "SELECT nope FROM sales;",
                "SELECT count(*) AS ne FROM sales WHERE region != 'North';",
                "CREATE VIEW v AS SELECT id FROM sales; SELECT count(*) AS c FROM v;",
                "\\d v",
                "\\x",
                "\\q",
                "SELECT 'not reached';") + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Path history = dir.resolve("history");
        int code;
        try (Kiln kiln = Kiln.open();
             Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                     screen, StandardCharsets.UTF_8)) {
            kiln.registerCsv("sales", CliTest.sales());
            SqlOptions options = SqlOptions.parse(List.of());
            code = new Shell(kiln, options, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(terminal, history);
        }
        assertEquals(0, code);
        assertEquals(Shell.BANNER + "\n"
                + "region | n\n-------+--\nEast   | 7\nNorth  | 8\n(2 rows)\n"
                + "sales (30 rows)\n"
                + "  id BIGINT NOT NULL\n  region VARCHAR NOT NULL\n  product VARCHAR NOT NULL\n  sale_date DATE NOT NULL\n"
                + "  quantity BIGINT NOT NULL\n  unit_price DECIMAL(5,2) NOT NULL\n  discount DECIMAL(3,2)\n"
                + "ne\n--\n22\n(1 row)\n"
                + "CREATE VIEW v\nc\n--\n30\n(1 row)\n"
                + "view v AS SELECT id FROM sales\n", out.toString(StandardCharsets.UTF_8));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("Error: Column 'nope' not found in any table"), errors);
        assertTrue(errors.endsWith("unknown command \\x: \\d lists tables, \\d NAME describes one, \\q quits\n"), errors);
        assertTrue(screen.toString(StandardCharsets.UTF_8).contains("  ...> "), "continuation prompt for multi-line input");
        String saved = Files.readString(history);
        assertTrue(saved.contains("SELECT nope FROM sales;"), saved);
    }
}
