package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.TextOp;
import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A transformer encoder (BERT-like: input_ids, attention_mask and optionally token_type_ids in,
 * per-token states out) made a function of text, as sentence-transformers runs it: the texts
 * tokenized (WordPiece, a batch padded to its longest row), the model, the token states pooled
 * - the mean over the tokens the attention mask keeps, or the [CLS] state - and optionally
 * L2-normalized. All of it one graph in the shared IR, input {@code text} STRING [N], output
 * {@code embedding} FLOAT32 [N, D]: the tokenizer is a node, not code around the model, so one
 * call runs a whole batch and the interpreter defines what a row's embedding is.
 */
final class TextModels {
    private TextModels() {}

    enum Pooling { MEAN, CLS, NONE }

    private static final Set<String> FEEDS = Set.of("input_ids", "attention_mask", "token_type_ids");

    static TensorGraph embedding(String name, TensorGraph model, WordPieceTokenizer tokenizer, int maxLength, Pooling pooling, boolean normalize, String output) {
        List<String> inputs = model.inputs().stream().map(TensorValue::name).toList();
        for (String i : inputs) {
            if (!FEEDS.contains(i)) throw new KilnException("CREATE MODEL " + name + ": a tokenizer feeds input_ids, attention_mask and token_type_ids, but the model also takes " + i);
        }
        if (!inputs.contains("input_ids")) throw new KilnException("CREATE MODEL " + name + ": the model has no input_ids input for the tokenizer to feed; its inputs are " + inputs);
        TensorValue states = model.outputs().stream().filter(v -> v.name().equals(output)).findFirst()
                .orElseThrow(() -> new KilnException("CREATE MODEL " + name + ": the model has no output " + output + "; its outputs are " + model.outputs().stream().map(TensorValue::name).toList()));
        if (pooling != Pooling.NONE && states.type().rank() != 3) {
            throw new KilnException("CREATE MODEL " + name + ": pooling needs per-token states [batch, tokens, dim], but output " + output + " is " + states.type());
        }
        List<TensorNode> nodes = new ArrayList<>();
        Map<String, Tensor> init = new LinkedHashMap<>(model.initializers());
        // the tokenizer's outputs carry the model's input names, so the model's nodes read them as they are
        List<String> fed = List.of(fed("input_ids", inputs), fed("attention_mask", inputs), fed("token_type_ids", inputs));
        nodes.add(new TensorNode("$tokenize", new TextOp.WordPieceEncode(tokenizer, maxLength), List.of(in("text")), fed));
        nodes.addAll(model.nodes());
        String pooled = switch (pooling) {
            case NONE -> output;
            case CLS -> {
                init.put("$first", Tensor.int64(new long[] {}, 0));
                nodes.add(node("$cls", new LayoutOp.Gather(1), List.of(output, "$first"), "$pooled"));
                yield "$pooled";
            }
            case MEAN -> {
                // sum(states * mask) / max(sum(mask), 1e-9), sentence-transformers' mean pooling
                init.put("$axis1", Tensor.int64(new long[] {1}, 1));
                init.put("$axis2", Tensor.int64(new long[] {1}, 2));
                init.put("$min_count", Tensor.floats(new long[] {}, 1e-9f));
                nodes.add(node("$mask_float", new ElementwiseOp.Cast(states.type().element()), List.of(fed.get(1)), "$maskf"));
                nodes.add(node("$mask_expand", new LayoutOp.Unsqueeze(), List.of("$maskf", "$axis2"), "$mask3"));
                nodes.add(node("$masked", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.MUL), List.of(output, "$mask3"), "$masked_states"));
                nodes.add(node("$sum", new ReductionOp.Reduce(ReductionOp.ReduceFn.SUM, false, false), List.of("$masked_states", "$axis1"), "$summed"));
                nodes.add(node("$count", new ReductionOp.Reduce(ReductionOp.ReduceFn.SUM, false, false), List.of("$mask3", "$axis1"), "$count_raw"));
                nodes.add(new TensorNode("$count_min", new ElementwiseOp.Clip(), List.of(in("$count_raw"), in("$min_count"), Optional.empty()), List.of("$counted")));
                nodes.add(node("$mean", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.DIV), List.of("$summed", "$counted"), "$pooled"));
                yield "$pooled";
            }
        };
        String result = "embedding";
        if (normalize) {
            // x / max(|x|, 1e-12), torch.nn.functional.normalize as sentence-transformers' Normalize applies it
            int last = pooling == Pooling.NONE ? states.type().rank() - 1 : 1;
            init.put("$last_axis", Tensor.int64(new long[] {1}, last));
            init.put("$min_norm", Tensor.floats(new long[] {}, 1e-12f));
            nodes.add(node("$square", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.MUL), List.of(pooled, pooled), "$squares"));
            nodes.add(node("$sum_squares", new ReductionOp.Reduce(ReductionOp.ReduceFn.SUM, true, false), List.of("$squares", "$last_axis"), "$norm2"));
            nodes.add(node("$norm", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.SQRT), List.of("$norm2"), "$norm_raw"));
            nodes.add(new TensorNode("$norm_min", new ElementwiseOp.Clip(), List.of(in("$norm_raw"), in("$min_norm"), Optional.empty()), List.of("$norm_clipped")));
            nodes.add(node("$normalize", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.DIV), List.of(pooled, "$norm_clipped"), result));
        } else {
            nodes.add(node("$embedding", new ElementwiseOp.Identity(), List.of(pooled), result));
        }
        List<Dim> dims = states.type().shape().dims();
        TensorShape shape = pooling == Pooling.NONE ? states.type().shape() : TensorShape.of(dims.get(0), dims.get(2));
        TensorType text = new TensorType(ElementType.STRING, TensorShape.of(dims.get(0)));
        return new TensorGraph(model.name(), List.of(new TensorValue("text", text)),
                List.of(new TensorValue(result, new TensorType(states.type().element(), shape))), nodes, init);
    }

    /** The model input's own name where it takes the value, else a name nothing reads. */
    private static String fed(String feed, List<String> inputs) {
        return inputs.contains(feed) ? feed : "$unused_" + feed;
    }

    private static TensorNode node(String name, dev.kiln.ir.tensor.TensorOp op, List<String> inputs, String output) {
        return new TensorNode(name, op, inputs.stream().map(TextModels::in).toList(), List.of(output));
    }

    private static Optional<String> in(String v) {
        return Optional.of(v);
    }
}
