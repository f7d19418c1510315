package dev.kiln.connectors.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random rows of a random schema, written by {@link JsonLinesWriter} (from boxed rows and from
 * columnar batches, which must give the same bytes), read back by {@link JsonLinesReader}: the
 * same values, NULLs, type limits, any Unicode text and field names that need escaping included.
 */
class JsonRoundTripTest {
    record Case(Schema schema, List<List<Object>> rows) {
        @Override
        public String toString() {
            return schema + " " + rows;
        }
    }

    static final long MIN_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<DataType> type = Arbitraries.oneOf(List.of(
                Arbitraries.of(DataType.BOOLEAN, DataType.TINYINT, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT,
                        DataType.DOUBLE, DataType.DATE, DataType.TIMESTAMP, DataType.VARCHAR),
                Arbitraries.integers().between(1, 18).flatMap(p -> Arbitraries.integers().between(0, p).map(s -> (DataType) DataType.decimal(p, s)))));
        Arbitrary<String> name = Arbitraries.oneOf(List.of(
                Arbitraries.strings().withChars("abcXYZ_").ofMinLength(1).ofMaxLength(10),
                Arbitraries.of("a", "A", "\"", "\\", "\t", "/", "é", "€", "😀", " ").list().ofMaxSize(4).map(parts -> String.join("", parts))));
        Arbitrary<Field> field = Combinators.combine(name, type, Arbitraries.of(true, false)).as(Field::new);
        return field.list().ofMinSize(1).ofMaxSize(8)
                .filter(fields -> fields.stream().map(Field::name).distinct().count() == fields.size())
                .flatMap(fields -> {
                    List<Arbitrary<Object>> columns = new ArrayList<>();
                    for (Field f : fields) columns.add(value(f));
                    Arbitrary<List<Object>> row = Combinators.combine(columns).as(ArrayList::new);
                    return row.list().ofMinSize(0).ofMaxSize(30).map(rows -> new Case(new Schema(fields), rows));
                });
    }

    static Arbitrary<Object> value(Field f) {
        Arbitrary<Object> v = switch (f.type()) {
            case DataType.BooleanType t -> Arbitraries.of(true, false);
            case DataType.IntType t -> Arbitraries.longs().between(t.minValue(), t.maxValue()).edgeCases(c -> c.add(t.minValue(), t.maxValue(), 0L)).map(x -> x);
            case DataType.DecimalType t -> {
                long max = (long) Math.pow(10, t.precision()) - 1;
                yield Arbitraries.longs().between(-max, max).map(x -> BigDecimal.valueOf(x, t.scale()));
            }
            case DataType.DoubleType t -> Arbitraries.oneOf(List.of(
                    Arbitraries.doubles().map(x -> (Object) x),
                    Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite).map(x -> x),
                    Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, 1e22, 1e23)));
            case DataType.DateType t -> Arbitraries.longs().between(MIN_DAY, MAX_DAY).map(LocalDate::ofEpochDay);
            case DataType.TimestampType t -> Arbitraries.longs().between(MIN_DAY * 86_400_000_000L, (MAX_DAY + 1) * 86_400_000_000L - 1)
                    .map(us -> LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000L), (int) Math.floorMod(us, 1_000_000L) * 1000, ZoneOffset.UTC));
            case DataType.VarcharType t -> text().map(x -> x);
            default -> throw new AssertionError(f.type());
        };
        return f.nullable() ? Arbitraries.frequencyOf(Tuple.of(5, v), Tuple.of(1, Arbitraries.just(null))) : v;
    }

    /** Any Unicode text (never a lone surrogate), often with what JSON must escape. */
    static Arbitrary<String> text() {
        Arbitrary<Integer> special = Arbitraries.of((int) '"', (int) '\\', (int) '/', 0, 1, 8, 9, 10, 12, 13, 31, 127, 0xE9, 0x20AC, 0x1F600, 0x10FFFF, 0xFEFF);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7E);
        return Arbitraries.frequencyOf(Tuple.of(4, ascii), Tuple.of(2, special), Tuple.of(1, any)).list().ofMaxSize(40)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    for (int cp : cps) sb.appendCodePoint(cp);
                    return sb.toString();
                });
    }

    @Property(tries = 300)
    void writtenRowsReadBackExactly(@ForAll("cases") Case c, @ForAll boolean crlf) {
        JsonLinesWriter writer = new JsonLinesWriter(c.schema());
        List<Object[]> boxed = c.rows().stream().map(List::toArray).toList();
        byte[] json = writer.writeRows(boxed);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder t = new TableBuilder("t", c.schema(), mem);
            for (Object[] r : boxed) t.appendRow(r);
            Table table = t.build();
            assertArrayEquals(json, writer.write(table.batches()), "batches and boxed rows write the same bytes");

            byte[] input = crlf ? new String(json, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8) : json;
            SourceBatch read = new JsonLinesReader(c.schema(), BadRecordPolicy.FAIL).read(input, "roundtrip.json", mem);
            assertEquals(List.of(), read.badRecords());
            assertEquals(c.rows(), JsonTestSupport.rows(read.batches()));
        }
    }

    @Property(tries = 200)
    void everyDoubleReadsBackBitForBit(@ForAll double d) {
        if (!Double.isFinite(d)) return;
        Schema s = Schema.of(new Field("d", DataType.DOUBLE, false));
        byte[] json = new JsonLinesWriter(s).writeRows(List.<Object[]>of(new Object[] {d}));
        Object back = JsonTestSupport.good(s, new String(json, StandardCharsets.UTF_8)).getFirst().getFirst();
        assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back));
    }
}
