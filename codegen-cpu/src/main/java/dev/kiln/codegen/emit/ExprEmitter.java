package dev.kiln.codegen.emit;

import static org.objectweb.asm.Opcodes.*;

import dev.kiln.codegen.tree.*;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Writes expressions as bytecode. Conditions are compiled as jumps ({@link #jump}): {@code &&}
 * and {@code ||} short-circuit, comparisons branch directly on {@code if_icmp}/{@code lcmp}/
 * {@code dcmpl}/{@code dcmpg} without materialising a boolean, choosing the {@code dcmp} variant
 * that makes every comparison with NaN false, as Java does.
 */
final class ExprEmitter {
    private final Optional<ClassDef> cls;
    private final String owner;
    private final String method;
    private final MethodVisitor mv;
    private final Scopes scopes;
    private final Consumer<JType> seen;

    ExprEmitter(Optional<ClassDef> cls, String owner, String method, MethodVisitor mv, Scopes scopes, Consumer<JType> seen) {
        this.cls = cls;
        this.owner = owner;
        this.method = method;
        this.mv = mv;
        this.scopes = scopes;
        this.seen = seen;
    }

    /** Pushes the value of {@code e} (nothing for a void call). */
    void emit(JExpr e) {
        seen.accept(e.type());
        switch (e) {
            case Local l -> mv.visitVarInsn(asm(l.type()).getOpcode(ILOAD), scopes.lookup(l.v()).index());
            case Const c -> constant(c);
            case NullConst n -> mv.visitInsn(ACONST_NULL);
            case ThisField f -> {
                checkField(f.name(), f.type());
                mv.visitVarInsn(ALOAD, 0);
                mv.visitFieldInsn(GETFIELD, owner, f.name(), f.type().descriptor());
            }
            case StaticField f -> mv.visitFieldInsn(GETSTATIC, Type.getInternalName(f.owner()), f.name(), f.type().descriptor());
            case GetField f -> {
                emit(f.target());
                mv.visitFieldInsn(GETFIELD, Type.getInternalName(f.owner()), f.name(), f.type().descriptor());
            }
            case Binary b -> binary(b);
            case Unary u -> {
                emit(u.operand());
                if (u.op() == UnOp.NEG) {
                    mv.visitInsn(asm(u.type()).getOpcode(INEG));
                } else {
                    mv.visitInsn(ICONST_1);
                    mv.visitInsn(IXOR);
                }
            }
            case Convert c -> convert(c);
            case InvokeStatic i -> {
                args(i.args());
                Method m = i.resolved();
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(i.owner()), i.method(), Type.getMethodDescriptor(m), i.owner().isInterface());
            }
            case InvokeVirtual i -> {
                emit(i.target());
                args(i.args());
                Method m = i.resolved();
                boolean itf = i.owner().isInterface();
                mv.visitMethodInsn(itf ? INVOKEINTERFACE : INVOKEVIRTUAL, Type.getInternalName(i.owner()), i.method(), Type.getMethodDescriptor(m), itf);
            }
            case InvokeThis i -> invokeThis(i);
            case Ternary t -> {
                Label otherwise = new Label();
                Label end = new Label();
                jump(t.cond(), false, otherwise);
                emit(t.a());
                mv.visitJumpInsn(GOTO, end);
                mv.visitLabel(otherwise);
                emit(t.b());
                mv.visitLabel(end);
            }
            case ArrayLoad a -> {
                emit(a.array());
                emit(a.index());
                mv.visitInsn(asm(a.type()).getOpcode(IALOAD));
            }
            case ArrayLength a -> {
                emit(a.array());
                mv.visitInsn(ARRAYLENGTH);
            }
            case NewObject n -> {
                String internal = Type.getInternalName(n.cls());
                mv.visitTypeInsn(NEW, internal);
                mv.visitInsn(DUP);
                args(n.args());
                mv.visitMethodInsn(INVOKESPECIAL, internal, "<init>", Type.getConstructorDescriptor(n.resolved()), false);
            }
            case NewArray n -> {
                emit(n.length());
                seen.accept(n.elementType());
                if (n.elementType().isPrimitive()) {
                    mv.visitIntInsn(NEWARRAY, newArrayCode(n.elementType()));
                } else {
                    mv.visitTypeInsn(ANEWARRAY, n.elementType().internalName());
                }
            }
        }
    }

    private void args(List<JExpr> args) {
        for (JExpr a : args) emit(a);
    }

    private void checkField(String name, JType type) {
        cls.ifPresent(c -> {
            FieldDef f = c.field(name).orElseThrow(() -> new IllegalArgumentException(
                    "method " + method + ": class " + c.simpleName() + " has no field " + name + "; add a FieldDef"));
            if (!f.type().equals(type)) {
                throw new IllegalArgumentException("method " + method + ": field " + name + " is declared as " + f.type() + " but used as " + type);
            }
        });
    }

    void checkFieldStore(String name, JType type) {
        checkField(name, type);
    }

    private void invokeThis(InvokeThis i) {
        mv.visitVarInsn(ALOAD, 0);
        args(i.args());
        boolean isPublic = true;
        String desc;
        if (cls.isPresent()) {
            MethodDef target = cls.get().methods().stream()
                    .filter(m -> m.name().equals(i.method()) && m.params().size() == i.args().size() && m.returnType().equals(i.returnType()))
                    .filter(m -> {
                        for (int k = 0; k < m.params().size(); k++) {
                            if (!m.params().get(k).type().isAssignableFrom(i.args().get(k).type())) return false;
                        }
                        return true;
                    })
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("method " + method + " calls this." + i.method()
                            + i.args().stream().map(a -> a.type().javaName()).toList() + " returning " + i.returnType()
                            + ", but class " + cls.get().simpleName() + " has no such method"));
            isPublic = target.isPublic();
            desc = target.descriptor();
        } else {
            // Size estimate of a lone method: the descriptor only affects a constant-pool entry.
            StringBuilder sb = new StringBuilder("(");
            i.args().forEach(a -> sb.append(a.type().descriptor()));
            desc = sb.append(")").append(i.returnType().descriptor()).toString();
        }
        mv.visitMethodInsn(isPublic ? INVOKEVIRTUAL : INVOKESPECIAL, owner, i.method(), desc, false);
    }

    private void constant(Const c) {
        switch (c.value()) {
            case Integer v -> pushInt(v);
            case Boolean v -> mv.visitInsn(v ? ICONST_1 : ICONST_0);
            case Long v -> {
                if (v == 0L) mv.visitInsn(LCONST_0);
                else if (v == 1L) mv.visitInsn(LCONST_1);
                else mv.visitLdcInsn(v);
            }
            case Double v -> {
                // Compare bits: -0.0 must not become dconst_0.
                if (Double.doubleToRawLongBits(v) == 0L) mv.visitInsn(DCONST_0);
                else if (v == 1.0) mv.visitInsn(DCONST_1);
                else mv.visitLdcInsn(v);
            }
            case String v -> mv.visitLdcInsn(v);
            default -> throw new IllegalStateException("unexpected constant " + c);
        }
    }

    private void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private void binary(Binary b) {
        BinOp op = b.op();
        if (op.isComparison() || op.isLogical()) {
            materialize(b);
            return;
        }
        emit(b.left());
        emit(b.right());
        Type t = asm(b.left().type());
        if (op.isShift() && b.right().type().equals(JType.LONG)) mv.visitInsn(L2I);
        int base = switch (op) {
            case ADD -> IADD;
            case SUB -> ISUB;
            case MUL -> IMUL;
            case DIV -> IDIV;
            case REM -> IREM;
            case AND -> IAND;
            case OR -> IOR;
            case XOR -> IXOR;
            case SHL -> ISHL;
            case SHR -> ISHR;
            case USHR -> IUSHR;
            default -> throw new IllegalStateException(op.name());
        };
        mv.visitInsn(t.getOpcode(base));
    }

    /** Turns a condition into 0 or 1 on the stack. */
    private void materialize(JExpr cond) {
        Label no = new Label();
        Label end = new Label();
        jump(cond, false, no);
        mv.visitInsn(ICONST_1);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(no);
        mv.visitInsn(ICONST_0);
        mv.visitLabel(end);
    }

    /** Jumps to {@code target} when {@code cond} evaluates to {@code when}; falls through otherwise. */
    void jump(JExpr cond, boolean when, Label target) {
        switch (cond) {
            case Const c when c.value() instanceof Boolean v -> {
                if (v == when) mv.visitJumpInsn(GOTO, target);
            }
            case Unary u when u.op() == UnOp.NOT -> jump(u.operand(), !when, target);
            case Binary b when b.op() == BinOp.LOGICAL_AND -> {
                if (when) {
                    Label skip = new Label();
                    jump(b.left(), false, skip);
                    jump(b.right(), true, target);
                    mv.visitLabel(skip);
                } else {
                    jump(b.left(), false, target);
                    jump(b.right(), false, target);
                }
            }
            case Binary b when b.op() == BinOp.LOGICAL_OR -> {
                if (when) {
                    jump(b.left(), true, target);
                    jump(b.right(), true, target);
                } else {
                    Label skip = new Label();
                    jump(b.left(), true, skip);
                    jump(b.right(), false, target);
                    mv.visitLabel(skip);
                }
            }
            case Binary b when b.op().isComparison() -> compare(b, when, target);
            default -> {
                emit(cond);
                mv.visitJumpInsn(when ? IFNE : IFEQ, target);
            }
        }
    }

    private void compare(Binary b, boolean when, Label target) {
        BinOp op = when ? b.op() : negate(b.op());
        JType t = b.left().type();
        if (t.isReference()) {
            boolean eq = op == BinOp.EQ;
            if (b.right() instanceof NullConst) {
                emit(b.left());
                mv.visitJumpInsn(eq ? IFNULL : IFNONNULL, target);
            } else if (b.left() instanceof NullConst) {
                emit(b.right());
                mv.visitJumpInsn(eq ? IFNULL : IFNONNULL, target);
            } else {
                emit(b.left());
                emit(b.right());
                mv.visitJumpInsn(eq ? IF_ACMPEQ : IF_ACMPNE, target);
            }
            return;
        }
        emit(b.left());
        emit(b.right());
        if (t.equals(JType.INT) || t.equals(JType.BOOLEAN)) {
            mv.visitJumpInsn(switch (op) {
                case EQ -> IF_ICMPEQ;
                case NE -> IF_ICMPNE;
                case LT -> IF_ICMPLT;
                case LE -> IF_ICMPLE;
                case GT -> IF_ICMPGT;
                case GE -> IF_ICMPGE;
                default -> throw new IllegalStateException(op.name());
            }, target);
            return;
        }
        if (t.equals(JType.LONG)) {
            mv.visitInsn(LCMP);
        } else {
            // dcmpg turns NaN into 1 and dcmpl into -1; pick the one under which the comparison
            // *as written* is false, then negation (for jump-if-false) makes it jump, as in Java.
            BinOp written = b.op();
            mv.visitInsn(written == BinOp.LT || written == BinOp.LE ? DCMPG : DCMPL);
        }
        mv.visitJumpInsn(switch (op) {
            case EQ -> IFEQ;
            case NE -> IFNE;
            case LT -> IFLT;
            case LE -> IFLE;
            case GT -> IFGT;
            case GE -> IFGE;
            default -> throw new IllegalStateException(op.name());
        }, target);
    }

    private static BinOp negate(BinOp op) {
        return switch (op) {
            case EQ -> BinOp.NE;
            case NE -> BinOp.EQ;
            case LT -> BinOp.GE;
            case GE -> BinOp.LT;
            case GT -> BinOp.LE;
            case LE -> BinOp.GT;
            default -> throw new IllegalStateException(op.name());
        };
    }

    private void convert(Convert c) {
        JType from = c.e().type();
        JType to = c.to();
        emit(c.e());
        if (from.equals(to)) return;
        if (from.isReference()) {
            if (!to.isAssignableFrom(from)) mv.visitTypeInsn(CHECKCAST, to.internalName());
            return;
        }
        char f = stackKind(from);
        char t = stackKind(to);
        if (f != t) {
            int op = switch ("" + f + t) {
                case "IJ" -> I2L; case "IF" -> I2F; case "ID" -> I2D;
                case "JI" -> L2I; case "JF" -> L2F; case "JD" -> L2D;
                case "FI" -> F2I; case "FJ" -> F2L; case "FD" -> F2D;
                case "DI" -> D2I; case "DJ" -> D2L; case "DF" -> D2F;
                default -> throw new IllegalStateException(f + "->" + t);
            };
            mv.visitInsn(op);
        }
        Class<?> src = f == 'I' ? from.clazz() : int.class;
        if (to.equals(JType.BYTE) && src != byte.class) mv.visitInsn(I2B);
        if (to.equals(JType.SHORT) && src != byte.class && src != short.class) mv.visitInsn(I2S);
        if (to.equals(JType.CHAR) && src != char.class) mv.visitInsn(I2C);
    }

    private static char stackKind(JType t) {
        Class<?> c = t.clazz();
        if (c == long.class) return 'J';
        if (c == float.class) return 'F';
        if (c == double.class) return 'D';
        return 'I';
    }

    private static int newArrayCode(JType t) {
        Class<?> c = t.clazz();
        if (c == boolean.class) return T_BOOLEAN;
        if (c == byte.class) return T_BYTE;
        if (c == short.class) return T_SHORT;
        if (c == char.class) return T_CHAR;
        if (c == int.class) return T_INT;
        if (c == long.class) return T_LONG;
        if (c == float.class) return T_FLOAT;
        if (c == double.class) return T_DOUBLE;
        throw new IllegalStateException("not a primitive array element " + t);
    }

    static Type asm(JType t) {
        return Type.getType(t.descriptor());
    }
}
