package dev.kiln.engine.jdbc;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.KilnConfig;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The JDBC driver: {@code jdbc:kiln:[directory][?option=value&...]}. Each connection is its own
 * in-process Kiln session. With a directory, every {@code NAME.csv} and {@code NAME.parquet} file
 * in it becomes table NAME, and so does every sub-directory NAME holding {@code .parquet} files.
 * Options (in the URL, or as connection properties; the URL wins): {@code tpch=SF} registers
 * the TPC-H tables at that scale factor, {@code threads=N} the worker threads per query,
 * {@code memory=4g} the per-query memory budget. Registered with {@link DriverManager} through
 * {@code META-INF/services/java.sql.Driver}.
 */
public final class KilnDriver implements java.sql.Driver {
    public static final String PREFIX = "jdbc:kiln:";
    static final List<String> OPTIONS = List.of("tpch", "threads", "memory");
    static final int MAJOR = 0;
    static final int MINOR = 1;

    static {
        try {
            DriverManager.registerDriver(new KilnDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) return null; // another driver's URL, as the JDBC contract asks
        Map<String, String> options = options(url, info);
        String location = location(url);
        KilnConfig config = KilnConfig.defaults();
        if (options.containsKey("threads")) config = config.withThreads((int) positive("threads", options.get("threads")));
        if (options.containsKey("memory")) config = config.withMemoryBudget(bytes(options.get("memory")));
        Kiln kiln = Kiln.open(config);
        try {
            if (options.containsKey("tpch")) kiln.registerTpch(scaleFactor(options.get("tpch")));
            if (!location.isEmpty()) registerDirectory(kiln, Path.of(location));
        } catch (KilnException e) {
            kiln.close();
            throw new SQLException("cannot open " + url + ": " + e.getMessage(), Errors.CONNECTION_FAILED, e);
        } catch (SQLException | RuntimeException e) {
            kiln.close();
            throw e;
        }
        return new KilnConnection(kiln, url);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        DriverPropertyInfo tpch = new DriverPropertyInfo("tpch", info == null ? null : info.getProperty("tpch"));
        tpch.description = "register the TPC-H tables at this scale factor (e.g. 0.1)";
        DriverPropertyInfo threads = new DriverPropertyInfo("threads", info == null ? null : info.getProperty("threads"));
        threads.description = "worker threads per query (default: one per core)";
        DriverPropertyInfo memory = new DriverPropertyInfo("memory", info == null ? null : info.getProperty("memory"));
        memory.description = "per-query memory budget, e.g. 512m or 4g (default 4g); queries over it spill to disk";
        return new DriverPropertyInfo[] {tpch, threads, memory};
    }

    @Override
    public int getMajorVersion() {
        return MAJOR;
    }

    @Override
    public int getMinorVersion() {
        return MINOR;
    }

    /** Not JDBC compliant: Kiln has no transactions and no updatable tables. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the Kiln driver does not log through java.util.logging", Errors.NOT_SUPPORTED);
    }

    /** The directory part of the URL ("" for an in-memory database). */
    static String location(String url) {
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /** The connection properties, then the URL's options over them; unknown names are an error. */
    static Map<String, String> options(String url, Properties info) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                // user/password are what tools send to every driver; an in-process database has no accounts
                if (name.equals("user") || name.equals("password")) continue;
                out.put(name.toLowerCase(Locale.ROOT), info.getProperty(name));
            }
        }
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new SQLException("option '" + pair + "' in " + url + " needs a value, as in tpch=0.1", Errors.CONNECTION_FAILED);
                out.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
            }
        }
        for (String name : out.keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new SQLException("unknown option '" + name + "' for " + url + "; the Kiln driver knows " + OPTIONS, Errors.CONNECTION_FAILED);
            }
        }
        return out;
    }

    private static void registerDirectory(Kiln kiln, Path dir) throws SQLException {
        if (!Files.isDirectory(dir)) {
            throw new SQLException("no directory " + dir.toAbsolutePath() + " (jdbc:kiln:DIR registers the CSV and Parquet files in DIR; jdbc:kiln: alone is an empty in-memory database)",
                    Errors.CONNECTION_FAILED);
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new SQLException("cannot list " + dir + ": " + e.getMessage(), Errors.CONNECTION_FAILED, e);
        }
        List<String> names = new ArrayList<>();
        for (Path p : entries) {
            String file = p.getFileName().toString();
            String lower = file.toLowerCase(Locale.ROOT);
            String name;
            if (Files.isRegularFile(p) && lower.endsWith(".csv")) {
                name = file.substring(0, file.length() - 4);
                checkNew(names, name, dir);
                kiln.registerCsv(name, p);
            } else if (Files.isRegularFile(p) && lower.endsWith(".parquet")) {
                name = file.substring(0, file.length() - 8);
                checkNew(names, name, dir);
                kiln.registerParquet(name, p);
            } else if (Files.isDirectory(p) && holdsParquet(p)) {
                name = file;
                checkNew(names, name, dir);
                kiln.registerParquet(name, p);
            }
        }
    }

    private static void checkNew(List<String> names, String name, Path dir) throws SQLException {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                throw new SQLException("two files in " + dir + " would both be table " + name + "; rename one", Errors.CONNECTION_FAILED);
            }
        }
        names.add(name);
    }

    private static boolean holdsParquet(Path dir) throws SQLException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet"));
        } catch (IOException e) {
            throw new SQLException("cannot list " + dir + ": " + e.getMessage(), Errors.CONNECTION_FAILED, e);
        }
    }

    private static double scaleFactor(String v) throws SQLException {
        try {
            double sf = Double.parseDouble(v);
            if (sf > 0 && sf <= 1000) return sf;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SQLException("tpch needs a scale factor above 0 (e.g. tpch=0.1), not '" + v + "'", Errors.CONNECTION_FAILED);
    }

    private static long positive(String name, String v) throws SQLException {
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SQLException(name + " needs a positive whole number, not '" + v + "'", Errors.CONNECTION_FAILED);
    }

    /** A size such as 512m, 4g or 1048576 (bytes). */
    static long bytes(String v) throws SQLException {
        String s = v.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) unit = 1L << 10;
        else if (s.endsWith("m")) unit = 1L << 20;
        else if (s.endsWith("g")) unit = 1L << 30;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n > 0 && n <= Long.MAX_VALUE / unit) return n * unit;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SQLException("memory needs a size such as 512m or 4g, not '" + v + "'", Errors.CONNECTION_FAILED);
    }
}
