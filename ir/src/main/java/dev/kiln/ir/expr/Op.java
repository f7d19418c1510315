package dev.kiln.ir.expr;

/**
 * Scalar operators of {@link Call}. Semantics (SQL three-valued logic, overflow and division by
 * zero raise errors) are defined once, by the reference interpreter in {@code dev.kiln.ir.eval}.
 */
public enum Op {
    // arithmetic: numeric operands already cast to the result type, except DECIMAL which keeps scales
    PLUS("+", true), MINUS("-", true), TIMES("*", true), DIVIDE("/", true), MOD("%", true),
    NEGATE("-", false), ABS("abs", false),
    // comparison: operands have the same type (after casts), result BOOLEAN
    EQ("=", true), NE("<>", true), LT("<", true), LE("<=", true), GT(">", true), GE(">=", true),
    /** NULL-safe inequality: IS DISTINCT FROM */
    IS_DISTINCT_FROM("IS DISTINCT FROM", true),
    IS_NOT_DISTINCT_FROM("IS NOT DISTINCT FROM", true),
    // logic, three-valued
    AND("AND", true), OR("OR", true), NOT("NOT", false),
    IS_NULL("IS NULL", false), IS_NOT_NULL("IS NOT NULL", false),
    IS_TRUE("IS TRUE", false), IS_FALSE("IS FALSE", false),
    // strings (VARCHAR)
    /** LIKE(value, pattern literal [, escape literal]) */
    LIKE("LIKE", true),
    /** SUBSTRING(value, start (1-based) [, length]) */
    SUBSTRING("substring", false),
    UPPER("upper", false), LOWER("lower", false), CONCAT("||", true), CHAR_LENGTH("char_length", false),
    TRIM("trim", false),
    // dates: ADD_DAYS(date, int), ADD_MONTHS(date|timestamp, int), ADD_MICROS(timestamp, bigint)
    ADD_DAYS("add_days", false), ADD_MONTHS("add_months", false), ADD_MICROS("add_micros", false),
    /**
     * TIME_BUCKET(timestamp, width BIGINT microseconds > 0): the start of the width-long interval
     * (counted from the epoch) that holds the timestamp - the start of its tumbling event-time window.
     */
    TIME_BUCKET("time_bucket", false),
    /**
     * HOP_START(timestamp, slide, size, j): the start of the j-th (from 0, latest first) of the
     * size/slide sliding windows that hold the timestamp, TIME_BUCKET(ts, slide) - j * slide;
     * slide, size in microseconds (literals), size a multiple of slide.
     */
    HOP_START("hop_start", false),
    /** DATE - DATE in days */
    DATE_DIFF_DAYS("date_diff_days", false),
    EXTRACT_YEAR("extract_year", false), EXTRACT_QUARTER("extract_quarter", false),
    EXTRACT_MONTH("extract_month", false), EXTRACT_DAY("extract_day", false),
    EXTRACT_DOW("extract_dow", false), EXTRACT_DOY("extract_doy", false),
    EXTRACT_HOUR("extract_hour", false), EXTRACT_MINUTE("extract_minute", false),
    EXTRACT_SECOND("extract_second", false),
    // misc
    COALESCE("coalesce", false), NULLIF("nullif", false),
    /** ROUND(numeric [, digits literal]) */
    ROUND("round", false), FLOOR("floor", false), CEIL("ceil", false),
    /** EXP(DOUBLE), LN(DOUBLE > 0): DOUBLE (LN of a value not above 0 is an error, as in SQL) */
    EXP("exp", false), LN("ln", false),
    // vectors: two TENSOR operands of one floating-point rank-1 shape (embeddings), a DOUBLE
    /** DOT(a, b): the sum of a[i] * b[i], accumulated in double in index order */
    DOT("dot", false),
    /** COSINE_SIMILARITY(a, b): dot(a, b) / (|a| |b|); an error for a zero vector, whose direction is undefined */
    COSINE_SIMILARITY("cosine_similarity", false);

    private final String symbol;
    private final boolean infix;

    Op(String symbol, boolean infix) {
        this.symbol = symbol;
        this.infix = infix;
    }

    public String symbol() {
        return symbol;
    }

    /** Printed between its two operands rather than as a function call. */
    public boolean infix() {
        return infix;
    }

    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** The comparison that holds when the operands are swapped (a &lt; b == b &gt; a). */
    public Op flip() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            case EQ, NE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> this;
            default -> throw new IllegalStateException(this + " is not a comparison");
        };
    }
}
