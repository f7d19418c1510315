package dev.kiln.engine.cli;

import dev.kiln.engine.Kiln;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Field;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive SQL shell: line editing and history (~/.kiln_history) through JLine,
 * statements may span lines until a ';', {@code \d} lists tables, {@code \d name} describes one,
 * {@code \q} quits. An error reports and keeps the session.
 */
final class Shell {
    private final Kiln kiln;
    private final SqlOptions options;
    private final PrintStream out;
    private final PrintStream err;

    Shell(Kiln kiln, SqlOptions options, PrintStream out, PrintStream err) {
        this.kiln = kiln;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".kiln_history"))
                    .build();
            out.println("Kiln SQL shell. End statements with ';'. \\d lists tables, \\q quits.");
            StringBuilder pending = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(pending.isEmpty() ? "kiln> " : "  ...> ");
                } catch (UserInterruptException e) {
                    pending.setLength(0);
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                String t = line.strip();
                if (pending.isEmpty() && (t.equals("\\q") || t.equalsIgnoreCase("exit") || t.equalsIgnoreCase("quit"))) return 0;
                if (pending.isEmpty() && t.startsWith("\\d")) {
                    describe(t.substring(2).strip());
                    continue;
                }
                pending.append(line).append('\n');
                if (!StatementSplitter.complete(pending.toString())) continue;
                String sql = pending.toString();
                pending.setLength(0);
                for (String stmt : StatementSplitter.split(sql)) {
                    try {
                        new Main(out, err).execute(kiln, stmt, options);
                    } catch (KilnException e) {
                        err.println("Error: " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new KilnException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    private void describe(String name) {
        if (name.isEmpty()) {
            for (String t : kiln.tableNames()) out.println(t + " (" + kiln.table(t).rowCount() + " rows)");
            for (String v : kiln.viewNames()) out.println(v + " (view)");
            return;
        }
        try {
            for (Field f : kiln.table(name).schema().fields()) out.println("  " + f);
        } catch (KilnException e) {
            err.println("Error: " + e.getMessage());
        }
    }
}
