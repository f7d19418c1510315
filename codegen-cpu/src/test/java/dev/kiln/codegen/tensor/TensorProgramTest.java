package dev.kiln.codegen.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.Workers;
import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole graphs compiled and run against the interpreter on the unoptimized graph. */
class TensorProgramTest {
    static Map<String, Tensor> runCompiled(TensorGraph g, String input, Tensor x, int threads, Backend backend) {
        try (Workers w = new Workers(threads);
             TensorProgram p = TensorCompiler.compile(TensorOptimizer.optimize(g), Map.of(input, x.shape()), w, backend)) {
            return p.run(Map.of(input, x));
        }
    }

    static void check(TensorGraph g, String input, Tensor x) {
        Tensor want = TensorInterpreter.run(g, Map.of(input, x)).values().iterator().next();
        for (int threads : new int[] {1, 2}) {
            for (Backend b : Backend.values()) {
                Tensor got = runCompiled(g, input, x, threads, b).values().iterator().next();
                Oracle.assertClose(want, got, g.name() + " on " + threads + " threads, " + b);
            }
        }
    }

    @Test
    void smallCnnMatchesInterpreter() {
        TensorGraph g = Graphs.cnn(7, 32);
        Graphs r = new Graphs(8);
        check(g, "image", r.random(1f, 1, 3, 32, 32));
        check(g, "image", r.random(1f, 3, 3, 32, 32));
    }

    @Test
    void bertLayerMatchesInterpreter() {
        TensorGraph g = Graphs.bertLayer(11, 16, 64, 4, 128);
        check(g, "hidden", new Graphs(12).random(1f, 2, 16, 64));
    }

    @Test
    void optimizerFusesWhatTheKernelsExpect() {
        TensorGraph opt = TensorOptimizer.optimize(Graphs.bertLayer(11, 16, 64, 4, 128));
        long matmulBias = opt.nodes().stream().filter(n -> n.op() instanceof FusedOp.MatMulBias).count();
        long chains = opt.nodes().stream().filter(n -> n.op() instanceof FusedOp.ElementwiseChain).count();
        assertEquals(7, matmulBias, "Q, K, V, output, FFN in and out projections take their bias, the scores' product its scale");
        assertTrue(opt.nodes().stream().anyMatch(n -> n.op() instanceof FusedOp.MatMulBias m
                && m.activation() instanceof dev.kiln.ir.tensor.Activation.Scalar s && s.fn() == dev.kiln.ir.tensor.ElementwiseOp.BinaryFn.DIV),
                "the scores' division by a scalar (the scale) fused into their MatMul");
        assertTrue(opt.nodes().stream().anyMatch(n -> n.op() instanceof FusedOp.MatMulBias m
                && m.activation() instanceof dev.kiln.ir.tensor.Activation.Gelu), "the written-out Gelu is fused into the FFN MatMul");
        // the two written-out layer norms become LayerNormalization nodes; with the scale in the scores' MatMul, the mask's Add
        // is a single op, and no chain is left
        assertEquals(2, opt.nodes().stream().filter(n -> n.op() instanceof dev.kiln.ir.tensor.NeuralOp.LayerNormalization).count(), "layer norms recognized");
        assertEquals(0, chains, "elementwise chains");
        TensorGraph cnn = TensorOptimizer.optimize(Graphs.cnn(7, 32));
        assertTrue(cnn.nodes().stream().noneMatch(n -> n.op() instanceof dev.kiln.ir.tensor.NeuralOp.BatchNormalization), "batch norms folded");
    }

    @Test
    void memoryIsFreedOnCloseAndUseAfterCloseFails() {
        int before = dev.kiln.runtime.tensor.TensorMemory.openCount();
        TensorGraph g = Graphs.cnn(7, 16);
        TensorProgram p = TensorCompiler.compile(TensorOptimizer.optimize(g), Map.of("image", new long[] {1, 3, 16, 16}), Workers.single());
        assertEquals(before + 1, dev.kiln.runtime.tensor.TensorMemory.openCount());
        var out = p.output(p.run(Map.of("image", new Graphs(1).random(1f, 1, 3, 16, 16))).keySet().iterator().next());
        p.close();
        assertEquals(before, dev.kiln.runtime.tensor.TensorMemory.openCount(), "every tensor memory closed");
        assertThrows(IllegalStateException.class, () -> out.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
    }

    @Test
    void unsupportedOpsAreErrorsNamingTheNode() {
        Graphs b = new Graphs(1);
        var in = new dev.kiln.ir.tensor.TensorValue("x", dev.kiln.ir.tensor.TensorType.of(dev.kiln.ir.tensor.ElementType.FLOAT32, 4, 5));
        String y = b.node(new dev.kiln.ir.tensor.ReductionOp.TopK(-1, true, true), "x", b.constant(Tensor.vector(2)));
        TensorGraph g = new TensorGraph("topk", java.util.List.of(in), java.util.List.of(), b.nodes, b.inits);
        int before = dev.kiln.runtime.tensor.TensorMemory.openCount();
        var e = assertThrows(RuntimeException.class, () -> TensorCompiler.compile(g, Map.of(), Workers.single()));
        assertTrue(e.getMessage().contains("TopK") || e.getMessage().contains("outputs"), e.getMessage());
        assertEquals(before, dev.kiln.runtime.tensor.TensorMemory.openCount(), "a failed compile frees its memory");
    }

    @Test
    void explainShowsTheGeneratedSource() {
        try (TensorProgram p = TensorCompiler.compile(TensorOptimizer.optimize(Graphs.bertLayer(3, 8, 32, 2, 64)),
                Map.of("hidden", new long[] {1, 8, 32}), Workers.single())) {
            String src = p.explain();
            assertTrue(src.contains("extends dev.kiln.codegen.tensor.ElementwiseKernel"), src);
            assertTrue(src.contains("ChainBlocks.add("), src);
            assertTrue(src.contains("epilogue Gelu[approximate=NONE] on each finished tile"), src);
            assertTrue(src.contains("GEMM M=8 K=32 N=64"), src);
        }
    }

    @SuppressWarnings("unused")
    private static final Random UNUSED = new Random();
}
