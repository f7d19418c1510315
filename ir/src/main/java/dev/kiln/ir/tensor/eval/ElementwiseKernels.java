package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.UnaryFn;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorType;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-by-element kernels. Floating-point results are computed in double and rounded once to
 * the element type: for +, -, ×, ÷ of float32 operands that is exactly float32 arithmetic (double
 * has more than twice float's precision), and for exp, tanh and friends it is the correctly
 * rounded value, at most an ulp from what a float32 library returns.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static Tensor evaluate(ElementwiseOp op, List<Optional<Tensor>> in, TensorType out) {
        Tensor x = in.getFirst().orElseThrow();
        return switch (op) {
            case ElementwiseOp.Unary u -> unary(u.fn(), x);
            case ElementwiseOp.LeakyRelu l -> mapReal(x, v -> v < 0 ? l.alpha() * v : v);
            case ElementwiseOp.HardSigmoid h -> mapReal(x, v -> Math.max(0, Math.min(1, h.alpha() * v + h.beta())));
            case ElementwiseOp.Gelu g -> mapReal(x, switch (g.approximate()) {
                case NONE -> v -> 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
                case TANH -> v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            });
            case ElementwiseOp.Clip c -> clip(x, in.size() > 1 ? in.get(1) : Optional.empty(), in.size() > 2 ? in.get(2) : Optional.empty());
            case ElementwiseOp.Binary b -> binary(b.fn(), x, in.get(1).orElseThrow(), out);
            case ElementwiseOp.Variadic v -> variadic(v.fn(), in.stream().map(Optional::orElseThrow).toList(), out);
            case ElementwiseOp.Where w -> where(x, in.get(1).orElseThrow(), in.get(2).orElseThrow(), out);
            case ElementwiseOp.Cast c -> cast(x, c.to());
            case ElementwiseOp.Identity i -> x;
        };
    }

    private static Tensor mapReal(Tensor x, DoubleUnaryOperator f) {
        Tensor.Builder b = Tensor.builder(x.type(), x.shape());
        for (int i = 0; i < x.size(); i++) b.setDouble(i, f.applyAsDouble(x.getDouble(i)));
        return b.build();
    }

    private static Tensor unary(UnaryFn fn, Tensor x) {
        if (fn == UnaryFn.NOT) {
            Tensor.Builder b = Tensor.builder(ElementType.BOOL, x.shape());
            for (int i = 0; i < x.size(); i++) b.setBool(i, !x.getBool(i));
            return b.build();
        }
        if (x.type().isInteger()) {
            ElementType t = x.type();
            Tensor.Builder b = Tensor.builder(t, x.shape());
            for (int i = 0; i < x.size(); i++) {
                long v = x.getLong(i);
                b.setLong(i, t.wrap(switch (fn) {
                    case RELU -> Math.max(0, v);
                    case NEG -> -v;
                    case ABS -> Math.abs(v);
                    case SIGN -> Long.signum(v);
                    default -> throw new IllegalStateException(fn + " on integers");
                }));
            }
            return b.build();
        }
        return mapReal(x, switch (fn) {
            case RELU -> v -> v < 0 ? 0 : v;
            case SIGMOID -> v -> 1 / (1 + Math.exp(-v));
            case TANH -> Math::tanh;
            case ERF -> Erf::erf;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case SQRT -> Math::sqrt;
            case NEG -> v -> -v;
            case ABS -> Math::abs;
            case RECIPROCAL -> v -> 1 / v;
            case FLOOR -> Math::floor;
            case CEIL -> Math::ceil;
            case ROUND -> Math::rint;
            case SIGN -> Math::signum;
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case HARD_SWISH -> v -> v * Math.max(0, Math.min(1, v / 6 + 0.5));
            case SOFTPLUS -> v -> v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            case NOT -> throw new IllegalStateException();
        });
    }

    private static Tensor clip(Tensor x, Optional<Tensor> min, Optional<Tensor> max) {
        Tensor.Builder b = Tensor.builder(x.type(), x.shape());
        if (x.type().isInteger()) {
            long lo = min.map(m -> m.getLong(0)).orElse(Long.MIN_VALUE), hi = max.map(m -> m.getLong(0)).orElse(Long.MAX_VALUE);
            for (int i = 0; i < x.size(); i++) b.setLong(i, Math.min(hi, Math.max(lo, x.getLong(i))));
        } else {
            double lo = min.map(m -> m.getDouble(0)).orElse(Double.NEGATIVE_INFINITY), hi = max.map(m -> m.getDouble(0)).orElse(Double.POSITIVE_INFINITY);
            // NaN passes through unchanged, as in ONNX Runtime.
            for (int i = 0; i < x.size(); i++) {
                double v = x.getDouble(i);
                b.setDouble(i, v < lo ? lo : v > hi ? hi : v);
            }
        }
        return b.build();
    }

    private static Tensor binary(BinaryFn fn, Tensor a, Tensor bt, TensorType out) {
        long[] shape = Kernels.sizes(out);
        int[] ma = Indexing.broadcastMap(shape, a.shape()), mb = Indexing.broadcastMap(shape, bt.shape());
        Tensor.Builder b = Tensor.builder(out.element(), shape);
        ElementType t = a.type();
        for (int i = 0; i < ma.length; i++) {
            int ia = ma[i], ib = mb[i];
            if (fn.isLogical()) {
                boolean x = a.getBool(ia), y = bt.getBool(ib);
                b.setBool(i, switch (fn) { case AND -> x && y; case OR -> x || y; default -> x ^ y; });
            } else if (fn.isComparison()) {
                int c = t.isInteger() && bt.type().isInteger() ? compareLong(t, a.getLong(ia), bt.getLong(ib)) : 2;
                double x = a.getDouble(ia), y = bt.getDouble(ib);
                b.setBool(i, switch (fn) {
                    case EQUAL -> c == 2 ? x == y : c == 0;
                    case LESS -> c == 2 ? x < y : c < 0;
                    case GREATER -> c == 2 ? x > y : c > 0;
                    case LESS_OR_EQUAL -> c == 2 ? x <= y : c <= 0;
                    default -> c == 2 ? x >= y : c >= 0;
                });
            } else if (t.isInteger()) {
                b.setLong(i, t.wrap(integerArithmetic(fn, a.getLong(ia), bt, ib)));
            } else {
                double x = a.getDouble(ia), y = bt.getDouble(ib);
                b.setDouble(i, switch (fn) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    default -> Math.pow(x, y);
                });
            }
        }
        return b.build();
    }

    private static int compareLong(ElementType t, long x, long y) {
        return t == ElementType.UINT64 ? Long.compareUnsigned(x, y) : Long.compare(x, y);
    }

    private static long integerArithmetic(BinaryFn fn, long x, Tensor bt, int ib) {
        if (fn == BinaryFn.POW) {
            double y = bt.getDouble(ib);
            if (y < 0 || y != Math.rint(y)) return (long) Math.pow(x, y);
            // Exact by squaring, wrapping like the integer type's own multiplication.
            long result = 1, base = x;
            for (long e = (long) y; e > 0; e >>= 1) {
                if ((e & 1) == 1) result *= base;
                base *= base;
            }
            return result;
        }
        long y = bt.getLong(ib);
        return switch (fn) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> {
                if (y == 0) throw new IllegalArgumentException("integer division by zero");
                yield x / y;
            }
            default -> throw new IllegalStateException(fn.toString());
        };
    }

    private static Tensor variadic(ElementwiseOp.VariadicFn fn, List<Tensor> xs, TensorType out) {
        long[] shape = Kernels.sizes(out);
        Tensor.Builder b = Tensor.builder(out.element(), shape);
        int[][] maps = new int[xs.size()][];
        for (int k = 0; k < xs.size(); k++) maps[k] = Indexing.broadcastMap(shape, xs.get(k).shape());
        boolean integer = out.element().isInteger();
        for (int i = 0; i < b.size(); i++) {
            if (integer) {
                long acc = xs.getFirst().getLong(maps[0][i]);
                for (int k = 1; k < xs.size(); k++) {
                    long v = xs.get(k).getLong(maps[k][i]);
                    acc = switch (fn) { case SUM, MEAN -> acc + v; case MAX -> Math.max(acc, v); case MIN -> Math.min(acc, v); };
                }
                b.setLong(i, out.element().wrap(fn == ElementwiseOp.VariadicFn.MEAN ? acc / xs.size() : acc));
            } else {
                double acc = xs.getFirst().getDouble(maps[0][i]);
                for (int k = 1; k < xs.size(); k++) {
                    double v = xs.get(k).getDouble(maps[k][i]);
                    acc = switch (fn) { case SUM, MEAN -> acc + v; case MAX -> Math.max(acc, v); case MIN -> Math.min(acc, v); };
                }
                b.setDouble(i, fn == ElementwiseOp.VariadicFn.MEAN ? acc / xs.size() : acc);
            }
        }
        return b.build();
    }

    private static Tensor where(Tensor c, Tensor x, Tensor y, TensorType out) {
        long[] shape = Kernels.sizes(out);
        int[] mc = Indexing.broadcastMap(shape, c.shape()), mx = Indexing.broadcastMap(shape, x.shape()), my = Indexing.broadcastMap(shape, y.shape());
        Tensor.Builder b = Tensor.builder(out.element(), shape);
        for (int i = 0; i < mc.length; i++) {
            if (c.getBool(mc[i])) b.copy(i, x, mx[i]);
            else b.copy(i, y, my[i]);
        }
        return b.build();
    }

    static Tensor cast(Tensor x, ElementType to) {
        if (x.type() == to) return x;
        Tensor.Builder b = Tensor.builder(to, x.shape());
        ElementType from = x.type();
        for (int i = 0; i < x.size(); i++) {
            if (to == ElementType.STRING) {
                b.setString(i, StringCasts.text(x, i));
            } else if (from == ElementType.STRING) {
                StringCasts.parse(x.getString(i), to, b, i);
            } else if (to == ElementType.BOOL) {
                b.setBool(i, from.isInteger() ? x.getLong(i) != 0 : x.getDouble(i) != 0);
            } else if (to.isInteger()) {
                // Float to integer truncates toward zero (NaN gives 0); out-of-range values wrap as C does.
                long v = from.isFloating() ? (long) x.getDouble(i) : x.getLong(i);
                b.setLong(i, to.wrap(v));
            } else {
                b.setDouble(i, from == ElementType.UINT64 || !from.isInteger() ? x.getDouble(i) : (double) x.getLong(i));
            }
        }
        return b.build();
    }
}
