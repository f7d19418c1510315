package dev.kiln.connectors.parquet;

import dev.kiln.ir.type.Field;

/**
 * One leaf column of a Parquet file and how its stored values become Kiln values.
 *
 * @param index      position among the file's columns (the column chunk index in each row group)
 * @param physical   Parquet physical type ({@link FooterModel#INT32} …)
 * @param typeLength bytes per value of a FIXED_LEN_BYTE_ARRAY, else 0
 * @param field      the Kiln column: name, type, nullable (OPTIONAL in Parquet)
 * @param conversion how one stored value becomes the Kiln value
 * @param parquetType the Parquet type as written in messages, e.g. {@code INT64 (TIMESTAMP(MILLIS))}
 */
record ParquetColumn(int index, int physical, int typeLength, Field field, Conversion conversion, String parquetType) {

    /** Stored value → Kiln value; decides how pages are decoded and statistics compared. */
    enum Conversion {
        /** BOOLEAN bit → BOOLEAN */
        BOOL,
        /** INT32 → any Kiln integer width, DATE (days) or DECIMAL (unscaled) */
        INT32,
        /** unsigned INT32 → BIGINT */
        UINT32,
        /** INT64 → BIGINT, DECIMAL (unscaled) or TIMESTAMP (micros) */
        INT64,
        /** INT64 milliseconds → TIMESTAMP micros */
        INT64_MILLIS,
        /** INT96 (nanos of day, Julian day) → TIMESTAMP micros */
        INT96,
        /** FLOAT → DOUBLE (exact widening) */
        FLOAT,
        DOUBLE,
        /** BYTE_ARRAY UTF-8 → VARCHAR */
        STRING,
        /** big-endian two's complement bytes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY) → DECIMAL unscaled */
        BINARY_DECIMAL;

        /** Values decoded as 64-bit integers (everything but doubles and strings). */
        boolean integral() {
            return this != FLOAT && this != DOUBLE && this != STRING;
        }

        boolean floating() {
            return this == FLOAT || this == DOUBLE;
        }
    }
}
