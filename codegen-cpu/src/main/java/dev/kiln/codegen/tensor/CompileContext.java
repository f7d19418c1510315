package dev.kiln.codegen.tensor;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.codegen.emit.ClassCompiler;
import dev.kiln.codegen.emit.JavaSourcePrinter;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShapeInference;
import dev.kiln.runtime.tensor.TensorMemory;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Optional;

/** What step builders need while compiling one graph: shapes, constants, buffers, and the class compiler. */
final class CompileContext {
    final TensorShapeInference.Result types;
    final Map<String, Tensor> constants;
    final MemoryPlan plan;
    final TensorMemory memory;
    final Backend backend;
    final StringBuilder explain;
    private int classes;

    CompileContext(TensorShapeInference.Result types, Map<String, Tensor> constants, MemoryPlan plan, TensorMemory memory,
                   Backend backend, StringBuilder explain) {
        this.types = types;
        this.constants = constants;
        this.plan = plan;
        this.memory = memory;
        this.backend = backend;
        this.explain = explain;
    }

    long[] shape(String value) {
        return types.type(value).shape().sizes().orElseThrow(() -> new IllegalStateException("shape of " + value + " unresolved"));
    }

    Optional<Tensor> constant(String value) {
        return Optional.ofNullable(constants.get(value));
    }

    dev.kiln.ir.tensor.ElementType element(String value) {
        return types.type(value).element();
    }

    /** Buffer sizes are planned in 4-byte words: int64 values take two. */
    static int wordsPerElement(dev.kiln.ir.tensor.ElementType e) {
        return switch (e) {
            case FLOAT32 -> 1;
            case INT64 -> 2;
            default -> throw new TensorCompileException("values of type " + e + " are not compiled");
        };
    }

    /** The buffer of an int64 value, or an int64 constant copied off-heap once. */
    MemorySegment longSegment(String value) {
        Tensor c = constants.get(value);
        return c != null ? IndexingSteps.longs(this, c) : plan.segment(value);
    }

    /** The buffer of a computed value, or a constant copied off-heap once. */
    MemorySegment segment(String value) {
        Tensor c = constants.get(value);
        return c != null ? memory.copyOf(floats(c)) : plan.segment(value);
    }

    static float[] floats(Tensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
        return f;
    }

    /** Compiles a generated class and records its source for explain(). */
    Object instantiate(ClassDef def, TensorNode node) {
        explain.append("// ").append(node.describe()).append('\n').append(JavaSourcePrinter.print(def)).append('\n');
        Class<?> c = ClassCompiler.compile(def, backend, getClass().getClassLoader());
        try {
            return c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate generated " + def.fqcn(), e);
        }
    }

    String className(String prefix) {
        return prefix + (classes++) + "_" + Integer.toHexString(System.identityHashCode(this));
    }
}
