package dev.kiln.connectors.json;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.vector.Batch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Helpers shared by the JSON tests. */
final class JsonTestSupport {
    private JsonTestSupport() {}

    static Field f(String name, DataType type) {
        return new Field(name, type, true);
    }

    static Field notNull(String name, DataType type) {
        return new Field(name, type, false);
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    static List<List<Object>> rows(List<Batch> batches) {
        List<List<Object>> out = new ArrayList<>();
        for (Batch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < b.columns().size(); c++) row.add(b.column(c).getObject(r));
                out.add(row);
            }
        }
        return out;
    }

    static SourceBatch read(Schema schema, String text, QueryMemory mem) {
        return new JsonLinesReader(schema, BadRecordPolicy.SKIP_AND_REPORT).read(text.getBytes(StandardCharsets.UTF_8), "t.json", mem);
    }

    /** The rows of good records; fails if there was a bad one. */
    static List<List<Object>> good(Schema schema, String text) {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch b = read(schema, text, mem);
            if (!b.badRecords().isEmpty()) throw new AssertionError("unexpected bad records: " + b.badRecords());
            return rows(b.batches());
        }
    }

    /** The reasons of the bad records, as "where: reason". */
    static List<String> bad(Schema schema, String text) {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            return read(schema, text, mem).badRecords().stream().map(r -> r.where() + ": " + r.reason()).toList();
        }
    }
}
