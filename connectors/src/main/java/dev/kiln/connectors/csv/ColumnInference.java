package dev.kiln.connectors.csv;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import java.util.Locale;

/**
 * Infers one column's type from every non-NULL value: the narrowest of BOOLEAN, BIGINT,
 * DECIMAL(p,s), DOUBLE, DATE, TIMESTAMP that holds all of them exactly, else VARCHAR. DECIMAL
 * is chosen over DOUBLE whenever the digits fit in 18, so money stays exact; exponent notation
 * or more digits make it DOUBLE. A column mixing dates and timestamps is TIMESTAMP.
 */
final class ColumnInference {
    private boolean nullable;
    private long values;
    private boolean bool = true, bigint = true, decimal = true, dbl = true, date = true, dateOrTimestamp = true;
    private int intDigits = 1, scale;

    void observeNull() {
        nullable = true;
    }

    void observe(String text) {
        String t = text.strip();
        values++;
        if (bool) {
            String lower = t.toLowerCase(Locale.ROOT);
            bool = lower.equals("true") || lower.equals("false");
        }
        if (bigint) bigint = CsvValues.isLong(t);
        if (decimal) observeDecimal(t);
        if (dbl) dbl = CsvValues.DOUBLE.matcher(t).matches();
        if (dateOrTimestamp) {
            boolean isDate = parses(t, true);
            date &= isDate;
            dateOrTimestamp = isDate || parses(t, false);
        }
    }

    private void observeDecimal(String t) {
        var m = CsvValues.DECIMAL.matcher(t);
        String whole = m.matches() ? m.group(1) : "";
        String fraction = m.matches() && m.group(2) != null ? m.group(2) : "";
        if (whole.isEmpty() && fraction.isEmpty()) {
            decimal = false;
            return;
        }
        String significant = whole.replaceFirst("^0+", "");
        intDigits = Math.max(intDigits, significant.length());
        scale = Math.max(scale, fraction.length());
        decimal = intDigits + scale <= DataType.DecimalType.MAX_PRECISION;
    }

    private static boolean parses(String t, boolean asDate) {
        try {
            if (asDate) CsvValues.parseDate(t);
            else CsvValues.parseTimestamp(t);
            return true;
        } catch (CsvValues.BadValue e) {
            return false;
        }
    }

    Field result(String name) {
        DataType type;
        if (values == 0) type = DataType.VARCHAR;
        else if (bool) type = DataType.BOOLEAN;
        else if (bigint) type = DataType.BIGINT;
        else if (decimal) type = DataType.decimal(intDigits + scale, scale);
        else if (dbl) type = DataType.DOUBLE;
        else if (date) type = DataType.DATE;
        else if (dateOrTimestamp) type = DataType.TIMESTAMP;
        else type = DataType.VARCHAR;
        return new Field(name, type, nullable);
    }
}
