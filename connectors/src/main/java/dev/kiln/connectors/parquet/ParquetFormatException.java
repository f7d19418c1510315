package dev.kiln.connectors.parquet;

/**
 * A malformed page or value inside a column chunk. Internal: the column chunk reader catches it
 * and rethrows a {@link dev.kiln.ir.KilnException} naming the file, row group and column.
 */
final class ParquetFormatException extends RuntimeException {
    ParquetFormatException(String message) {
        super(message);
    }
}
