package dev.kiln.codegen.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.emit.ExprTrees.Inputs;
import dev.kiln.codegen.tree.*;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random typed expressions: ASM, Janino and a direct Java evaluation of the tree must agree bit for bit. */
class ExprPropertyTest {
    private static final String[] METHODS = {"l", "i", "d", "z"};

    @Property(tries = 150)
    void backendsAgreeWithTheInterpreter(@ForAll("trees") JExpr tree, @ForAll("inputLists") List<Inputs> inputs) {
        ClassDef def = classFor(tree);
        List<Fns.ExprFn> fns = Both.instances(def, Fns.ExprFn.class);
        for (Inputs in : inputs) {
            Object want = ExprTrees.eval(tree, in.env());
            for (int k = 0; k < fns.size(); k++) {
                assertEquals(want, call(fns.get(k), tree.type(), in), (k == 0 ? "ASM" : "Janino") + " on " + in + "\n" + JavaSourcePrinter.print(def));
            }
        }
    }

    private static Object call(Fns.ExprFn f, JType t, Inputs in) {
        if (t.equals(JType.LONG)) return f.l(in.a(), in.b(), in.i(), in.j(), in.x(), in.y(), in.p(), in.q());
        if (t.equals(JType.INT)) return f.i(in.a(), in.b(), in.i(), in.j(), in.x(), in.y(), in.p(), in.q());
        if (t.equals(JType.DOUBLE)) return f.d(in.a(), in.b(), in.i(), in.j(), in.x(), in.y(), in.p(), in.q());
        return f.z(in.a(), in.b(), in.i(), in.j(), in.x(), in.y(), in.p(), in.q());
    }

    /** A class whose method of the tree's type returns the tree; the other three return a constant. */
    private static ClassDef classFor(JExpr tree) {
        List<MethodDef> ms = new ArrayList<>();
        List<JExpr> zeros = List.of(Const.of(0L), Const.of(0), Const.of(0.0), Const.of(false));
        for (int k = 0; k < 4; k++) {
            JType t = ExprTrees.TYPES.get(k);
            JExpr body = t.equals(tree.type()) ? tree : zeros.get(k);
            ms.add(new MethodDef(METHODS[k], t, ExprTrees.PARAMS, Block.of(Return.of(body)), true));
        }
        return new ClassDef("Expr", Both.PKG, Object.class, List.of(Fns.ExprFn.class), List.of(), ms);
    }

    @Provide
    Arbitrary<JExpr> trees() {
        return Arbitraries.of(ExprTrees.TYPES).flatMap(t -> Arbitraries.randomValue(r -> ExprTrees.gen(t, 5, r)));
    }

    @Provide
    Arbitrary<List<Inputs>> inputLists() {
        return inputs().list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<Inputs> inputs() {
        Arbitrary<Long> longs = Arbitraries.longs();
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Double> doubles = Arbitraries.doubles().withStandardSpecialValues();
        Arbitrary<Boolean> bools = Arbitraries.of(true, false);
        return Combinators.combine(longs, longs, ints, ints, doubles, doubles, bools, bools).as(Inputs::new);
    }
}
