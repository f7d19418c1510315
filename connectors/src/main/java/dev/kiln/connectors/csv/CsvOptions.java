package dev.kiln.connectors.csv;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import java.util.Objects;
import java.util.Optional;

/**
 * How to read a CSV file. Dates are ISO ({@code yyyy-mm-dd}), timestamps
 * {@code yyyy-mm-dd hh:mm:ss[.ffffff]} (a {@code T} may stand for the space).
 *
 * @param delimiter  field separator
 * @param quote      quote character (a doubled quote inside quotes is a literal quote)
 * @param header     the first record names the columns
 * @param nullString an unquoted field equal to this is NULL (default: the empty field);
 *                   a quoted field is never NULL, so {@code ""} is the empty string
 * @param schema     declared column types (and names); inferred from the data when absent
 */
public record CsvOptions(char delimiter, char quote, boolean header, String nullString, Optional<Schema> schema) {
    public CsvOptions {
        Objects.requireNonNull(nullString, "nullString");
        Objects.requireNonNull(schema, "schema");
        if (delimiter == quote) throw new KilnException("the CSV delimiter and quote character must differ, both are '" + delimiter + "'");
        if (isLineBreak(delimiter) || isLineBreak(quote)) throw new KilnException("the CSV delimiter and quote character cannot be a line break");
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    public static CsvOptions defaults() {
        return new CsvOptions(',', '"', true, "", Optional.empty());
    }

    public CsvOptions withSchema(Schema s) {
        return new CsvOptions(delimiter, quote, header, nullString, Optional.of(s));
    }

    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(d, quote, header, nullString, schema);
    }

    public CsvOptions withQuote(char q) {
        return new CsvOptions(delimiter, q, header, nullString, schema);
    }

    public CsvOptions withHeader(boolean h) {
        return new CsvOptions(delimiter, quote, h, nullString, schema);
    }

    public CsvOptions withNullString(String n) {
        return new CsvOptions(delimiter, quote, header, n, schema);
    }
}
