package dev.kiln.engine.slt;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import net.hydromatic.sqllogictest.OptionsParser;
import net.hydromatic.sqllogictest.TestStatistics;
import net.hydromatic.sqllogictest.executors.JdbcExecutor;

/**
 * The SQLite sqllogictest corpus ({@code net.hydromatic:sql-logic-test}) through Kiln's JDBC
 * driver: each test file runs in a fresh {@code jdbc:kiln:} database, statements (CREATE TABLE,
 * INSERT, ...) must succeed or fail as the file says, and each query's rows must hash to the
 * file's answer. {@code main} takes the library's options and file names (e.g. {@code select1.test}).
 */
public final class KilnSlt {
    private KilnSlt() {}

    /** The library's JDBC executor, connected to a new in-memory Kiln database per file. */
    static final class Executor extends JdbcExecutor {
        Executor(OptionsParser.SuppliedOptions options) {
            super(options, "jdbc:kiln:", "", "");
        }

        @Override
        public void establishConnection() throws SQLException {
            connection = DriverManager.getConnection(dbUrl);
        }
    }

    /** Runs the files with the executor registered as "kiln"; returns the statistics. */
    public static TestStatistics run(PrintStream out, String... args) throws java.io.IOException {
        OptionsParser parser = new OptionsParser(false, out, out);
        parser.registerExecutor("kiln", () -> new Executor(parser.getOptions()));
        String[] all = new String[args.length + 2];
        all[0] = "-e";
        all[1] = "kiln";
        System.arraycopy(args, 0, all, 2, args.length);
        return net.hydromatic.sqllogictest.Main.execute(parser, all);
    }

    public static void main(String[] args) throws Exception {
        TestStatistics s = run(System.out, args);
        s.printStatistics(System.out);
    }

    /** Runs and returns the printed statistics (for tests that report them). */
    static String report(TestStatistics s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.printStatistics(new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }
}
