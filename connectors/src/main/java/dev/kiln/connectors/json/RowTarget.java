package dev.kiln.connectors.json;

/**
 * Where the {@link RecordParser} puts a record's values, by (column, row): the columns of the
 * batch being read ({@link Columns}, for JSON Lines), or one staged row handed to a
 * {@link JsonRecordParser.Sink} (a record decoded alone, e.g. a Kafka value). An abstract class
 * with two final subclasses rather than a public interface: the parser's calls stay monomorphic
 * or bimorphic, so the JIT inlines them into the parse loop as it did the direct column writes.
 *
 * <p>Each row gets exactly one call per column (a value or a NULL) when its record is good; a bad
 * record may have left some columns set, which the next record overwrites (the row count only
 * moves on for good records).
 */
abstract sealed class RowTarget permits RowTarget.Columns, JsonRecordParser.SinkTarget {
    abstract void setNull(int col, int row);

    abstract void setBoolean(int col, int row, boolean v);

    abstract void setByte(int col, int row, byte v);

    abstract void setShort(int col, int row, short v);

    /** INTEGER, and DATE as days since 1970-01-01. */
    abstract void setInt(int col, int row, int v);

    /** BIGINT, DECIMAL as its unscaled value, TIMESTAMP as microseconds since 1970-01-01T00:00. */
    abstract void setLong(int col, int row, long v);

    abstract void setDouble(int col, int row, double v);

    /** UTF-8 bytes, valid only during the call. */
    abstract void setString(int col, int row, byte[] b, int off, int len);

    /** The off-heap columns of the batch being read, written by row index. */
    static final class Columns extends RowTarget {
        RowColumn[] columns;

        @Override
        void setNull(int col, int row) {
            columns[col].setNull(row);
        }

        @Override
        void setBoolean(int col, int row, boolean v) {
            columns[col].setBoolean(row, v);
        }

        @Override
        void setByte(int col, int row, byte v) {
            columns[col].setByte(row, v);
        }

        @Override
        void setShort(int col, int row, short v) {
            columns[col].setShort(row, v);
        }

        @Override
        void setInt(int col, int row, int v) {
            columns[col].setInt(row, v);
        }

        @Override
        void setLong(int col, int row, long v) {
            columns[col].setLong(row, v);
        }

        @Override
        void setDouble(int col, int row, double v) {
            columns[col].setDouble(row, v);
        }

        @Override
        void setString(int col, int row, byte[] b, int off, int len) {
            columns[col].setString(row, b, off, len);
        }
    }
}
