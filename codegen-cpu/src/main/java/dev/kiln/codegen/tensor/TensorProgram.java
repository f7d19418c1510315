package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.tensor.TensorMemory;
import dev.kiln.runtime.tensor.TensorThreads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor graph compiled for fixed input shapes: its buffers (planned by liveness, in one
 * {@link TensorMemory}), packed weights, generated elementwise loops and GEMM epilogues, and the
 * kernel calls in order. {@link #run()} reads the input buffers and writes the output buffers in
 * place; {@link #run(Map)} copies heap tensors in and out. Not thread-safe: one run at a time (each
 * run uses all of its threads). Closing frees all off-heap memory.
 */
public final class TensorProgram implements AutoCloseable {
    private final TensorMemory memory;
    private final List<TensorStep> steps;
    private final List<String> labels;
    private final Map<String, MemorySegment> inputs, outputs;
    private final Map<String, long[]> shapes;
    private final Map<String, ElementType> elements;
    private final String explain;
    private TensorThreads threads;

    TensorProgram(TensorMemory memory, List<TensorStep> steps, List<String> labels, Map<String, MemorySegment> inputs, Map<String, MemorySegment> outputs,
                  Map<String, long[]> shapes, Map<String, ElementType> elements, String explain, TensorThreads threads) {
        this.memory = memory;
        this.steps = List.copyOf(steps);
        this.labels = List.copyOf(labels);
        this.inputs = inputs;
        this.outputs = outputs;
        this.shapes = shapes;
        this.elements = elements;
        this.explain = explain;
        this.threads = threads;
    }

    /** Runs every kernel once over the current contents of the input buffers. */
    public void run() {
        for (TensorStep s : steps) s.run(threads);
    }

    /** Runs once, timing each kernel: node description → milliseconds, in order (for tuning, not the hot path). */
    public Map<String, Double> profile() {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            long t0 = System.nanoTime();
            steps.get(i).run(threads);
            ms.merge(labels.get(i), (System.nanoTime() - t0) / 1e6, Double::sum);
        }
        return ms;
    }

    /** Copies the inputs in (float32 or int64, as the graph declares them), runs, and copies the outputs out, in the graph's order. */
    public Map<String, Tensor> run(Map<String, Tensor> in) {
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            MemorySegment seg = input(e.getKey());
            Tensor t = e.getValue();
            ElementType want = elements.get(e.getKey());
            if (t.type() != want || !java.util.Arrays.equals(t.shape(), shapes.get(e.getKey()))) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' must be " + want + java.util.Arrays.toString(shapes.get(e.getKey()))
                        + ", not " + t.tensorType());
            }
            if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
                t.write(0, t.size(), seg, 0); // kernels read native order; Tensor.write writes little-endian
            } else if (want == ElementType.INT64) {
                MemorySegment.copy(t.toLongArray(), 0, seg, ValueLayout.JAVA_LONG, 0, t.size());
            } else {
                for (int i = 0; i < t.size(); i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) t.getDouble(i));
            }
        }
        run();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, MemorySegment> e : outputs.entrySet()) {
            long[] shape = shapes.get(e.getKey());
            int n = (int) ElementwiseCodegen.count(shape);
            if (elements.get(e.getKey()) == ElementType.INT64) {
                long[] values = new long[n];
                MemorySegment.copy(e.getValue(), ValueLayout.JAVA_LONG, 0, values, 0, n);
                out.put(e.getKey(), Tensor.int64(shape, values));
            } else {
                float[] values = new float[n];
                MemorySegment.copy(e.getValue(), ValueLayout.JAVA_FLOAT, 0, values, 0, n);
                out.put(e.getKey(), Tensor.floats(shape, values));
            }
        }
        return out;
    }

    public MemorySegment input(String name) {
        MemorySegment s = inputs.get(name);
        if (s == null) throw new IllegalArgumentException("no input '" + name + "'; inputs are " + inputs.keySet());
        return s;
    }

    public MemorySegment output(String name) {
        MemorySegment s = outputs.get(name);
        if (s == null) throw new IllegalArgumentException("no output '" + name + "'; outputs are " + outputs.keySet());
        return s;
    }

    public long[] shape(String value) {
        return shapes.get(value).clone();
    }

    /** The threads later runs split their kernels over. */
    public void threads(TensorThreads threads) {
        this.threads = threads;
    }

    /** Off-heap bytes this program holds: weights, packed operands' copies, buffers. */
    public long offHeapBytes() {
        return memory.bytes();
    }

    /** The kernel plan and the Java source of every generated class, for EXPLAIN CODEGEN. */
    public String explain() {
        return explain;
    }

    @Override
    public void close() {
        memory.close();
    }
}
