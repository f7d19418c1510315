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
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive SQL shell: line editing and history (~/.kiln_history) through JLine,
 * statements may span lines until a ';', {@code \d} lists tables and views, {@code \d name}
 * describes one, {@code \q} or {@code exit} quits. A failing statement reports its error and the
 * session goes on.
 */
final class Shell {
    static final String BANNER = "Kiln SQL shell. End statements with ';'. \\d lists tables, \\d NAME describes one, \\q quits.";

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

    /** On the process's terminal (a dumb one when stdin is a pipe), history in ~/.kiln_history. */
    int run() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            return run(terminal, historyFile());
        } catch (IOException e) {
            throw new KilnException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** ~/.kiln_history, where ~ is $HOME when set (the JVM's user.home ignores it). */
    static Path historyFile() {
        String home = System.getenv("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".kiln_history");
    }

    int run(Terminal terminal, Path historyFile) {
        // SQL is passed through verbatim: JLine must not eat backslashes (\d), treat quotes, or expand '!' (a != b) from history
        DefaultParser verbatim = new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0]);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .parser(verbatim)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
        out.println(BANNER);
        StringBuilder pending = new StringBuilder();
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(pending.isEmpty() ? "kiln> " : "  ...> ");
                } catch (UserInterruptException e) {
                    pending.setLength(0); // Ctrl-C drops the statement being typed, not the session
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                String t = line.strip();
                if (pending.isEmpty() && (t.equals("\\q") || t.equalsIgnoreCase("exit") || t.equalsIgnoreCase("quit"))) return 0;
                if (pending.isEmpty() && t.startsWith("\\")) {
                    command(t);
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
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                err.println("kiln: could not save the shell history to " + historyFile + ": " + e.getMessage());
            }
        }
    }

    private void command(String t) {
        if (t.equals("\\d") || t.startsWith("\\d ")) {
            describe(t.substring(2).strip());
        } else {
            err.println("unknown command " + t + ": \\d lists tables, \\d NAME describes one, \\q quits");
        }
    }

    private void describe(String name) {
        if (name.isEmpty()) {
            for (String t : kiln.tableNames()) out.println(t + " (" + kiln.tableInfo(t).rowCount() + " rows)");
            for (String v : kiln.viewNames()) out.println(v + " (view)");
            return;
        }
        var view = kiln.viewSql(name);
        if (view.isPresent()) {
            out.println("view " + name + " AS " + view.get());
            return;
        }
        try {
            for (Field f : kiln.tableInfo(name).schema().fields()) out.println("  " + f);
        } catch (KilnException e) {
            err.println("Error: " + e.getMessage());
        }
    }
}
