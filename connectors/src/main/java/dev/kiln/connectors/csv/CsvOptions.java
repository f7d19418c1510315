package dev.kiln.connectors.csv;

import dev.kiln.ir.type.Schema;
import java.util.Optional;

/**
 * @param delimiter  field separator
 * @param quote      quote character (a doubled quote inside quotes is a literal quote)
 * @param header     the first record names the columns
 * @param nullString an unquoted field equal to this is NULL (default: the empty field);
 *                   a quoted empty field is always the empty string
 * @param schema     declared column types; inferred from the data when absent
 */
public record CsvOptions(char delimiter, char quote, boolean header, String nullString, Optional<Schema> schema) {
    public static CsvOptions defaults() {
        return new CsvOptions(',', '"', true, "", Optional.empty());
    }

    public CsvOptions withSchema(Schema s) {
        return new CsvOptions(delimiter, quote, header, nullString, Optional.of(s));
    }
}
