package dev.kiln.runtime.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.Sorter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** TENSOR column cells: every element type round-trips exactly, rows differ in shape, NULLs, and a sort carries them. */
class TensorCellsTest {
    static Tensor random(ElementType type, long[] shape, Random rnd) {
        Tensor.Builder b = Tensor.builder(type, shape);
        for (int i = 0; i < b.size(); i++) {
            switch (type) {
                case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> b.setDouble(i, rnd.nextGaussian() * 100);
                case BOOL -> b.setBool(i, rnd.nextBoolean());
                case STRING -> b.setString(i, "s" + rnd.nextInt(1000) + (rnd.nextBoolean() ? "é✓" : ""));
                default -> b.setLong(i, type.minValue() + (long) (rnd.nextDouble() * ((double) type.maxValue() - type.minValue())));
            }
        }
        return b.build();
    }

    @Property(tries = 60)
    void everyElementTypeRoundTrips(@ForAll long seed) {
        Random rnd = new Random(seed);
        for (ElementType type : ElementType.values()) {
            long[] shape = new long[rnd.nextInt(4)];
            for (int i = 0; i < shape.length; i++) shape[i] = rnd.nextInt(4);
            Tensor t = random(type, shape, rnd);
            byte[] cell = TensorCells.encode(t);
            assertEquals(t, TensorCells.decode(type, java.lang.foreign.MemorySegment.ofArray(cell)), type + " " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void aColumnOfImagesOfDifferentSizesWithNullsSurvivesASort() {
        DataType image = new DataType.TensorType(new TensorType(ElementType.UINT8, dev.kiln.ir.tensor.TensorShape.of(dev.kiln.ir.tensor.Dim.symbol("H"), dev.kiln.ir.tensor.Dim.symbol("W"), dev.kiln.ir.tensor.Dim.of(3))));
        Schema s = Schema.of(new Field("k", DataType.BIGINT, false), new Field("img", image, true));
        Random rnd = new Random(7);
        List<Tensor> values = new ArrayList<>();
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", s, mem);
            for (int i = 0; i < 500; i++) {
                Tensor t = i % 7 == 0 ? null : random(ElementType.UINT8, new long[] {1 + rnd.nextInt(5), 1 + rnd.nextInt(5), 3}, rnd);
                values.add(t);
                tb.appendRow((long) (499 - i), t);
            }
            Table table = tb.build();
            List<Batch> sorted = Sorter.sort(table.batches(), s, List.of(new SortKey(0, true, true)), 0, -1, mem);
            int seen = 0;
            for (Batch b : sorted) {
                for (int r = 0; r < b.rowCount(); r++) {
                    long k = b.column(0).getLong(r);
                    Tensor want = values.get((int) (499 - k));
                    Object got = b.column(1).getObject(r);
                    if (want == null) assertNull(got);
                    else {
                        assertEquals(want, got);
                        assertArrayEquals(want.shape(), TensorCells.shape(b.column(1).cell(r)));
                    }
                    seen++;
                }
            }
            assertEquals(500, seen);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new VectorBuilder(image, mem, 1).appendObject(Tensor.floats(new long[] {1}, 1f)));
            assertEquals("a " + image.sql() + " column takes UINT8 tensors, not " + Tensor.floats(new long[] {1}, 1f), e.getMessage());
        }
    }
}
