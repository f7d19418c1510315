package dev.kiln.connectors.parquet;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Parquet file, or a directory of {@code .parquet} files with the same columns, opened as one
 * table: its Kiln schema and the metadata of every row group (rows and per-column statistics),
 * read from the footers without touching the data. Read it with {@link ParquetReader}.
 */
public final class ParquetTable {
    /** One row group: which file, its index there, its rows and each column's statistics. */
    public record RowGroup(int file, int index, long rows, List<ColumnStatistics> statistics) {
        public RowGroup {
            statistics = List.copyOf(statistics);
        }
    }

    private final Path path;
    private final List<ParquetFile> files;
    private final Schema schema;
    private final List<RowGroup> rowGroups;

    private ParquetTable(Path path, List<ParquetFile> files, Schema schema, List<RowGroup> rowGroups) {
        this.path = path;
        this.files = List.copyOf(files);
        this.schema = schema;
        this.rowGroups = List.copyOf(rowGroups);
    }

    /** Opens a {@code .parquet} file or a directory of them (read in file-name order); reads only footers. */
    public static ParquetTable open(Path fileOrDir) {
        List<Path> paths = Files.isDirectory(fileOrDir) ? listDirectory(fileOrDir) : List.of(fileOrDir);
        if (!Files.isDirectory(fileOrDir) && !Files.exists(fileOrDir)) throw new KilnException(fileOrDir + ": no such Parquet file or directory");
        List<ParquetFile> files = new ArrayList<>();
        for (Path p : paths) files.add(ParquetFile.open(p));
        Schema schema = mergedSchema(files);
        List<RowGroup> groups = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            ParquetFile pf = files.get(f);
            for (int g = 0; g < pf.meta().rowGroups().size(); g++) {
                var rg = pf.meta().rowGroups().get(g);
                List<ColumnStatistics> stats = new ArrayList<>();
                for (int c = 0; c < pf.columns().size(); c++) stats.add(ColumnStatistics.of(rg.columns().get(c).meta().statistics(), pf.columns().get(c)));
                groups.add(new RowGroup(f, g, rg.numRows(), stats));
            }
        }
        return new ParquetTable(fileOrDir, files, schema, groups);
    }

    private static List<Path> listDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p)).sorted().toList();
            if (files.isEmpty()) throw new KilnException(dir + ": the directory has no .parquet files");
            return files;
        } catch (IOException e) {
            throw new KilnException("cannot list directory " + dir + ": " + e.getMessage());
        }
    }

    /** Every file must have the first one's column names and types; a column is nullable if it is in any file. */
    private static Schema mergedSchema(List<ParquetFile> files) {
        ParquetFile first = files.getFirst();
        List<Field> fields = new ArrayList<>(first.columns().stream().map(ParquetColumn::field).toList());
        for (ParquetFile f : files.subList(1, files.size())) {
            List<Field> other = f.columns().stream().map(ParquetColumn::field).toList();
            boolean same = other.size() == fields.size();
            for (int i = 0; same && i < other.size(); i++) {
                same = other.get(i).name().equals(fields.get(i).name()) && other.get(i).type().equals(fields.get(i).type());
            }
            if (!same) {
                throw new KilnException(f.path() + ": its columns " + describe(other) + " differ from those of " + first.path() + " " + describe(fields)
                        + "; all files of a directory table need the same column names and types");
            }
            for (int i = 0; i < other.size(); i++) {
                if (other.get(i).nullable() && !fields.get(i).nullable()) fields.set(i, other.get(i));
            }
        }
        return new Schema(fields);
    }

    private static String describe(List<Field> fields) {
        return fields.stream().map(f -> f.name() + " " + f.type().sql()).toList().toString();
    }

    public Path path() {
        return path;
    }

    public List<Path> files() {
        return files.stream().map(ParquetFile::path).toList();
    }

    public Schema schema() {
        return schema;
    }

    public List<RowGroup> rowGroups() {
        return rowGroups;
    }

    public long rowCount() {
        long n = 0;
        for (RowGroup g : rowGroups) n += g.rows();
        return n;
    }

    /** The table name a file or directory suggests: its file name without {@code .parquet}. */
    public String defaultName() {
        return path.getFileName().toString().replaceFirst("\\.parquet$", "");
    }

    ParquetFile file(int i) {
        return files.get(i);
    }
}
