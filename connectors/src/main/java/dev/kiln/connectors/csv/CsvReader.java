package dev.kiln.connectors.csv;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CSV file into a columnar table, with a declared schema or one inferred from all of the
 * data (see {@link ColumnInference}). Two passes over the text: the first checks the structure
 * (field counts, quotes) and infers the types, the second converts the values into columns sized
 * from the row count the first pass found, so no record list is held in between.
 *
 * <p>Every error names file:line and, for a bad value, the column and the expected type. On any
 * error the memory allocated for the table is given back and nothing is returned: the caller gets
 * a whole table or an exception.
 */
public final class CsvReader {
    private CsvReader() {}

    public static Table read(Path file, CsvOptions options, QueryMemory mem) {
        String fname = file.getFileName().toString();
        String name = fname.replaceFirst("\\.[^.]*$", "");
        String text = decode(file, fname);
        Structure s = checkStructure(fname, text, options);
        TableAssembler out = new TableAssembler(name, s.schema, mem, s.rows);
        try {
            CsvParser parser = new CsvParser(fname, text, options.delimiter(), options.quote());
            boolean skipHeader = options.header();
            for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
                if (isBlank(r)) continue;
                if (skipHeader) {
                    skipHeader = false;
                    continue;
                }
                for (int c = 0; c < s.schema.size(); c++) {
                    CsvParser.Field f = r.fields().get(c);
                    Field col = s.schema.field(c);
                    if (isNull(f, options)) {
                        if (!col.nullable()) {
                            throw new KilnException(fname + ":" + r.line() + ", column '" + col.name() + "': NULL (an empty field) in a NOT NULL column; "
                                    + "declare the column nullable or quote the field (\"\") to mean the empty string");
                        }
                        out.column(c).appendNull();
                        continue;
                    }
                    try {
                        CsvValues.append(out.column(c), col.type(), f.text());
                    } catch (CsvValues.BadValue e) {
                        throw new KilnException(fname + ":" + r.line() + ", column '" + col.name() + "': '" + f.text() + "' is not " + article(col.type().sql()) + col.type().sql()
                                + (e.getMessage().isEmpty() ? "" : " (" + e.getMessage() + ")"));
                    }
                }
                out.endRow();
            }
            return out.finish();
        } catch (RuntimeException | Error e) {
            out.abandon();
            throw e;
        }
    }

    static String article(String typeName) {
        return "AEIOU".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ";
    }

    /** What the first pass learns: the schema (declared or inferred) and the number of data rows. */
    private record Structure(Schema schema, long rows) {}

    private static Structure checkStructure(String fname, String text, CsvOptions options) {
        CsvParser parser = new CsvParser(fname, text, options.delimiter(), options.quote());
        List<String> names = null;
        List<ColumnInference> inference = new ArrayList<>();
        long rows = 0;
        for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
            if (isBlank(r)) continue;
            if (names == null) {
                names = options.header() ? headerNames(fname, r) : defaultNames(options, r.fields().size());
                checkDeclared(fname, options, names.size());
                for (int i = 0; i < names.size(); i++) inference.add(new ColumnInference());
                if (options.header()) continue;
            }
            if (r.fields().size() != names.size()) {
                throw new KilnException(fname + ":" + r.line() + ": expected " + names.size() + " fields but found " + r.fields().size()
                        + (r.fields().size() > names.size() ? " (check for an unquoted '" + options.delimiter() + "')" : ""));
            }
            rows++;
            if (options.schema().isPresent()) continue;
            for (int c = 0; c < names.size(); c++) {
                CsvParser.Field f = r.fields().get(c);
                if (isNull(f, options)) inference.get(c).observeNull();
                else inference.get(c).observe(f.text());
            }
        }
        if (names == null) {
            if (options.header()) throw new KilnException(fname + ": the file is empty but a header row was expected");
            if (options.schema().isEmpty()) throw new KilnException(fname + ": the file is empty; declare a schema to read it as an empty table");
            return new Structure(options.schema().get(), 0);
        }
        if (options.schema().isPresent()) return new Structure(options.schema().get(), rows);
        List<Field> fields = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) fields.add(inference.get(c).result(names.get(c)));
        return new Structure(new Schema(fields), rows);
    }

    private static void checkDeclared(String fname, CsvOptions options, int width) {
        options.schema().ifPresent(s -> {
            if (s.size() != width) throw new KilnException(fname + ": the declared schema has " + s.size() + " columns but the file has " + width);
            for (Field f : s.fields()) {
                if (f.type() instanceof DataType.StructType || f.type() instanceof DataType.TensorType) {
                    throw new KilnException(fname + ": column '" + f.name() + "' is declared " + f.type().sql() + ", which CSV cannot hold");
                }
            }
        });
    }

    private static List<String> defaultNames(CsvOptions options, int width) {
        if (options.schema().isPresent()) return options.schema().get().names();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) names.add("column_" + (i + 1));
        return names;
    }

    private static List<String> headerNames(String fname, CsvParser.Record header) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String n = header.fields().get(i).text().strip();
            if (n.isEmpty()) n = "column_" + (i + 1);
            Integer before = seen.put(n.toLowerCase(Locale.ROOT), i + 1);
            if (before != null) {
                throw new KilnException(fname + ":" + header.line() + ": duplicate column name '" + n + "' (columns " + before + " and " + (i + 1)
                        + "); rename one in the header");
            }
            names.add(n);
        }
        return names;
    }

    /** A line with nothing on it; skipped wherever it is. */
    static boolean isBlank(CsvParser.Record r) {
        return r.fields().size() == 1 && r.fields().getFirst().text().isEmpty() && !r.fields().getFirst().quoted();
    }

    static boolean isNull(CsvParser.Field f, CsvOptions o) {
        return !f.quoted() && f.text().equals(o.nullString());
    }

    /** The file as text; invalid UTF-8 is an error naming its line, not a replacement character. */
    private static String decode(Path file, String fname) {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 64) {
                throw new KilnException(fname + ": CSV files larger than 2 GB are not supported; split the file");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KilnException("cannot read CSV file " + file + ": " + e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new KilnException(fname + ":" + line + ": not valid UTF-8 (byte " + in.position() + "); save the file as UTF-8");
        }
        return out.flip().toString();
    }
}
