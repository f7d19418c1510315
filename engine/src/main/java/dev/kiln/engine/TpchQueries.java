package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The 22 TPC-H queries (standard text, validation substitution parameters), shipped as resources. */
public final class TpchQueries {
    private TpchQueries() {}

    public static String text(int n) {
        if (n < 1 || n > 22) throw new KilnException("TPC-H has queries 1 to 22, not " + n);
        String name = String.format("/tpch/q%02d.sql", n);
        try (InputStream in = TpchQueries.class.getResourceAsStream(name)) {
            if (in == null) throw new KilnException("missing resource " + name);
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException e) {
            throw new KilnException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
