package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** Value-level helpers of the reference semantics: ordering, range checks, casts. */
final class Values {
    private Values() {}

    /** SQL ordering of two non-null values of the same type; text in code-point order. */
    static int compare(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            int i = 0, j = 0;
            while (i < x.length() && j < y.length()) {
                int cx = x.codePointAt(i);
                int cy = y.codePointAt(j);
                if (cx != cy) return Integer.compare(cx, cy);
                i += Character.charCount(cx);
                j += Character.charCount(cy);
            }
            return Boolean.compare(i < x.length(), j < y.length());
        }
        if (a instanceof Double x && b instanceof Double y) return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y);
        @SuppressWarnings({"unchecked", "rawtypes"})
        int r = ((Comparable) a).compareTo(b);
        return r;
    }

    static boolean equal(Object a, Object b) {
        return compare(a, b) == 0;
    }

    static KilnException overflow(DataType t, String what) {
        return new KilnException("numeric overflow: " + t.sql() + " " + what);
    }

    static long checkInt(long v, DataType.IntType t, String what) {
        if (v < t.minValue() || v > t.maxValue()) throw overflow(t, what);
        return v;
    }

    /** Rounds to the type's scale and checks that the unscaled value fits a long. */
    static BigDecimal checkDecimal(BigDecimal v, DataType.DecimalType t, String what) {
        BigDecimal s = v.setScale(t.scale(), RoundingMode.HALF_UP);
        if (s.unscaledValue().bitLength() > 63) throw overflow(t, what);
        return s;
    }

    static Object cast(Object v, DataType from, DataType to) {
        if (v == null || from.equals(to)) return v;
        String what = "value " + v + " does not fit " + to.sql();
        return switch (to) {
            case DataType.VarcharType s -> text(v, from);
            case DataType.IntType i -> switch (v) {
                case Long l -> checkInt(l, i, what);
                case BigDecimal d -> checkInt(d.setScale(0, RoundingMode.HALF_UP).longValueExact(), i, what);
                case Double d -> {
                    if (d.isNaN() || d.isInfinite()) throw new KilnException("cannot cast " + d + " to " + to.sql());
                    BigDecimal r = new BigDecimal(d).setScale(0, RoundingMode.HALF_UP);
                    if (r.unscaledValue().bitLength() > 63) throw overflow(i, what);
                    yield checkInt(r.longValueExact(), i, what);
                }
                case Boolean b -> b ? 1L : 0L;
                case String s -> {
                    try {
                        yield checkInt(Long.parseLong(s.strip()), i, what);
                    } catch (NumberFormatException e) {
                        throw badText(s, to);
                    }
                }
                default -> throw invalid(from, to);
            };
            case DataType.DecimalType d -> {
                BigDecimal b = switch (v) {
                    case Long l -> BigDecimal.valueOf(l);
                    case BigDecimal x -> x;
                    case Double x -> {
                        if (x.isNaN() || x.isInfinite()) throw new KilnException("cannot cast " + x + " to " + to.sql());
                        yield new BigDecimal(x);
                    }
                    case String s -> {
                        try {
                            yield new BigDecimal(s.strip());
                        } catch (NumberFormatException e) {
                            throw badText(s, to);
                        }
                    }
                    default -> throw invalid(from, to);
                };
                BigDecimal s = b.setScale(d.scale(), RoundingMode.HALF_UP);
                if (s.precision() - s.scale() > d.precision() - d.scale() && s.signum() != 0) {
                    throw overflow(d, "value " + b.toPlainString() + " does not fit");
                }
                yield s;
            }
            case DataType.DoubleType d -> switch (v) {
                case Long l -> (double) l;
                case BigDecimal x -> x.doubleValue();
                case String s -> {
                    try {
                        yield Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        throw badText(s, to);
                    }
                }
                default -> throw invalid(from, to);
            };
            case DataType.DateType d -> switch (v) {
                case LocalDateTime t -> t.toLocalDate();
                case String s -> {
                    try {
                        yield LocalDate.parse(s.strip());
                    } catch (RuntimeException e) {
                        throw badText(s, to);
                    }
                }
                default -> throw invalid(from, to);
            };
            case DataType.TimestampType t -> switch (v) {
                case LocalDate d -> d.atStartOfDay();
                case String s -> {
                    try {
                        String x = s.strip().replace(' ', 'T');
                        yield x.length() == 10 ? LocalDate.parse(x).atStartOfDay() : LocalDateTime.parse(x);
                    } catch (RuntimeException e) {
                        throw badText(s, to);
                    }
                }
                default -> throw invalid(from, to);
            };
            case DataType.BooleanType b -> switch (v) {
                case Long l -> l != 0;
                case String s -> switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "t", "yes", "y", "1" -> true;
                    case "false", "f", "no", "n", "0" -> false;
                    default -> throw badText(s, to);
                };
                default -> throw invalid(from, to);
            };
            default -> throw invalid(from, to);
        };
    }

    /** Canonical text of a value (CAST to VARCHAR). */
    static String text(Object v, DataType from) {
        return switch (v) {
            case BigDecimal d -> d.toPlainString();
            case LocalDateTime t -> t.toString().replace('T', ' ');
            default -> v.toString();
        };
    }

    private static KilnException badText(String s, DataType to) {
        return new KilnException("invalid input for CAST to " + to.sql() + ": '" + s + "'");
    }

    private static KilnException invalid(DataType from, DataType to) {
        return new KilnException("cannot CAST " + from.sql() + " to " + to.sql());
    }
}
