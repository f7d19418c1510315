package dev.kiln.codegen.tensor;

import dev.kiln.codegen.tree.Assign;
import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.Binary;
import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.Const;
import dev.kiln.codegen.tree.Convert;
import dev.kiln.codegen.tree.Declare;
import dev.kiln.codegen.tree.Eval;
import dev.kiln.codegen.tree.For;
import dev.kiln.codegen.tree.InvokeVirtual;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.MethodDef;
import dev.kiln.codegen.tree.StaticField;
import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.tensor.GemmEpilogue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Generates the activation a fused GEMM applies to each finished tile: a {@link GemmEpilogue}
 * whose loop over the tile's rows and columns calls the activation's formula in double, as the
 * elementwise loops do. None has no epilogue at all.
 */
final class Epilogues {
    private Epilogues() {}

    static Optional<ClassDef> generate(String className, Activation act) {
        Optional<Activation.OpWithConstants> op = act.asOp();
        if (op.isEmpty()) return Optional.empty();
        JType seg = JType.of(MemorySegment.class);
        LocalVar c = new LocalVar("c", seg), offset = new LocalVar("offset", JType.LONG), ldc = new LocalVar("ldc", JType.LONG);
        LocalVar rows = new LocalVar("rows", JType.INT), cols = new LocalVar("cols", JType.INT);
        LocalVar r = new LocalVar("r", JType.INT), j = new LocalVar("j", JType.INT), at = new LocalVar("at", JType.LONG);
        JExpr layout = new StaticField(ValueLayout.class, "JAVA_FLOAT", JType.of(ValueLayout.OfFloat.class));
        List<JExpr> args = new ArrayList<>();
        args.add(new Convert(new InvokeVirtual(new Local(c), MemorySegment.class, "getAtIndex", List.of(layout, new Local(at))), JType.DOUBLE));
        for (Tensor k : op.get().constants()) args.add(Const.of((double) (float) k.getDouble(0)));
        JExpr value = ElementwiseCodegen.compute(op.get().op(), args);
        Block inner = Block.of(
                new Declare(at, new Binary(BinOp.ADD, new Binary(BinOp.ADD, new Local(offset),
                        new Binary(BinOp.MUL, new Convert(new Local(r), JType.LONG), new Local(ldc))), new Convert(new Local(j), JType.LONG))),
                new Eval(new InvokeVirtual(new Local(c), MemorySegment.class, "setAtIndex", List.of(layout, new Local(at), new Convert(value, JType.FLOAT)))));
        For colLoop = new For(Optional.empty(), new Declare(j, Const.of(0)), new Binary(BinOp.LT, new Local(j), new Local(cols)),
                new Assign(j, new Binary(BinOp.ADD, new Local(j), Const.of(1))), inner);
        For rowLoop = new For(Optional.empty(), new Declare(r, Const.of(0)), new Binary(BinOp.LT, new Local(r), new Local(rows)),
                new Assign(r, new Binary(BinOp.ADD, new Local(r), Const.of(1))), colLoop);
        MethodDef apply = new MethodDef("apply", JType.VOID, List.of(c, offset, ldc, rows, cols), Block.of(rowLoop), true);
        return Optional.of(new ClassDef(className, "dev.kiln.generated", Object.class, List.of(GemmEpilogue.class), List.of(), List.of(apply)));
    }
}
