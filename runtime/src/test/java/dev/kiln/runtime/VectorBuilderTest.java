package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.BatchCollector;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorBuilderTest {
    @Test
    void typedAppendsAndRawLayout() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            VectorBuilder s = new VectorBuilder(DataType.VARCHAR, mem, 1);
            byte[] text = "xx日本yy".getBytes(StandardCharsets.UTF_8);
            s.appendString(MemorySegment.ofArray(text), 2, 6);
            s.appendNull();
            s.appendString("");
            s.appendString("é");
            ColumnVector v = s.build();
            assertEquals(4, v.size());
            assertEquals(Arrays.asList("日本", null, "", "é"), List.of(0, 1, 2, 3).stream().map(v::getObject).toList());
            // offsets: size + 1 ints; a NULL takes no bytes
            int[] offsets = v.values().toArray(ValueLayout.JAVA_INT);
            assertEquals("[0, 6, 6, 6, 8]", Arrays.toString(offsets));
            assertEquals(8, v.heap().byteSize());
            assertEquals(0b1101L, v.validity().get(ValueLayout.JAVA_LONG, 0));
            assertEquals(true, v.isNull(1));
            assertThrows(IllegalStateException.class, () -> s.appendString("late"));

            VectorBuilder t = new VectorBuilder(DataType.TINYINT, mem, 1);
            t.appendLong(-128);
            t.appendInt(127);
            ColumnVector tv = t.build();
            assertEquals(1, tv.values().byteSize() / 2);
            assertEquals(-128, tv.getByte(0));
            assertEquals(127L, tv.getObject(1));
            assertEquals(MemorySegment.NULL, tv.heap());

            VectorBuilder d = new VectorBuilder(DataType.decimal(5, 2), mem, 1);
            d.appendObject(new BigDecimal("1.005"));
            d.appendObject(7L);
            ColumnVector dv = d.build();
            assertEquals(101, dv.getLong(0)); // HALF_UP to the column's scale
            assertEquals(new BigDecimal("7.00"), dv.getObject(1));
        }
    }

    @Test
    void valuesThatDoNotFitAreRejected() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            assertEquals("value 128 does not fit TINYINT",
                    assertThrows(IllegalArgumentException.class, () -> new VectorBuilder(DataType.TINYINT, mem, 4).appendObject(128L)).getMessage());
            assertEquals("value 1000.00 does not fit DECIMAL(5,2)",
                    assertThrows(IllegalArgumentException.class, () -> new VectorBuilder(DataType.decimal(5, 2), mem, 4).appendObject(new BigDecimal("1000.00"))).getMessage());
            assertThrows(IllegalStateException.class, () -> new VectorBuilder(DataType.BIGINT, mem, 4).appendDouble(1.0));
        }
    }

    @Test
    void collectorCutsMorselsAndBuildsWithoutNullsWhenNoneArrived() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Schema schema = new Schema(List.of(new Field("k", DataType.BIGINT, false), new Field("s", DataType.VARCHAR, true)));
            BatchCollector c = new BatchCollector(schema, mem);
            int n = Table.MORSEL_ROWS + 10;
            for (int i = 0; i < n; i++) {
                c.builder(0).appendLong(i * 3L);
                if (i >= Table.MORSEL_ROWS && i % 2 == 0) c.builder(1).appendNull();
                else c.builder(1).appendString("v" + i);
                c.rowAppended();
            }
            List<Batch> out = c.finish();
            assertEquals(List.of(Table.MORSEL_ROWS, 10), out.stream().map(Batch::rowCount).toList());
            assertEquals(false, out.get(0).column(1).hasNulls());
            assertEquals(true, out.get(1).column(1).hasNulls());
            assertEquals(3L * (Table.MORSEL_ROWS + 3), out.get(1).column(0).getLong(3));
            assertEquals("v" + (Table.MORSEL_ROWS + 3), out.get(1).column(1).getString(3));
            assertEquals(null, out.get(1).column(1).getObject(4));
            assertEquals(List.of(), new BatchCollector(schema, mem).finish());
        }
    }
}
