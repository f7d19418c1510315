package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.MemoryBudgetExceededException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import dev.kiln.runtime.vector.VectorBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorTest {
    @Test
    void everyTypeRoundTripsWithNullsThroughManyReallocations() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Random r = new Random(42);
            List<DataType> types = List.of(DataType.BOOLEAN, DataType.TINYINT, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT,
                    DataType.decimal(15, 2), DataType.DOUBLE, DataType.DATE, DataType.TIMESTAMP, DataType.VARCHAR);
            for (DataType t : types) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < 5000; i++) values.add(r.nextInt(7) == 0 ? null : value(t, r));
                VectorBuilder b = new VectorBuilder(t, mem, 1); // starts tiny: forces many reallocations
                for (Object v : values) b.appendObject(v);
                ColumnVector v = b.build();
                assertEquals(values.size(), v.size());
                assertTrue(v.hasNulls());
                for (int i = 0; i < values.size(); i++) assertEquals(values.get(i), v.getObject(i), t.sql() + " row " + i);
            }
        }
    }

    static Object value(DataType t, Random r) {
        return switch (t) {
            case DataType.BooleanType b -> r.nextBoolean();
            case DataType.IntType i -> i.minValue() + (long) (r.nextDouble() * ((double) i.maxValue() - i.minValue()));
            case DataType.DecimalType d -> BigDecimal.valueOf(r.nextLong() % 1_000_000_000_000L, d.scale());
            case DataType.DoubleType d -> r.nextGaussian() * 1e6;
            case DataType.DateType d -> LocalDate.ofEpochDay(r.nextInt(40000) - 10000);
            case DataType.TimestampType ts -> LocalDateTime.of(2020, 1, 1, 0, 0).plusNanos(r.nextLong(1_000_000_000_000_000L) / 1000 * 1000);
            default -> "s" + r.nextInt(1000) + "é日本".substring(0, r.nextInt(4));
        };
    }

    @Test
    void noNullsMeansNoValidityBitmap() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            ColumnVector v = ColumnVector.of(DataType.BIGINT, mem, List.of(1L, 2L, 3L));
            assertFalse(v.hasNulls());
            assertEquals(0, v.validity().byteSize());
            assertEquals(List.of(1L, 2L, 3L), List.of(v.getObject(0), v.getObject(1), v.getObject(2)));
        }
    }

    @Test
    void tablesAreCutIntoMorsels() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", new Schema(List.of(new Field("x", DataType.INTEGER, false))), mem);
            int n = Table.MORSEL_ROWS * 2 + 17;
            for (int i = 0; i < n; i++) tb.appendRow((long) i);
            Table t = tb.build();
            assertEquals(List.of(Table.MORSEL_ROWS, Table.MORSEL_ROWS, 17), t.batches().stream().map(b -> b.rowCount()).toList());
            assertEquals(n, t.rowCount());
            assertEquals((long) Table.MORSEL_ROWS + 5, t.batches().get(1).column(0).getObject(5));
        }
    }

    @Test
    void budgetIsEnforcedAndAccounted() {
        try (QueryMemory mem = new QueryMemory(1_000_000)) {
            var a = mem.allocate(600_000);
            assertEquals(600_000, mem.used());
            var e = assertThrows(MemoryBudgetExceededException.class, () -> mem.allocate(500_000));
            assertEquals("query memory budget exceeded: needed 0.5 MB more with 0.6 MB in use, budget 1.0 MB; raise it with --memory (e.g. --memory 8g)", e.getMessage());
            mem.free(a);
            assertEquals(0, mem.used());
            mem.allocate(900_000);
            assertEquals(900_000, mem.peak());
        }
    }

    @Test
    void rowWidthMismatchIsAClearError() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", new Schema(List.of(new Field("x", DataType.INTEGER, false))), mem);
            var e = assertThrows(IllegalArgumentException.class, () -> tb.appendRow(1L, 2L));
            assertEquals("row has 2 values but table t has 1 columns", e.getMessage());
            assertEquals("[1, 2]", Arrays.toString(new long[] {1, 2}));
        }
    }
}
