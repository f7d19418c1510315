package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reference semantics of IR expressions, evaluated row at a time on boxed values (Java null is
 * SQL NULL). Deliberately simple and slow: it is the oracle generated code is tested against,
 * never an execution path.
 */
public final class ExprEvaluator {
    private ExprEvaluator() {}

    public static Object eval(Expr e, Object[] row) {
        return switch (e) {
            case ColumnRef r -> row[r.index()];
            case Literal l -> l.value();
            case NullLiteral n -> null;
            case Cast c -> Values.cast(eval(c.input(), row), c.input().type(), c.type());
            case Case c -> {
                for (Case.When w : c.branches()) {
                    if (Boolean.TRUE.equals(eval(w.condition(), row))) yield eval(w.result(), row);
                }
                yield eval(c.otherwise(), row);
            }
            case InList in -> {
                Object v = eval(in.value(), row);
                boolean sawNull = v == null;
                for (Expr item : in.list()) {
                    Object x = eval(item, row);
                    if (x == null) sawNull = true;
                    else if (v != null && Values.equal(v, x)) yield true;
                }
                yield sawNull ? null : false;
            }
            case Call c -> call(c, row);
        };
    }

    public static boolean isTrue(Expr e, Object[] row) {
        return Boolean.TRUE.equals(eval(e, row));
    }

    private static Object call(Call c, Object[] row) {
        List<Expr> args = c.args();
        switch (c.op()) {
            case AND -> {
                boolean sawNull = false;
                for (Expr a : args) {
                    Object v = eval(a, row);
                    if (Boolean.FALSE.equals(v)) return false;
                    if (v == null) sawNull = true;
                }
                return sawNull ? null : true;
            }
            case OR -> {
                boolean sawNull = false;
                for (Expr a : args) {
                    Object v = eval(a, row);
                    if (Boolean.TRUE.equals(v)) return true;
                    if (v == null) sawNull = true;
                }
                return sawNull ? null : false;
            }
            case COALESCE -> {
                for (Expr a : args) {
                    Object v = eval(a, row);
                    if (v != null) return v;
                }
                return null;
            }
            case IS_NULL -> {
                return eval(args.getFirst(), row) == null;
            }
            case IS_NOT_NULL -> {
                return eval(args.getFirst(), row) != null;
            }
            case IS_TRUE -> {
                return Boolean.TRUE.equals(eval(args.getFirst(), row));
            }
            case IS_FALSE -> {
                return Boolean.FALSE.equals(eval(args.getFirst(), row));
            }
            case IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
                Object a = eval(args.get(0), row);
                Object b = eval(args.get(1), row);
                boolean same = a == null || b == null ? a == b : Values.equal(a, b);
                return c.op() == Op.IS_NOT_DISTINCT_FROM == same;
            }
            case NULLIF -> {
                Object a = eval(args.get(0), row);
                Object b = eval(args.get(1), row);
                return a != null && b != null && Values.equal(a, b) ? null : a;
            }
            default -> { }
        }
        Object[] v = new Object[args.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = eval(args.get(i), row);
            if (v[i] == null) return null; // every remaining operator is strict
        }
        return strict(c, v);
    }

    private static Object strict(Call c, Object[] v) {
        Object a = v[0];
        Object b = v.length > 1 ? v[1] : null;
        return switch (c.op()) {
            case EQ -> Values.compare(a, b) == 0;
            case NE -> Values.compare(a, b) != 0;
            case LT -> Values.compare(a, b) < 0;
            case LE -> Values.compare(a, b) <= 0;
            case GT -> Values.compare(a, b) > 0;
            case GE -> Values.compare(a, b) >= 0;
            case NOT -> !(Boolean) a;
            case PLUS, MINUS, TIMES, DIVIDE, MOD -> Arithmetic.binary(c.op(), c.type(), a, b);
            case NEGATE -> Arithmetic.negate(c.type(), a);
            case ABS -> Values.compare(a, zeroLike(a)) < 0 ? Arithmetic.negate(c.type(), a) : a;
            case LIKE -> like((String) a, (String) b, v.length > 2 ? (String) v[2] : null);
            case SUBSTRING -> substring((String) a, (Long) b, v.length > 2 ? (Long) v[2] : null);
            case UPPER -> ((String) a).toUpperCase(java.util.Locale.ROOT);
            case LOWER -> ((String) a).toLowerCase(java.util.Locale.ROOT);
            case TRIM -> trimSpaces((String) a);
            case CONCAT -> (String) a + b;
            case CHAR_LENGTH -> (long) ((String) a).codePointCount(0, ((String) a).length());
            case ADD_DAYS -> a instanceof LocalDateTime t ? t.plusDays((Long) b) : ((LocalDate) a).plusDays((Long) b);
            case ADD_MONTHS -> a instanceof LocalDateTime t ? t.plusMonths((Long) b) : ((LocalDate) a).plusMonths((Long) b);
            case ADD_MICROS -> ((LocalDateTime) a).plusNanos(Math.multiplyExact((Long) b, 1000L));
            case DATE_DIFF_DAYS -> java.time.temporal.ChronoUnit.DAYS.between((LocalDate) b, (LocalDate) a);
            case EXTRACT_YEAR -> (long) date(a).getYear();
            case EXTRACT_QUARTER -> (long) ((date(a).getMonthValue() - 1) / 3 + 1);
            case EXTRACT_MONTH -> (long) date(a).getMonthValue();
            case EXTRACT_DAY -> (long) date(a).getDayOfMonth();
            case EXTRACT_DOW -> (long) (date(a).getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : date(a).getDayOfWeek().getValue());
            case EXTRACT_DOY -> (long) date(a).getDayOfYear();
            case EXTRACT_HOUR -> (long) ((LocalDateTime) a).getHour();
            case EXTRACT_MINUTE -> (long) ((LocalDateTime) a).getMinute();
            case EXTRACT_SECOND -> (long) ((LocalDateTime) a).getSecond();
            case ROUND -> round(a, v.length > 1 ? ((Long) b).intValue() : 0, c.type());
            case FLOOR -> a instanceof BigDecimal d ? d.setScale(0, RoundingMode.FLOOR).setScale(((DataType.DecimalType) c.type()).scale())
                    : a instanceof Double d ? Math.floor(d) : a;
            case CEIL -> a instanceof BigDecimal d ? d.setScale(0, RoundingMode.CEILING).setScale(((DataType.DecimalType) c.type()).scale())
                    : a instanceof Double d ? Math.ceil(d) : a;
            default -> throw new KilnException("operator " + c.op() + " has no reference semantics");
        };
    }

    private static Object zeroLike(Object a) {
        return a instanceof Long ? (Object) 0L : a instanceof Double ? (Object) 0.0 : BigDecimal.ZERO;
    }

    private static LocalDate date(Object a) {
        return a instanceof LocalDateTime t ? t.toLocalDate() : (LocalDate) a;
    }

    private static String trimSpaces(String s) {
        int i = 0, j = s.length();
        while (i < j && s.charAt(i) == ' ') i++;
        while (j > i && s.charAt(j - 1) == ' ') j--;
        return s.substring(i, j);
    }

    /** SQL SUBSTRING on code points: the window [start, start + count) clipped to the string. */
    static String substring(String s, long start, Long count) {
        int[] cps = s.codePoints().toArray();
        if (count != null && count < 0) throw new KilnException("negative substring length " + count + " is not allowed");
        long from = Math.max(start, 1);
        long end = count == null ? Long.MAX_VALUE : start + count;
        if (end <= from) return "";
        int f = (int) Math.min(from - 1, cps.length);
        int t = (int) Math.min(end - 1, cps.length);
        return new String(cps, f, t - f);
    }

    private static Object round(Object a, int digits, DataType type) {
        return switch (a) {
            case BigDecimal d -> d.setScale(digits, RoundingMode.HALF_UP).setScale(((DataType.DecimalType) type).scale(), RoundingMode.HALF_UP);
            case Double d -> Double.isNaN(d) || Double.isInfinite(d) ? d : new BigDecimal(d).setScale(digits, RoundingMode.HALF_UP).doubleValue();
            default -> a;
        };
    }

    /** LIKE with % and _ over code points; the escape makes the next character literal. */
    static boolean like(String s, String pattern, String escape) {
        StringBuilder re = new StringBuilder();
        int esc = escape == null || escape.isEmpty() ? -1 : escape.codePointAt(0);
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == esc) {
                if (i >= pattern.length()) throw new KilnException("LIKE pattern '" + pattern + "' ends with the escape character");
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                re.append(Pattern.quote(new String(Character.toChars(next))));
            } else if (cp == '%') {
                re.append(".*");
            } else if (cp == '_') {
                re.append(".");
            } else {
                re.append(Pattern.quote(new String(Character.toChars(cp))));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(s).matches();
    }
}
