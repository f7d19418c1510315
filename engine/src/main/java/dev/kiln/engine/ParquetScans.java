package dev.kiln.engine;

import dev.kiln.connectors.parquet.ParquetReader;
import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.connectors.parquet.RowGroupFilter;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Binds the scans of Parquet tables in an optimized plan to reads of just what they need: each
 * {@code TableScan} of a Parquet table becomes a scan of a table holding only its columns (same
 * output, so nothing above it changes), and a {@code Filter} right above it lends its simple
 * conjuncts ({@code column op literal}, {@code IS NOT NULL}) to a {@link RowGroupFilter} that
 * skips row groups by their statistics. The Filter stays in the plan: skipping only removes
 * groups that cannot match. Each rewritten scan has its own {@link TableRef} object, looked up
 * by identity, so two scans of one table with different needs get different reads.
 */
final class ParquetScans {
    /** What one rewritten scan reads. */
    private record Read(ParquetTable table, List<Integer> columns, RowGroupFilter filter) {}

    private final Function<String, Optional<ParquetTable>> parquet;
    private final Map<TableRef, Read> reads = new IdentityHashMap<>();

    ParquetScans(Function<String, Optional<ParquetTable>> parquet) {
        this.parquet = parquet;
    }

    Rel bind(Rel rel) {
        if (rel instanceof Filter f && f.input() instanceof TableScan s && parquet.apply(s.table().name()).isPresent()) {
            return new Filter(scan(s, filterFor(f.condition(), s)), f.condition());
        }
        if (rel instanceof TableScan s && parquet.apply(s.table().name()).isPresent()) return scan(s, RowGroupFilter.all());
        return ScanReads.rebindInputs(rel, this::bind);
    }

    /** Reads every rebound scan's table into {@code mem}; keyed by the scans' refs (identity). */
    Map<TableRef, Table> readAll(QueryMemory mem) {
        Map<TableRef, Table> out = new IdentityHashMap<>();
        for (Map.Entry<TableRef, Read> e : reads.entrySet()) {
            Read r = e.getValue();
            out.put(e.getKey(), ParquetReader.scan(r.table(), e.getKey().name(), r.columns(), r.filter(), mem).table());
        }
        return out;
    }

    /** Empty tables of the rebound scans' columns, for plans that are compiled but not run (EXPLAIN). */
    Map<TableRef, Table> placeholders() {
        return ScanReads.emptyTables(reads.keySet());
    }

    private TableScan scan(TableScan s, RowGroupFilter filter) {
        ParquetTable table = parquet.apply(s.table().name()).orElseThrow();
        long rows = filter.select(table).stream().mapToLong(ParquetTable.RowGroup::rows).sum();
        TableRef ref = new TableRef(s.table().name(), s.schema(), rows);
        reads.put(ref, new Read(table, s.columns(), filter));
        return new TableScan(ref, IntStream.range(0, s.columns().size()).boxed().toList());
    }

    /** The condition's simple conjuncts on the scan's columns as ranges of table columns (inclusive: conservative). */
    static RowGroupFilter filterFor(Expr condition, TableScan s) {
        RowGroupFilter f = RowGroupFilter.all();
        for (Expr c : Exprs.conjuncts(condition)) {
            if (!(c instanceof Call call)) continue;
            if (call.op() == Op.IS_NOT_NULL) {
                Optional<Integer> col = column(call.arg(0));
                if (col.isPresent()) f = f.and(new RowGroupFilter.Range(s.columns().get(col.get()), Optional.empty(), Optional.empty()));
                continue;
            }
            if (!call.op().isComparison() || call.op() == Op.NE) continue;
            Op op = call.op();
            Optional<Integer> col = column(call.arg(0));
            Expr other = call.arg(1);
            if (col.isEmpty()) {
                col = column(call.arg(1));
                other = call.arg(0);
                op = flip(op);
            }
            if (col.isEmpty() || !(other instanceof Literal lit)) continue;
            Optional<Object> v = Optional.of(lit.value());
            Optional<Object> none = Optional.empty();
            int tableColumn = s.columns().get(col.get());
            f = f.and(switch (op) {
                case EQ -> new RowGroupFilter.Range(tableColumn, v, v);
                case LT, LE -> new RowGroupFilter.Range(tableColumn, none, v);
                default -> new RowGroupFilter.Range(tableColumn, v, none); // GT, GE
            });
        }
        return f;
    }

    private static Op flip(Op op) {
        return switch (op) {
            case LT -> Op.GT;
            case LE -> Op.GE;
            case GT -> Op.LT;
            case GE -> Op.LE;
            default -> op;
        };
    }

    /**
     * The scan column an operand stands for: a column reference, or one under a cast that keeps
     * every value and its order (integer or decimal widening), so bounds still compare exactly.
     */
    private static Optional<Integer> column(Expr e) {
        if (e instanceof ColumnRef r) return Optional.of(r.index());
        if (e instanceof Cast c && c.input() instanceof ColumnRef r && widens(r.type(), c.type())) return Optional.of(r.index());
        return Optional.empty();
    }

    private static boolean widens(DataType from, DataType to) {
        int fromDigits = switch (from) {
            case DataType.IntType i -> switch (i.bits()) {
                case 8 -> 3;
                case 16 -> 5;
                case 32 -> 10;
                default -> 19;
            };
            case DataType.DecimalType d -> d.precision() - d.scale();
            default -> -1;
        };
        if (fromDigits < 0) return false;
        return switch (to) {
            case DataType.IntType i -> from instanceof DataType.IntType f && i.bits() >= f.bits();
            case DataType.DecimalType d -> d.precision() - d.scale() >= fromDigits && (!(from instanceof DataType.DecimalType fd) || d.scale() >= fd.scale());
            default -> false;
        };
    }
}
