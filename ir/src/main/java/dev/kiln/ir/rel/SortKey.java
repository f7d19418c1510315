package dev.kiln.ir.rel;

/** Sort on input column {@code column}; NULLs sort first or last as stated. */
public record SortKey(int column, boolean ascending, boolean nullsFirst) {
    /** SQL default: ascending with NULLs last, descending with NULLs first (as PostgreSQL and DuckDB). */
    public static SortKey asc(int column) {
        return new SortKey(column, true, false);
    }

    public static SortKey desc(int column) {
        return new SortKey(column, false, true);
    }
}
