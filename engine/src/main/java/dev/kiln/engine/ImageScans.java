package dev.kiln.engine;

import dev.kiln.connectors.images.ImageTable;
import dev.kiln.connectors.parquet.RowGroupFilter;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds the scans of image tables (a directory registered with {@code registerImages}) to the
 * files each query decodes. A {@code Filter} right above the scan lends its comparisons of
 * {@code image.height} or {@code image.width} with a number: a file whose header (read without decoding the
 * pixels) puts it outside them is not decoded at all - a filter on image metadata runs below the
 * decoding, as one on other columns runs below inference. The Filter stays in the plan: a file
 * kept (or whose header cannot be read) decodes to the row it always gives, and the Filter
 * decides; a file skipped is one whose row the Filter would drop (its decoded size is its
 * header's, and an undecodable file's NULL size fails every comparison).
 */
final class ImageScans {
    /** A directory registered as a table: its files as listed then, in row order. */
    record Source(Path dir, List<Path> files) {
        Source {
            files = List.copyOf(files);
        }
    }

    /** What one rewritten scan decodes: its table's files, and the bounds of height and width. */
    private record Read(String name, Source source, List<RowGroupFilter.Range> bounds) {}

    private static final int HEIGHT = ImageTable.SCHEMA.indexOf("image.height").orElseThrow(), WIDTH = ImageTable.SCHEMA.indexOf("image.width").orElseThrow();

    private final Function<String, Optional<Source>> images;
    private final int threads;
    private final Map<TableRef, Read> reads = new IdentityHashMap<>();

    ImageScans(Function<String, Optional<Source>> images, int threads) {
        this.images = images;
        this.threads = threads;
    }

    Rel bind(Rel rel) {
        if (rel instanceof Filter f && f.input() instanceof TableScan s && images.apply(s.table().name()).isPresent()) {
            return new Filter(scan(s, bounds(f.condition(), s)), f.condition());
        }
        if (rel instanceof TableScan s && images.apply(s.table().name()).isPresent()) return scan(s, List.of());
        return ScanReads.rebindInputs(rel, this::bind);
    }

    /** Decodes each rebound scan's files into {@code mem}; keyed by the scans' refs (identity). */
    Map<TableRef, Table> readAll(QueryMemory mem) {
        Map<TableRef, Table> out = new IdentityHashMap<>();
        for (Map.Entry<TableRef, Read> e : reads.entrySet()) {
            Read r = e.getValue();
            List<Path> files = r.bounds().isEmpty() ? r.source().files() : r.source().files().stream().filter(f -> mayMatch(f, r.bounds())).toList();
            out.put(e.getKey(), ImageTable.read(r.name(), files, mem, threads));
        }
        return out;
    }

    /** Empty tables for the rebound scans, for plans that are compiled but not run (EXPLAIN). */
    Map<TableRef, Table> placeholders() {
        return ScanReads.emptyTables(reads.keySet());
    }

    private TableScan scan(TableScan s, List<RowGroupFilter.Range> bounds) {
        Source source = images.apply(s.table().name()).orElseThrow();
        TableRef ref = new TableRef(s.table().name(), s.table().schema(), source.files().size());
        reads.put(ref, new Read(s.table().name(), source, bounds));
        return new TableScan(ref, s.columns());
    }

    /** Whether the file's header size lies within every bound (or cannot be read). */
    private static boolean mayMatch(Path file, List<RowGroupFilter.Range> bounds) {
        Optional<int[]> size = ImageTable.headerSize(file);
        if (size.isEmpty()) return true;
        for (RowGroupFilter.Range b : bounds) {
            double v = b.column() == HEIGHT ? size.get()[0] : size.get()[1];
            if (b.low().isPresent() && v < ((Number) b.low().get()).doubleValue()) return false;
            if (b.high().isPresent() && v > ((Number) b.high().get()).doubleValue()) return false;
        }
        return true;
    }

    /** The condition's bounds on height and width: its simple conjuncts as Parquet's row-group pruning reads them, kept for those two columns. */
    private static List<RowGroupFilter.Range> bounds(Expr condition, TableScan s) {
        return ParquetScans.filterFor(condition, s).ranges().stream().filter(r -> r.column() == HEIGHT || r.column() == WIDTH).toList();
    }
}
