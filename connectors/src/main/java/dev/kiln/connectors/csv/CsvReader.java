package dev.kiln.connectors.csv;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a CSV file into a columnar table, with a declared schema or one inferred from all of the
 * data (the narrowest of BOOLEAN, BIGINT, DECIMAL(p,s), DOUBLE, DATE, TIMESTAMP, VARCHAR per
 * column). Every error names file:line and, for a bad value, the column and the expected type;
 * on error nothing is returned (no half-loaded table).
 */
public final class CsvReader {
    private CsvReader() {}

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d*)\\.(\\d+)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");

    public static Table read(Path file, CsvOptions options, QueryMemory mem) {
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new KilnException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new KilnException("cannot read CSV file " + file + ": " + e.getMessage());
        }
        String fname = file.getFileName().toString();
        CsvParser parser = new CsvParser(fname, text, options.delimiter(), options.quote());
        List<CsvParser.Record> records = new ArrayList<>();
        for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
            if (r.fields().size() == 1 && r.fields().getFirst().text().isEmpty() && !r.fields().getFirst().quoted()) continue; // blank line
            records.add(r);
        }
        List<String> names;
        int first = 0;
        if (options.header()) {
            if (records.isEmpty()) throw new KilnException(fname + ": the file is empty but a header row was expected");
            names = headerNames(fname, records.getFirst());
            first = 1;
        } else {
            int n = records.isEmpty() ? options.schema().map(Schema::size).orElse(0) : records.getFirst().fields().size();
            names = new ArrayList<>();
            for (int i = 0; i < n; i++) names.add("column" + (i + 1));
        }
        int width = names.size();
        for (int i = first; i < records.size(); i++) {
            CsvParser.Record r = records.get(i);
            if (r.fields().size() != width) {
                throw new KilnException(fname + ":" + r.line() + ": expected " + width + " fields but found " + r.fields().size()
                        + (r.fields().size() > width ? " (check for an unquoted '" + options.delimiter() + "')" : ""));
            }
        }
        List<CsvParser.Record> data = records.subList(first, records.size());
        Schema schema = options.schema().orElseGet(() -> infer(names, data, options));
        if (schema.size() != width) {
            throw new KilnException(fname + ": the declared schema has " + schema.size() + " columns but the file has " + width);
        }
        TableBuilder tb = new TableBuilder(name, schema, mem);
        for (CsvParser.Record r : data) {
            for (int c = 0; c < width; c++) {
                CsvParser.Field f = r.fields().get(c);
                Field col = schema.field(c);
                if (isNull(f, options)) {
                    if (!col.nullable()) throw new KilnException(fname + ":" + r.line() + ", column '" + col.name() + "': NULL in a NOT NULL column");
                    tb.column(c).appendNull();
                    continue;
                }
                try {
                    tb.column(c).appendObject(convert(f.text(), col.type()));
                } catch (RuntimeException e) {
                    throw new KilnException(fname + ":" + r.line() + ", column '" + col.name() + "': '" + f.text() + "' is not a " + col.type().sql());
                }
            }
            tb.endRow();
        }
        return tb.build();
    }

    private static List<String> headerNames(String fname, CsvParser.Record header) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String n = header.fields().get(i).text().strip();
            if (n.isEmpty()) n = "column" + (i + 1);
            Integer before = seen.put(n.toLowerCase(Locale.ROOT), i + 1);
            if (before != null) {
                throw new KilnException(fname + ":" + header.line() + ": duplicate column name '" + n + "' (columns " + before + " and " + (i + 1) + ")");
            }
            names.add(n);
        }
        return names;
    }

    private static boolean isNull(CsvParser.Field f, CsvOptions o) {
        return !f.quoted() && f.text().equals(o.nullString());
    }

    static Object convert(String text, DataType type) {
        String t = text.strip();
        return switch (type) {
            case DataType.BooleanType b -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "1" -> true;
                case "false", "f", "no", "0" -> false;
                default -> throw new IllegalArgumentException(text);
            };
            case DataType.IntType i -> {
                long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                if (v < i.minValue() || v > i.maxValue()) throw new IllegalArgumentException(text);
                yield v;
            }
            case DataType.DecimalType d -> {
                BigDecimal v = new BigDecimal(t);
                if (v.scale() > d.scale() && v.setScale(d.scale(), java.math.RoundingMode.DOWN).compareTo(v) != 0) throw new IllegalArgumentException(text);
                BigDecimal s = v.setScale(d.scale(), java.math.RoundingMode.UNNECESSARY);
                if (s.precision() - s.scale() > d.precision() - d.scale()) throw new IllegalArgumentException(text);
                yield s;
            }
            case DataType.DoubleType d -> Double.parseDouble(t);
            case DataType.DateType d -> LocalDate.parse(t);
            case DataType.TimestampType ts -> LocalDateTime.parse(t.replace(' ', 'T'));
            case DataType.VarcharType v -> text;
            default -> throw new IllegalArgumentException("unsupported type");
        };
    }

    /** Narrowest type per column over all values. */
    static Schema infer(List<String> names, List<CsvParser.Record> data, CsvOptions o) {
        List<Field> fields = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            boolean nullable = false;
            boolean bool = true, integer = true, decimal = true, dbl = true, date = true, ts = true;
            int intDigits = 1, scale = 0;
            int values = 0;
            for (CsvParser.Record r : data) {
                CsvParser.Field f = r.fields().get(c);
                if (isNull(f, o)) {
                    nullable = true;
                    continue;
                }
                values++;
                String t = f.text().strip();
                String lower = t.toLowerCase(Locale.ROOT);
                bool &= lower.equals("true") || lower.equals("false");
                boolean isInt = INTEGER.matcher(t).matches();
                var dm = DECIMAL.matcher(t);
                boolean isDec = dm.matches();
                integer &= isInt;
                if (isInt) {
                    intDigits = Math.max(intDigits, t.replaceAll("[-+]", "").replaceFirst("^0+(?=\\d)", "").length());
                } else if (isDec) {
                    intDigits = Math.max(intDigits, Math.max(1, dm.group(1).replaceFirst("^0+(?=\\d)", "").length()));
                    scale = Math.max(scale, dm.group(2).length());
                }
                decimal &= isInt || isDec;
                if (dbl) {
                    try {
                        Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        dbl = false;
                    }
                }
                date &= DATE.matcher(t).matches() && parses(() -> LocalDate.parse(t));
                ts &= TIMESTAMP.matcher(t).matches() && parses(() -> LocalDateTime.parse(t.replace(' ', 'T')));
            }
            DataType type;
            if (values == 0) type = DataType.VARCHAR;
            else if (bool) type = DataType.BOOLEAN;
            else if (integer) type = DataType.BIGINT;
            else if (decimal && intDigits + scale <= DataType.DecimalType.MAX_PRECISION) type = DataType.decimal(intDigits + scale, scale);
            else if (dbl) type = DataType.DOUBLE;
            else if (date) type = DataType.DATE;
            else if (ts) type = DataType.TIMESTAMP;
            else type = DataType.VARCHAR;
            fields.add(new Field(names.get(c), type, nullable));
        }
        return new Schema(fields);
    }

    private static boolean parses(Runnable r) {
        try {
            r.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
