package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.runtime.tensor.TensorMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns every computed value a buffer, reusing buffers whose values are dead: a buffer is free
 * after the last node that reads any value in it, and a node's output takes the smallest free
 * buffer large enough (never one its own inputs live in, since those are read up to this node).
 * Reshape, Flatten, Squeeze, Unsqueeze and Identity do not copy: their output is a view of their
 * input's buffer. Graph inputs and outputs get buffers of their own that are never reused.
 */
final class MemoryPlan {
    private static final class Buffer {
        long floats;
        int lastUse;
        boolean pinned;
        MemorySegment segment;
    }

    private final Map<String, Buffer> bufferOf = new HashMap<>();
    private final List<Buffer> buffers = new ArrayList<>();

    static boolean isView(TensorNode n) {
        return n.op() instanceof LayoutOp.Reshape || n.op() instanceof LayoutOp.Flatten || n.op() instanceof LayoutOp.Squeeze
                || n.op() instanceof LayoutOp.Unsqueeze || n.op() instanceof ElementwiseOp.Identity;
    }

    MemoryPlan(TensorGraph g, Map<String, Long> sizes, Set<String> constants, TensorMemory memory) {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            for (Optional<String> in : g.nodes().get(i).inputs()) {
                int idx = i;
                in.ifPresent(v -> lastUse.put(v, idx));
            }
        }
        // A graph output must survive to the end: no later node may take its buffer.
        for (TensorValue out : g.outputs()) lastUse.put(out.name(), Integer.MAX_VALUE);
        for (TensorValue in : g.inputs()) pinned(in.name(), sizes.get(in.name()));
        for (int i = 0; i < g.nodes().size(); i++) {
            TensorNode n = g.nodes().get(i);
            if (isView(n) && !constants.contains(n.input(0).get())) {
                Buffer b = bufferOf.get(n.input(0).get());
                bufferOf.put(n.outputs().getFirst(), b);
                b.lastUse = Math.max(b.lastUse, lastUse.getOrDefault(n.outputs().getFirst(), i));
                continue;
            }
            for (String out : n.outputs()) {
                if (constants.contains(out)) continue;
                Buffer b = take(sizes.get(out), i);
                b.lastUse = Math.max(b.lastUse, lastUse.getOrDefault(out, i));
                bufferOf.put(out, b);
            }
        }
        for (Buffer b : buffers) b.segment = memory.allocateFloats(b.floats);
    }

    private void pinned(String name, long floats) {
        Buffer b = new Buffer();
        b.floats = floats;
        b.pinned = true;
        b.lastUse = Integer.MAX_VALUE;
        buffers.add(b);
        bufferOf.put(name, b);
    }

    private Buffer take(long floats, int node) {
        Buffer best = null;
        for (Buffer b : buffers) {
            if (b.pinned || b.lastUse >= node || b.floats < floats) continue;
            if (best == null || b.floats < best.floats) best = b;
        }
        if (best == null) {
            best = new Buffer();
            best.floats = floats;
            buffers.add(best);
        }
        best.lastUse = node;
        return best;
    }

    MemorySegment segment(String value) {
        Buffer b = bufferOf.get(value);
        if (b == null) throw new IllegalStateException("no buffer planned for " + value);
        return b.segment;
    }

    int bufferCount() { return buffers.size(); }

    long totalFloats() {
        return buffers.stream().mapToLong(b -> b.floats).sum();
    }
}
