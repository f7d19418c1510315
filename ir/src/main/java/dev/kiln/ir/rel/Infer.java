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
 * number where that shape is empty or [1], or a VARCHAR for a STRING input of shape [batch] (a
 * text model's). Output column j holds model output {@code outputs[j].modelOutput} for the row,
 * without the batch dimension - a VARCHAR where that leaves one STRING (a decoder's text); it is
 * NULL when an argument is NULL. Rows are independent, so the executor may run them in batches of its choice.
 *
 * <p>A plan node rather than a scalar function so that the optimizer sees inference as the
 * expensive, batchable operator it is: filters that do not read its outputs go below it, unused
 * outputs are pruned, and the executor batches rows.
 *
 * <p>With a {@link Prelude}, a second model runs first: the arguments are the prelude model's, and
 * each row's prelude output is the model's single input - what an Infer over the Infer of the
 * prelude gives, without the intermediate column (an image's preprocessed pixels are written
 * straight into the model's batch; see the optimizer's column pruning, which fuses the two).
 */
public record Infer(Rel input, ModelRef model, List<Integer> args, List<Output> outputs, java.util.Optional<Prelude> prelude) implements Rel {
    /** @param modelOutput the graph output's name; @param name the column's */
    public record Output(String modelOutput, String name) {}

    /** A per-row model run before {@link #model}: its output {@code output} feeds the model's one input. */
    public record Prelude(ModelRef model, String output) {
        public TensorValue graphOutput() {
            for (TensorValue v : model.graph().outputs()) if (v.name().equals(output)) return v;
            throw new IllegalArgumentException("model " + model.name() + " has no output " + output + "; its outputs are "
                    + model.graph().outputs().stream().map(TensorValue::name).toList());
        }
    }

    public Infer {
        args = List.copyOf(args);
        outputs = List.copyOf(outputs);
        if (prelude.isPresent() && model.graph().inputs().size() != 1) {
            throw new IllegalArgumentException("a prelude feeds a model of one input; model " + model.name() + " takes " + model.graph().inputs().size());
        }
    }

    public Infer(Rel input, ModelRef model, List<Integer> args, List<Output> outputs) {
        this(input, model, args, outputs, java.util.Optional.empty());
    }

    /** The model whose inputs the arguments are: the prelude's where there is one. */
    public ModelRef argumentModel() {
        return prelude.map(Prelude::model).orElse(model);
    }

    @Override
    public Schema schema() {
        List<Field> fields = new ArrayList<>(input.schema().fields());
        boolean nullable = args.stream().anyMatch(a -> input.schema().field(a).nullable());
        for (Output o : outputs) fields.add(new Field(o.name(), columnType(rowType(graphOutput(o.modelOutput()).type())), nullable));
        return new Schema(fields);
    }

    /**
     * The column type of a per-row output: a number where the row's value is a single element
     * (shape [] or [1]: a regression, a score), so that SQL can compare and aggregate it; else a
     * tensor.
     */
    public static DataType columnType(TensorType row) {
        if (!scalar(row)) return new DataType.TensorType(row);
        return switch (row.element()) {
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> DataType.DOUBLE;
            case BOOL -> DataType.BOOLEAN;
            case STRING -> DataType.VARCHAR;
            default -> DataType.BIGINT;
        };
    }

    /** Is a per-row value of this type a single element ([] or [1])? */
    public static boolean scalar(TensorType row) {
        return row.rank() == 0 || row.rank() == 1 && row.shape().dim(0).equals(Dim.of(1));
    }

    /** A per-row output value as its column holds it: the tensor, or its single element boxed as SQL values are. */
    public static Object columnValue(dev.kiln.ir.tensor.Tensor row, TensorType declared) {
        if (!scalar(declared)) return row;
        return switch (row.type()) {
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> row.getDouble(0);
            case BOOL -> row.getBool(0);
            case STRING -> row.getString(0);
            default -> row.getLong(0);
        };
    }

    /** The graph output called {@code name}. */
    public TensorValue graphOutput(String name) {
        for (TensorValue v : model.graph().outputs()) if (v.name().equals(name)) return v;
        throw new IllegalArgumentException("model " + model.name() + " has no output " + name + "; its outputs are "
                + model.graph().outputs().stream().map(TensorValue::name).toList());
    }

    /** One STRING per row: a text model's input or a decoder's output, a VARCHAR column. */
    public static boolean isText(TensorType row) {
        return row.element() == dev.kiln.ir.tensor.ElementType.STRING && row.rank() == 0;
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
        return new Infer(newInputs.getFirst(), model, args, outputs, prelude);
    }
}
