package dev.kiln.codegen.tensor;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.tensor.Activation;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorShapeInference;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.runtime.tensor.DataMovement;
import dev.kiln.runtime.tensor.Pool2d;
import dev.kiln.runtime.tensor.RowKernels;
import dev.kiln.runtime.tensor.TensorMemory;
import dev.kiln.runtime.tensor.TensorThreads;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles an (optimized) float32 tensor graph for fixed input shapes into a {@link TensorProgram}:
 * binds the input shapes, types every value, plans the buffers, and builds one step per node:
 * generated loops for elementwise chains and GEMM epilogues, runtime kernels (Vector API GEMM,
 * implicit-GEMM convolution, pools, row kernels) for the rest. An op it cannot compile is a
 * {@link TensorCompileException} naming the node; there is no interpreted fallback.
 */
public final class TensorCompiler {
    private TensorCompiler() {}

    public static TensorProgram compile(TensorGraph g, Map<String, long[]> inputShapes, TensorThreads threads) {
        return compile(g, inputShapes, threads, Backend.ASM);
    }

    public static TensorProgram compile(TensorGraph g, Map<String, long[]> inputShapes, TensorThreads threads, Backend backend) {
        TensorGraph bound = bind(g, inputShapes);
        TensorShapeInference.Result types = TensorShapeInference.infer(bound);
        Map<String, Tensor> constants = new HashMap<>(types.constants());
        checkElementTypes(bound, types, constants);
        Map<String, Long> sizes = new HashMap<>();
        types.types().forEach((name, t) -> {
            if (!constants.containsKey(name)) sizes.put(name, t.shape().elementCount().orElseThrow() * CompileContext.wordsPerElement(t.element()));
        });
        TensorMemory memory = new TensorMemory();
        try {
            MemoryPlan plan = new MemoryPlan(bound, sizes, constants.keySet(), memory);
            StringBuilder explain = new StringBuilder("// tensor program ").append(g.name()).append(": ").append(plan.bufferCount())
                    .append(" buffers, ").append(plan.totalFloats() * 4 / 1024).append(" KiB\n");
            CompileContext cx = new CompileContext(types, constants, plan, memory, backend, explain);
            List<TensorStep> steps = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (TensorNode n : bound.nodes()) {
                if (n.outputs().stream().allMatch(constants::containsKey)) continue;
                Optional<TensorStep> s = step(cx, n);
                if (s.isPresent()) {
                    steps.add(s.get());
                    labels.add(n.describe());
                }
            }
            Map<String, MemorySegment> ins = new LinkedHashMap<>(), outs = new LinkedHashMap<>();
            Map<String, long[]> shapes = new HashMap<>();
            for (TensorValue v : bound.inputs()) ins.put(v.name(), plan.segment(v.name()));
            for (TensorValue v : bound.outputs()) {
                if (constants.containsKey(v.name())) throw new TensorCompileException("output '" + v.name() + "' is a constant");
                outs.put(v.name(), plan.segment(v.name()));
            }
            Map<String, ElementType> elements = new HashMap<>();
            types.types().forEach((name, t) -> {
                shapes.put(name, t.shape().sizes().orElseThrow());
                elements.put(name, t.element());
            });
            return new TensorProgram(memory, steps, labels, ins, outs, shapes, elements, explain.toString(), threads);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    /**
     * Computed values are float32, except int64 token ids and masks, which only views, Cast and
     * Gather (as indices) may read; anything else on them is refused here, naming the node.
     */
    private static void checkElementTypes(TensorGraph g, TensorShapeInference.Result types, Map<String, Tensor> constants) {
        for (TensorValue v : g.inputs()) {
            ElementType e = types.type(v.name()).element();
            if (e != ElementType.FLOAT32 && e != ElementType.INT64) throw new TensorCompileException("input '" + v.name() + "' is " + e + "; only float32 and int64 are compiled");
        }
        for (TensorNode n : g.nodes()) {
            if (n.outputs().stream().allMatch(constants::containsKey)) continue;
            boolean integerOk = MemoryPlan.isView(n) || n.op() instanceof ElementwiseOp.Cast || n.op() instanceof LayoutOp.Gather;
            for (String out : n.outputs()) {
                ElementType e = types.type(out).element();
                if (e != ElementType.FLOAT32 && !(e == ElementType.INT64 && MemoryPlan.isView(n))) {
                    throw new TensorCompileException("node " + n.describe() + ": only float32 values (and views of int64 inputs) are compiled, not " + types.type(out));
                }
            }
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.input(i).orElse(null);
                if (in == null || constants.containsKey(in)) continue;
                ElementType e = types.type(in).element();
                if (e != ElementType.FLOAT32 && !(e == ElementType.INT64 && integerOk)) {
                    throw new TensorCompileException("node " + n.describe() + ": input " + i + " '" + in + "' is " + types.type(in) + "; this op is compiled for float32 only");
                }
            }
        }
    }

    /** The graph with its inputs' symbolic dims replaced by the given sizes. */
    private static TensorGraph bind(TensorGraph g, Map<String, long[]> inputShapes) {
        List<TensorValue> inputs = new ArrayList<>();
        for (TensorValue v : g.inputs()) {
            long[] s = inputShapes.get(v.name());
            if (s == null) {
                if (!v.type().shape().isStatic()) throw new TensorCompileException("input '" + v.name() + "' " + v.type() + " needs a shape");
                inputs.add(v);
            } else {
                inputs.add(new TensorValue(v.name(), new TensorType(v.type().element(), TensorShape.of(s))));
            }
        }
        return new TensorGraph(g.name(), inputs, g.outputs(), g.nodes(), g.initializers());
    }

    private static Optional<TensorStep> step(CompileContext cx, TensorNode n) {
        return Optional.ofNullable(switch (n.op()) {
            case FusedOp.ConvActivation c -> NeuralSteps.conv(cx, n, c.conv(), c.activation());
            case FusedOp.GemmActivation g -> NeuralSteps.gemm(cx, n, g.gemm(), g.activation());
            case FusedOp.MatMulBias m -> NeuralSteps.matmul(cx, n, m.activation());
            case FusedOp.ElementwiseChain ch -> elementwise(cx, n, ch);
            case FusedOp.ResizeNormalize rn -> NativeKernels.compiled(cx, n, rn);
            case NeuralOp.Conv c -> NeuralSteps.conv(cx, n, c, new Activation.None());
            case NeuralOp.Gemm g -> NeuralSteps.gemm(cx, n, g, new Activation.None());
            case NeuralOp.ConvTranspose c -> NeuralSteps.convTranspose(cx, n, c);
            case NeuralOp.BatchNormalization bn -> NeuralSteps.batchNorm(cx, n, bn);
            case NeuralOp.MatMul m -> NeuralSteps.matmul(cx, n, new Activation.None());
            case NeuralOp.MaxPool p when n.outputs().size() > 1 -> throw new TensorCompileException(n.describe() + ": MaxPool's Indices output is not compiled");
            case NeuralOp.MaxPool p -> NeuralSteps.pool(cx, n, p.window(), p.ceilMode(), true, false);
            case NeuralOp.AveragePool p -> NeuralSteps.pool(cx, n, p.window(), p.ceilMode(), false, p.countIncludePad());
            case NeuralOp.GlobalAveragePool p -> {
                long[] xs = cx.shape(n.input(0).get());
                MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
                int hw = (int) ElementwiseCodegen.count(java.util.Arrays.copyOfRange(xs, 2, xs.length));
                yield (TensorStep) t -> Pool2d.globalAverage(t, x, y, xs[0] * xs[1], hw);
            }
            case NeuralOp.Softmax s -> {
                long[] xs = cx.shape(n.input(0).get());
                requireLastAxis(n, s.axis(), xs.length);
                MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
                int cols = (int) xs[xs.length - 1];
                long rows = ElementwiseCodegen.count(xs) / cols;
                yield (TensorStep) t -> RowKernels.softmax(t, x, y, rows, cols);
            }
            case NeuralOp.LayerNormalization l -> {
                long[] xs = cx.shape(n.input(0).get());
                requireLastAxis(n, l.axis(), xs.length);
                if (n.outputs().size() != 1) throw new TensorCompileException(n.describe() + ": only the Y output is compiled");
                int cols = (int) xs[xs.length - 1];
                float[] scale = broadcastRow(cx, n, 1, cols), bias = n.input(2).isPresent() ? broadcastRow(cx, n, 2, cols) : new float[0];
                MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
                long rows = ElementwiseCodegen.count(xs) / cols;
                yield (TensorStep) t -> RowKernels.layerNorm(t, x, y, rows, cols, scale, bias, l.epsilon());
            }
            case ReductionOp.Reduce r when r.fn() == ReductionOp.ReduceFn.MEAN || r.fn() == ReductionOp.ReduceFn.SUM -> {
                long[] xs = cx.shape(n.input(0).get());
                long[] axes = n.input(1).flatMap(cx::constant).map(Tensor::toLongArray).orElse(new long[0]);
                if (axes.length != 1 || TensorShape.normalizeAxis(axes[0], xs.length) != xs.length - 1) {
                    throw new TensorCompileException(n.describe() + ": only reductions over the last axis are compiled");
                }
                MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
                int cols = (int) xs[xs.length - 1];
                long rows = ElementwiseCodegen.count(xs) / cols;
                boolean mean = r.fn() == ReductionOp.ReduceFn.MEAN;
                yield (TensorStep) t -> RowKernels.reduce(t, x, y, rows, cols, mean);
            }
            case LayoutOp.Transpose tr -> {
                long[] xs = cx.shape(n.input(0).get());
                int[] perm = new int[xs.length];
                for (int i = 0; i < perm.length; i++) perm[i] = tr.perm().isEmpty() ? perm.length - 1 - i : TensorShape.normalizeAxis(tr.perm().get(i), perm.length);
                MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
                yield (TensorStep) t -> DataMovement.transpose(t, x, y, xs, perm);
            }
            case LayoutOp.Concat c -> {
                long[] ys = cx.shape(n.outputs().getFirst());
                int axis = TensorShape.normalizeAxis(c.axis(), ys.length);
                long outer = ElementwiseCodegen.count(java.util.Arrays.copyOf(ys, axis));
                MemorySegment[] parts = new MemorySegment[n.inputs().size()];
                long[] blocks = new long[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = cx.segment(n.input(i).get());
                    blocks[i] = ElementwiseCodegen.count(cx.shape(n.input(i).get())) / outer;
                }
                MemorySegment y = cx.segment(n.outputs().getFirst());
                yield (TensorStep) t -> DataMovement.concat(parts, blocks, y, outer);
            }
            case LayoutOp.Gather g -> IndexingSteps.gather(cx, n, g);
            case LayoutOp.Slice sl -> LayoutSteps.slice(cx, n);
            case LayoutOp.Resize rs -> LayoutSteps.resize(cx, n, rs);
            case LayoutOp.Pad p -> LayoutSteps.pad(cx, n, p);
            case ElementwiseOp.Cast c -> IndexingSteps.cast(cx, n, c);
            case LayoutOp op when MemoryPlan.isView(n) -> null;
            case ElementwiseOp.Identity id -> null;
            // Sum of float tensors (Keras' Add layer): a chain of additions, broadcasting as the elementwise loops do
            case ElementwiseOp.Variadic v when v.fn() == ElementwiseOp.VariadicFn.SUM && n.inputs().size() >= 2
                    && cx.element(n.outputs().getFirst()) == dev.kiln.ir.tensor.ElementType.FLOAT32 -> {
                List<FusedOp.ChainStep> steps = new ArrayList<>();
                steps.add(new FusedOp.ChainStep(new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.ADD), List.of(new FusedOp.ChainArg.Input(0), new FusedOp.ChainArg.Input(1))));
                for (int i = 2; i < n.inputs().size(); i++) {
                    steps.add(new FusedOp.ChainStep(new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.ADD), List.of(new FusedOp.ChainArg.Step(i - 2), new FusedOp.ChainArg.Input(i))));
                }
                yield elementwise(cx, n, new FusedOp.ElementwiseChain(steps));
            }
            case ElementwiseOp op when isChainable(op) -> elementwise(cx, n, new FusedOp.ElementwiseChain(List.of(new FusedOp.ChainStep(op,
                    java.util.stream.IntStream.range(0, n.inputs().size()).<FusedOp.ChainArg>mapToObj(FusedOp.ChainArg.Input::new).toList()))));
            default -> throw new TensorCompileException("node " + n.describe() + " is not supported by the CPU tensor backend");
        });
    }

    private static boolean isChainable(ElementwiseOp op) {
        return switch (op) {
            case ElementwiseOp.Unary u -> u.fn() != ElementwiseOp.UnaryFn.NOT;
            case ElementwiseOp.Binary b -> !b.fn().isComparison() && !b.fn().isLogical();
            case ElementwiseOp.LeakyRelu l -> true;
            case ElementwiseOp.HardSigmoid h -> true;
            case ElementwiseOp.Gelu g -> true;
            case ElementwiseOp.Clip c -> true;
            default -> false;
        };
    }

    private static void requireLastAxis(TensorNode n, long axis, int rank) {
        if (TensorShape.normalizeAxis(axis, rank) != rank - 1) throw new TensorCompileException(n.describe() + ": only the last axis is compiled");
    }

    /** A constant that varies only along the last axis, as one row of {@code cols}. */
    private static float[] broadcastRow(CompileContext cx, TensorNode n, int input, int cols) {
        Tensor t = cx.constant(n.input(input).get()).orElseThrow(() -> new TensorCompileException(n.describe() + ": input " + input + " must be constant"));
        float[] row = new float[cols];
        for (int j = 0; j < cols; j++) row[j] = (float) t.getDouble(t.size() == 1 ? 0 : j % t.size());
        if (t.size() != 1 && t.size() != cols) throw new TensorCompileException(n.describe() + ": input " + input + " must be one value per column");
        return row;
    }

    private static TensorStep elementwise(CompileContext cx, TensorNode n, FusedOp.ElementwiseChain chain) {
        List<long[]> inShapes = new ArrayList<>();
        Map<Integer, Tensor> scalars = new HashMap<>();
        MemorySegment[] ins = new MemorySegment[n.inputs().size()];
        for (int i = 0; i < ins.length; i++) {
            String v = n.input(i).get();
            inShapes.add(cx.shape(v));
            Optional<Tensor> c = cx.constant(v);
            if (c.isPresent() && c.get().size() == 1) scalars.put(i, c.get());
            else ins[i] = cx.segment(v);
        }
        long[] ys = cx.shape(n.outputs().getFirst());
        ElementwiseKernel k = (ElementwiseKernel) cx.instantiate(ElementwiseCodegen.generate(cx.className("Elementwise"), chain, inShapes, ys, scalars), n);
        MemorySegment y = cx.segment(n.outputs().getFirst());
        long total = ElementwiseCodegen.count(ys);
        return t -> t.forWork(total, TensorThreads.MEMORY_PASS, (a, b) -> k.run(ins, y, a, b));
    }
}
