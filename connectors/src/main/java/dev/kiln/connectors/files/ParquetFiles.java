package dev.kiln.connectors.files;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.connectors.parquet.ParquetReader;
import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.connectors.parquet.RowGroupFilter;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Parquet side of a {@link DirectorySource}: its schema, whether a file is whole, and reading one file into the schema. */
final class ParquetFiles {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private Schema schema;

    ParquetFiles(Optional<Schema> given) {
        this.schema = given.orElse(null);
    }

    /**
     * The given schema, or that of the first file that has one: the first taken file (an error if
     * it cannot be read: taken files are whole), else the oldest visible file whose footer reads
     * (a file still being written has none yet). Every column is made nullable: the first file's
     * required columns may be optional in a later one.
     */
    Schema schema(List<Path> taken, List<Path> visible, String source) {
        if (schema != null) return schema;
        for (Path p : taken) {
            if (Files.exists(p)) return schema = nullable(ParquetTable.open(p).schema());
        }
        KilnException first = null;
        for (Path p : visible) {
            try {
                return schema = nullable(ParquetTable.open(p).schema());
            } catch (KilnException e) {
                if (first == null) first = e; // not whole yet, or not one Kiln reads: the next one may do
            }
        }
        throw new KilnException(source + ": no Parquet file to read the schema from yet" + (first == null ? "" : " (" + first.getMessage() + ")")
                + "; give the schema with FileFormat.parquet(schema), or start the source once a file is there");
    }

    private static Schema nullable(Schema s) {
        return new Schema(s.fields().stream().map(f -> new Field(f.name(), f.type(), true)).toList());
    }

    /** Does the file end with the magic PAR1 that follows the footer (is it written to the end)? */
    static boolean hasFooterMagic(Path p, long size) {
        if (size < 12) return false;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate(4);
            while (tail.hasRemaining() && ch.read(tail, size - 4 + tail.position()) > 0) { }
            return !tail.hasRemaining() && tail.flip().equals(ByteBuffer.wrap(MAGIC));
        } catch (IOException e) {
            return false; // gone or unreadable now: looked at again by the next scan
        }
    }

    /** The file's columns of the schema's names (exactly, else ignoring case), which must have the schema's types. */
    SourceBatch read(Path p, Schema schema, QueryMemory mem) {
        ParquetTable t = ParquetTable.open(p);
        List<Integer> columns = new ArrayList<>();
        for (Field f : schema.fields()) {
            int i = t.schema().names().indexOf(f.name());
            if (i < 0) i = t.schema().indexOf(f.name()).orElse(-1);
            if (i < 0) {
                throw new KilnException(p + ": no column '" + f.name() + "' (the file has " + describe(t.schema()) + "); every file of the source needs its columns " + describe(schema));
            }
            Field in = t.schema().field(i);
            if (!in.type().equals(f.type())) {
                throw new KilnException(p + ": column '" + in.name() + "' is " + in.type().sql() + " but the source's schema has " + f.type().sql()
                        + "; every file of the source needs the same column types (write the file with " + f.type().sql() + ")");
            }
            columns.add(i);
        }
        Table table = ParquetReader.read(t, columns, RowGroupFilter.all(), mem);
        List<Batch> out = new ArrayList<>();
        for (Batch b : table.batches()) {
            for (int c = 0; c < schema.size(); c++) {
                if (!schema.field(c).nullable() && hasNull(b.column(c))) {
                    TableAssembler.free(mem, table.batches());
                    throw new KilnException(p + ": column '" + schema.field(c).name() + "' holds NULLs, but the source's schema declares it NOT NULL; declare it nullable");
                }
            }
            out.add(new Batch(schema, b.columns(), b.rowCount())); // the source's names and nullability
        }
        return new SourceBatch(out, List.of());
    }

    private static boolean hasNull(ColumnVector v) {
        if (!v.hasNulls()) return false;
        for (int r = 0; r < v.size(); r++) if (v.isNull(r)) return true;
        return false;
    }

    private static String describe(Schema s) {
        return s.fields().stream().map(f -> f.name() + " " + f.type().sql()).toList().toString();
    }
}
