package dev.kiln.ir.eval;

import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference semantics of {@link Infer}: each row alone, as a batch of one, through the tensor
 * interpreter. The executor batches rows; this is what it is checked against.
 */
public final class InferRows {
    private InferRows() {}

    static List<Object[]> run(Infer inf, List<Object[]> rows) {
        return rows.stream().map(r -> row(inf, r)).toList();
    }

    static Object[] row(Infer inf, Object[] r) {
        Object[] out = Arrays.copyOf(r, r.length + inf.outputs().size());
        Map<String, Tensor> inputs = new HashMap<>();
        List<TensorValue> modelInputs = inf.model().graph().inputs();
        for (int a = 0; a < inf.args().size(); a++) {
            Object v = r[inf.args().get(a)];
            if (v == null) return out; // NULL in, NULL out
            inputs.put(modelInputs.get(a).name(), batchOfOne(v, modelInputs.get(a)));
        }
        Map<String, Tensor> results = TensorInterpreter.run(inf.model().graph(), inputs);
        for (int j = 0; j < inf.outputs().size(); j++) {
            Tensor t = results.get(inf.outputs().get(j).modelOutput());
            long[] shape = t.shape();
            out[r.length + j] = Infer.cell(t.reshape(Arrays.copyOfRange(shape, 1, shape.length)));
        }
        return out;
    }

    /** A row's value as the model input's batch of one: a tensor with a leading 1, or a number as [1] or [1, 1]. */
    public static Tensor batchOfOne(Object v, TensorValue input) {
        int rank = input.type().rank();
        ElementType type = input.type().element();
        if (v instanceof Tensor t) {
            long[] shape = new long[t.rank() + 1];
            shape[0] = 1;
            System.arraycopy(t.shape(), 0, shape, 1, t.rank());
            return t.reshape(shape);
        }
        long[] shape = rank == 1 ? new long[] {1} : new long[] {1, 1};
        Tensor.Builder b = Tensor.builder(type, shape);
        if (type.isFloating()) {
            b.setDouble(0, ((Number) (v instanceof java.math.BigDecimal d ? d.doubleValue() : v)).doubleValue());
        } else {
            b.setLong(0, ((Number) v).longValue());
        }
        return b.build();
    }
}
