package dev.kiln.connectors.csv;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads CSV text of a declared schema record by record, for streaming sources: a record that is
 * not a row of the schema is set aside as a {@link BadRecord} ({@code where = name:line} of its
 * first line, its text, the reason) and reading goes on, where {@link CsvReader} stops at the
 * first error. Bad records: a wrong number of fields, a value that is not of its column's type
 * (the same strict rules and reasons as {@link CsvReader}), NULL in a NOT NULL column, a stray or
 * unterminated quote (reading goes on at the next line), invalid UTF-8.
 *
 * <p>With a header ({@link CsvOptions#header()}), the first non-blank record must name the
 * schema's columns in order, ignoring case and surrounding spaces; any other header is an error
 * for the whole text, as in Spark with {@code enforceSchema=false}: a header naming other columns
 * says the file is not what the schema describes, and guessing would put values in the wrong
 * columns. Blank lines are skipped; an empty text has no rows. A reader is immutable and may be
 * shared by threads.
 */
public final class CsvRecordReader {
    private final CsvOptions options;
    private final Schema schema;

    /** @param options how to read; must declare the schema ({@link CsvOptions#withSchema}) */
    public CsvRecordReader(CsvOptions options) {
        this.options = options;
        this.schema = options.schema().orElseThrow(() -> new KilnException("reading CSV records needs a declared schema; give one with CsvOptions.withSchema"));
        for (Field f : schema.fields()) {
            if (f.type() instanceof DataType.StructType || f.type() instanceof DataType.TensorType) {
                throw new KilnException("column '" + f.name() + "' is declared " + f.type().sql() + ", which CSV cannot hold");
            }
        }
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Reads the records of {@code bytes} (UTF-8) into batches in {@code mem}, bad ones aside. On an
     * error (a header that does not match) nothing is returned and the memory is given back.
     *
     * @param name what the text is called in messages and bad records, e.g. a file's path
     */
    public SourceBatch read(byte[] bytes, String name, QueryMemory mem) {
        TreeSet<Integer> badUtf8 = new TreeSet<>();
        CsvParser parser = new CsvParser(name, decode(bytes, badUtf8), options.delimiter(), options.quote());
        TableAssembler out = new TableAssembler(name, schema, mem, lines(bytes));
        List<BadRecord> bad = new ArrayList<>();
        Row row = new Row(schema.size());
        boolean header = options.header();
        try {
            while (true) {
                CsvParser.Record r;
                try {
                    r = parser.next();
                } catch (CsvParser.Malformed e) {
                    CsvParser.Record skipped = parser.skipLine();
                    if (header) throw new KilnException(e.getMessage() + "; the header row cannot be read");
                    String reason = e.reason + (e.line != skipped.line() ? " (at line " + e.line + ")" : "");
                    bad.add(new BadRecord(name + ":" + skipped.line(), parser.text(skipped.start(), skipped.end()), reason));
                    continue;
                }
                if (r == null) break;
                if (CsvReader.isBlank(r)) continue;
                if (header) {
                    checkHeader(name, r);
                    header = false;
                    continue;
                }
                String reason = utf8(r, parser, badUtf8);
                if (reason == null) reason = stage(r, row);
                if (reason == null) row.appendTo(out, schema);
                else bad.add(new BadRecord(name + ":" + r.line(), parser.text(r.start(), r.end()), reason));
            }
            return new SourceBatch(out.finish().batches(), bad);
        } catch (RuntimeException | Error e) {
            out.abandon();
            throw e;
        }
    }

    private void checkHeader(String name, CsvParser.Record r) {
        List<String> found = r.fields().stream().map(f -> f.text().strip()).toList();
        boolean same = found.size() == schema.size();
        for (int i = 0; same && i < found.size(); i++) same = found.get(i).equalsIgnoreCase(schema.field(i).name());
        if (!same) {
            throw new KilnException(name + ":" + r.line() + ": the header names the columns " + found + " but the schema has " + schema.names()
                    + "; write the file with the schema's columns in its order, or read it with a schema that matches its header");
        }
    }

    /** Why the record cannot be a row (null if it can), with its values staged in {@code row}. */
    private String stage(CsvParser.Record r, Row row) {
        if (r.fields().size() != schema.size()) {
            return "expected " + schema.size() + " fields but found " + r.fields().size()
                    + (r.fields().size() > schema.size() ? " (check for an unquoted '" + options.delimiter() + "')" : "");
        }
        for (int c = 0; c < schema.size(); c++) {
            CsvParser.Field f = r.fields().get(c);
            Field col = schema.field(c);
            row.nulls[c] = CsvReader.isNull(f, options);
            if (row.nulls[c]) {
                if (!col.nullable()) return "column '" + col.name() + "': NULL (an empty field) in a NOT NULL column";
                continue;
            }
            String t = col.type() instanceof DataType.VarcharType ? f.text() : f.text().strip();
            try {
                switch (col.type()) {
                    case DataType.BooleanType x -> row.longs[c] = CsvValues.parseBoolean(t) ? 1 : 0;
                    case DataType.IntType i -> row.longs[c] = CsvValues.parseInteger(t, i);
                    case DataType.DecimalType d -> row.longs[c] = CsvValues.parseDecimal(t, d);
                    case DataType.DoubleType x -> row.longs[c] = Double.doubleToRawLongBits(CsvValues.parseDouble(t));
                    case DataType.DateType x -> row.longs[c] = CsvValues.parseDate(t);
                    case DataType.TimestampType x -> row.longs[c] = CsvValues.parseTimestamp(t);
                    case DataType.VarcharType x -> row.strings[c] = t;
                    default -> throw new IllegalStateException(col.type().sql()); // refused by the constructor
                }
            } catch (CsvValues.BadValue e) {
                String type = col.type().sql();
                return "column '" + col.name() + "': '" + f.text() + "' is not " + CsvReader.article(type) + type + (e.getMessage().isEmpty() ? "" : " (" + e.getMessage() + ")");
            }
        }
        return null;
    }

    /** One record's values between checking and appending: the columns' builders cannot take a value back. */
    private static final class Row {
        final long[] longs;
        final String[] strings;
        final boolean[] nulls;

        Row(int n) {
            longs = new long[n];
            strings = new String[n];
            nulls = new boolean[n];
        }

        void appendTo(TableAssembler out, Schema schema) {
            for (int c = 0; c < longs.length; c++) {
                var b = out.column(c);
                if (nulls[c]) {
                    b.appendNull();
                    continue;
                }
                switch (schema.field(c).type()) {
                    case DataType.BooleanType x -> b.appendBoolean(longs[c] != 0);
                    case DataType.DoubleType x -> b.appendDouble(Double.longBitsToDouble(longs[c]));
                    case DataType.DateType x -> b.appendInt((int) longs[c]);
                    case DataType.VarcharType x -> b.appendString(strings[c]);
                    default -> b.appendLong(longs[c]);
                }
            }
            out.endRow();
        }
    }

    /** The reason a record spanning lines with invalid UTF-8 is bad, or null. */
    private static String utf8(CsvParser.Record r, CsvParser parser, TreeSet<Integer> badUtf8) {
        if (badUtf8.isEmpty()) return null;
        int last = r.line() + (int) parser.text(r.start(), r.end()).chars().filter(ch -> ch == '\n').count();
        Integer bad = badUtf8.ceiling(r.line());
        if (bad == null || bad > last) return null;
        return "not valid UTF-8" + (bad != r.line() ? " (at line " + bad + ")" : "") + "; write the file as UTF-8";
    }

    /** The text, with U+FFFD for each invalid UTF-8 sequence, whose lines go to {@code badLines}. */
    private static String decode(byte[] bytes, TreeSet<Integer> badLines) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // never more chars than bytes, U+FFFD included
        int line = 1, counted = 0;
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (!r.isError()) break; // underflow: all read (overflow cannot happen at this size)
            for (; counted < in.position(); counted++) if (bytes[counted] == '\n') line++;
            badLines.add(line);
            out.put('\uFFFD');
            in.position(in.position() + r.length());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** An upper bound of the records, to size the first batch. */
    private static long lines(byte[] bytes) {
        long n = 1;
        for (byte b : bytes) if (b == '\n') n++;
        return n;
    }
}
