package dev.kiln.ir.rel;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference: every input row with the model's outputs for it appended. Each row is one sample:
 * the model's inputs have the batch as their first dimension, and the row gives, for model input
 * i, column {@code args[i]} - a tensor of the input's shape without the batch dimension, or a
 * number where that shape is empty or [1]. Output column j holds model output
 * {@code outputs[j].modelOutput} for the row, without the batch dimension; it is NULL when an
 * argument is NULL. Rows are independent, so the executor may run them in batches of its choice.
 *
 * <p>A plan node rather than a scalar function so that the optimizer sees inference as the
 * expensive, batchable operator it is: filters that do not read its outputs go below it, unused
 * outputs are pruned, and the executor batches rows.
 */
public record Infer(Rel input, ModelRef model, List<Integer> args, List<Output> outputs) implements Rel {
    /** @param modelOutput the graph output's name; @param name the column's */
    public record Output(String modelOutput, String name) {}

    public Infer {
        args = List.copyOf(args);
        outputs = List.copyOf(outputs);
    }

    @Override
    public Schema schema() {
        List<Field> fields = new ArrayList<>(input.schema().fields());
        boolean nullable = args.stream().anyMatch(a -> input.schema().field(a).nullable());
        for (Output o : outputs) fields.add(new Field(o.name(), columnType(rowType(graphOutput(o.modelOutput()).type())), nullable));
        return new Schema(fields);
    }

    /**
     * The column type of an output whose row value has this type: a SQL scalar where it is a single
     * value (a model output [batch] of float, integer, bool or string: a class index, a label, a
     * score, which queries filter and group on), a TENSOR otherwise.
     */
    public static DataType columnType(TensorType row) {
        if (row.rank() == 0) {
            switch (row.element()) {
                case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> { return DataType.DOUBLE; }
                case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> { return DataType.BIGINT; }
                case BOOL -> { return DataType.BOOLEAN; }
                case STRING -> { return DataType.VARCHAR; }
                default -> { }
            }
        }
        return new DataType.TensorType(row);
    }

    /** A row's output value as its column holds it (see {@link #columnType}). */
    public static Object cell(dev.kiln.ir.tensor.Tensor row) {
        if (!(columnType(row.tensorType()) instanceof DataType.TensorType)) {
            return switch (row.type()) {
                case STRING -> row.getString(0);
                case BOOL -> row.getBool(0);
                default -> row.type().isFloating() ? (Object) row.getDouble(0) : (Object) row.getLong(0);
            };
        }
        return row;
    }

    /** The graph output called {@code name}. */
    public TensorValue graphOutput(String name) {
        for (TensorValue v : model.graph().outputs()) if (v.name().equals(name)) return v;
        throw new IllegalArgumentException("model " + model.name() + " has no output " + name + "; its outputs are "
                + model.graph().outputs().stream().map(TensorValue::name).toList());
    }

    /** A batched value's type for one row: without its first (batch) dimension. */
    public static TensorType rowType(TensorType batched) {
        List<Dim> dims = batched.shape().dims();
        return new TensorType(batched.element(), new TensorShape(dims.isEmpty() ? dims : dims.subList(1, dims.size())));
    }

    @Override
    public List<Rel> inputs() {
        return List.of(input);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Infer(newInputs.getFirst(), model, args, outputs);
    }
}
