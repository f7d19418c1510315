package dev.kiln.codegen.emit;

import static org.objectweb.asm.Opcodes.*;

import dev.kiln.codegen.tree.*;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes one {@link MethodDef} as bytecode and measures it. Statements map to the obvious
 * jumps; a {@link For}'s {@code continue} lands on its update; locals get slots by
 * {@link Scopes}.
 */
final class MethodEmitter {
    private record Loop(Optional<String> label, Label breakTo, Label continueTo) {}

    private final MethodDef def;
    private final MethodVisitor mv;
    private final Scopes scopes;
    private final ExprEmitter exprs;
    private final String owner;
    private final Consumer<JType> seen;
    private final Deque<Loop> loops = new ArrayDeque<>();

    MethodEmitter(Optional<ClassDef> cls, String owner, MethodDef def, MethodVisitor mv, Consumer<JType> seen) {
        this.def = def;
        this.mv = mv;
        this.owner = owner;
        this.seen = seen;
        this.scopes = new Scopes(def.name());
        this.exprs = new ExprEmitter(cls, owner, def.name(), mv, scopes, seen);
    }

    /** Emits the body and returns the size of the method's bytecode in bytes. */
    int emit() {
        mv.visitCode();
        seen.accept(def.returnType());
        for (LocalVar p : def.params()) {
            seen.accept(p.type());
            scopes.declare(p);
        }
        stmt(def.body());
        if (Reach.completesNormally(def.body())) {
            if (!def.returnType().isVoid()) {
                throw new IllegalArgumentException("method " + def.name() + " returns " + def.returnType()
                        + " but its body can complete without a return statement");
            }
            mv.visitInsn(RETURN);
        }
        Label end = new Label();
        mv.visitLabel(end);
        int size = end.getOffset();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return size;
    }

    private void stmt(JStmt s) {
        switch (s) {
            case Declare d -> {
                exprs.emit(d.init());
                seen.accept(d.v().type());
                Scopes.Slot slot = scopes.declare(d.v());
                mv.visitVarInsn(ExprEmitter.asm(d.v().type()).getOpcode(ISTORE), slot.index());
            }
            case Assign a -> {
                Scopes.Slot slot = scopes.lookup(a.v());
                exprs.emit(a.value());
                mv.visitVarInsn(ExprEmitter.asm(a.v().type()).getOpcode(ISTORE), slot.index());
            }
            case AssignThisField a -> {
                exprs.checkFieldStore(a.name(), a.type());
                mv.visitVarInsn(ALOAD, 0);
                exprs.emit(a.value());
                mv.visitFieldInsn(PUTFIELD, owner, a.name(), a.type().descriptor());
            }
            case ArrayStore a -> {
                exprs.emit(a.array());
                exprs.emit(a.index());
                exprs.emit(a.value());
                mv.visitInsn(ExprEmitter.asm(a.array().type().componentType()).getOpcode(IASTORE));
            }
            case Eval e -> {
                exprs.emit(e.call());
                JType t = e.call().type();
                if (t.isWide()) mv.visitInsn(POP2);
                else if (!t.isVoid()) mv.visitInsn(POP);
            }
            case If i -> {
                Label otherwise = new Label();
                exprs.jump(i.cond(), false, otherwise);
                stmt(i.then());
                if (i.otherwise().isPresent()) {
                    Label end = new Label();
                    if (Reach.completesNormally(i.then())) mv.visitJumpInsn(GOTO, end);
                    mv.visitLabel(otherwise);
                    stmt(i.otherwise().get());
                    mv.visitLabel(end);
                } else {
                    mv.visitLabel(otherwise);
                }
            }
            case While w -> loop(w.label(), Optional.empty(), w.cond(), Optional.empty(), w.body());
            case For f -> {
                scopes.open();
                loop(f.label(), Optional.of(f.init()), f.cond(), Optional.of(f.update()), f.body());
                scopes.close();
            }
            case Block b -> {
                scopes.open();
                for (JStmt x : b.stmts()) stmt(x);
                scopes.close();
            }
            case Return r -> ret(r);
            case Break b -> mv.visitJumpInsn(GOTO, target(b.label(), "break").breakTo());
            case Continue c -> mv.visitJumpInsn(GOTO, target(c.label(), "continue").continueTo());
            case Throw t -> {
                exprs.emit(t.exception());
                mv.visitInsn(ATHROW);
            }
            case Comment c -> { }
        }
    }

    private void loop(Optional<String> label, Optional<JStmt> init, JExpr cond, Optional<JStmt> update, JStmt body) {
        label.ifPresent(l -> {
            if (loops.stream().anyMatch(x -> x.label().equals(label))) {
                throw new IllegalArgumentException("method " + def.name() + ": loop label " + l + " is nested inside a loop with the same label");
            }
        });
        // Declarations of a block init belong to the loop's scope, not to a nested block.
        init.ifPresent(i -> For.flatten(i).forEach(this::stmt));
        Label top = new Label();
        Label next = update.isPresent() ? new Label() : top;
        Label end = new Label();
        mv.visitLabel(top);
        exprs.jump(cond, false, end);
        loops.push(new Loop(label, end, next));
        stmt(body);
        loops.pop();
        if (update.isPresent()) {
            mv.visitLabel(next);
            stmt(update.get());
        }
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
    }

    private Loop target(Optional<String> label, String what) {
        for (Loop l : loops) {
            if (label.isEmpty() || l.label().equals(label)) return l;
        }
        throw new IllegalArgumentException("method " + def.name() + ": " + what + label.map(l -> " " + l).orElse("")
                + (label.isPresent() ? " names no enclosing loop" : " outside any loop"));
    }

    private void ret(Return r) {
        JType want = def.returnType();
        if (r.value().isEmpty()) {
            if (!want.isVoid()) throw new IllegalArgumentException("method " + def.name() + " returns " + want + " but has a return without a value");
            mv.visitInsn(RETURN);
            return;
        }
        JExpr v = r.value().get();
        if (want.isVoid() || !want.isAssignableFrom(v.type())) {
            throw new IllegalArgumentException("method " + def.name() + " returns " + want + " but returns a value of type " + v.type());
        }
        exprs.emit(v);
        mv.visitInsn(ExprEmitter.asm(want).getOpcode(IRETURN));
    }
}
