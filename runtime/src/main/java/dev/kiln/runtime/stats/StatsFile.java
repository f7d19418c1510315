package dev.kiln.runtime.stats;

import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.Histogram;
import dev.kiln.ir.stats.TableStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * {@link TableStats} as a properties text (kept next to cached table data so that a cached load
 * does not recompute them): {@code rows}, {@code columns}, and per known column
 * {@code col.N = ndv,nullFraction,min,max} (empty min/max when absent) and
 * {@code col.N.histogram = b0,b1,...}. Doubles are written in Java's round-trip form.
 */
public final class StatsFile {
    private StatsFile() {}

    static final String FORMAT = "kiln-stats-1";

    public static void write(TableStats stats, OutputStream out) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("rows", Long.toString(stats.rowCount()));
        p.setProperty("columns", Integer.toString(stats.columns().size()));
        for (int c = 0; c < stats.columns().size(); c++) {
            Optional<ColumnStats> cs = stats.column(c);
            if (cs.isEmpty()) continue;
            ColumnStats s = cs.get();
            p.setProperty("col." + c, s.ndv() + "," + s.nullFraction() + "," + text(s.min()) + "," + text(s.max()));
            if (s.histogram().isPresent()) {
                p.setProperty("col." + c + ".histogram", String.join(",", s.histogram().get().bounds().stream().map(d -> Double.toString(d)).toList()));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.store(bytes, "Kiln table statistics");
        out.write(bytes.toByteArray());
    }

    /** Reads statistics written by {@link #write}; anything malformed is an IOException naming it. */
    public static TableStats read(InputStream in, int expectedColumns) throws IOException {
        Properties p = new Properties();
        p.load(in);
        if (!FORMAT.equals(p.getProperty("format"))) throw new IOException("statistics format " + p.getProperty("format") + ", expected " + FORMAT);
        try {
            long rows = Long.parseLong(required(p, "rows"));
            int columns = Integer.parseInt(required(p, "columns"));
            if (columns != expectedColumns) throw new IOException("statistics for " + columns + " columns, the table has " + expectedColumns);
            List<Optional<ColumnStats>> cols = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                String v = p.getProperty("col." + c);
                if (v == null) {
                    cols.add(Optional.empty());
                    continue;
                }
                String[] f = v.split(",", -1);
                if (f.length != 4) throw new IOException("col." + c + " has " + f.length + " fields, expected 4");
                String h = p.getProperty("col." + c + ".histogram");
                Optional<Histogram> hist = h == null ? Optional.empty()
                        : Optional.of(new Histogram(Arrays.stream(h.split(",")).map(Double::valueOf).toList()));
                cols.add(Optional.of(new ColumnStats(Double.parseDouble(f[0]), Double.parseDouble(f[1]), number(f[2]), number(f[3]), hist)));
            }
            return new TableStats(rows, cols);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed statistics: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null) throw new IOException("the statistics have no " + key);
        return v;
    }

    private static String text(OptionalDouble d) {
        return d.isPresent() ? Double.toString(d.getAsDouble()) : "";
    }

    private static OptionalDouble number(String s) {
        return s.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(s));
    }
}
