package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.QuantizedOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 ops of the quantized MiniLM, checked exactly against ONNX Runtime on the model's own
 * activations: ORT runs the model with every DynamicQuantizeLinear's input and outputs and every
 * MatMulInteger's output made graph outputs, and Kiln's kernels, given ORT's inputs to each such
 * node, must give ORT's outputs bit for bit (uint8 values, scale, zero point, int32 sums).
 *
 * <p>Why not end to end: Kiln computes float32 reductions (the LayerNorm's ReduceMean) in double
 * and rounds once; ORT sums in float32 (node by node against ORT's intermediates, the first value
 * that differs is the embeddings LayerNorm's ReduceMean, by one ulp on most rows). The two differ in the last place of some activations, and
 * where such an activation sits on a rounding boundary of the dynamic quantization (with the
 * sentence "Simmer the tomato sauce..." one element of the first quantized tensor does), the two
 * take different uint8 values, and that difference grows through the six layers. So the embedding
 * test compares whole embeddings by cosine, and this one pins the int8 semantics down exactly.
 */
class QuantizedMiniLmOpsTest {
    private static final List<String> TEXTS = List.of("Simmer the tomato sauce for twenty minutes before adding fresh basil.",
            "Which planet has rings of ice?", "Saturn is a gas giant with rings made mostly of ice.");

    @Test
    void int8NodesGiveOnnxRuntimesOutputsOnItsOwnInputs(@TempDir Path dir) throws Exception {
        Path model = TextEmbeddingQueriesTest.copy("/all-minilm-l6-v2-q.onnx", dir);
        Path tokenizer = TextEmbeddingQueriesTest.copy("/all-minilm-l6-v2-q-tokenizer.json", dir);
        WordPieceTokenizer wp = dev.kiln.frontend.text.TokenizerJson.wordPiece(Files.readString(tokenizer));
        TensorGraph g = OnnxImporter.importModel(model);
        List<TensorNode> dql = g.nodes().stream().filter(n -> n.op() instanceof QuantizedOp.DynamicQuantizeLinear).toList();
        List<TensorNode> mmi = g.nodes().stream().filter(n -> n.op() instanceof QuantizedOp.MatMulInteger).toList();
        assertEquals(24, dql.size(), "DynamicQuantizeLinear nodes");
        assertEquals(36, mmi.size(), "MatMulInteger nodes");
        Set<String> watched = new LinkedHashSet<>();
        for (TensorNode n : dql) {
            watched.add(n.inputs().getFirst().orElseThrow());
            watched.addAll(n.outputs());
        }
        for (TensorNode n : mmi) watched.addAll(n.outputs());
        byte[] debug = withOutputs(Files.readAllBytes(model), watched);

        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        int checkedDql = 0, checkedMmi = 0;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(debug, options)) {
                for (String text : TEXTS) {
                    long[] ids = wp.encode(text, 128);
                    long[] shape = {1, ids.length}, ones = new long[ids.length];
                    java.util.Arrays.fill(ones, 1);
                    Map<String, Tensor> ort = new HashMap<>();
                    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                         OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
                         OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                         OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t), watched)) {
                        for (String name : watched) ort.put(name, kilnTensor((OnnxTensor) r.get(name).orElseThrow()));
                    }
                    for (TensorNode n : dql) {
                        Map<String, Tensor> out = runAlone(g, n, Map.of(n.inputs().getFirst().orElseThrow(), ort.get(n.inputs().getFirst().orElseThrow())));
                        for (String o : n.outputs()) assertSame(ort.get(o), out.get(o), text + ": " + n.name() + " output " + o);
                        checkedDql++;
                    }
                    for (TensorNode n : mmi) {
                        Map<String, Tensor> in = new HashMap<>();
                        for (Optional<String> i : n.inputs()) i.filter(x -> !g.initializers().containsKey(x)).ifPresent(x -> in.put(x, ort.get(x)));
                        assertTrue(in.values().stream().allMatch(java.util.Objects::nonNull), n.name() + " reads an activation ORT did not give: " + n.inputs());
                        Map<String, Tensor> out = runAlone(g, n, in);
                        assertSame(ort.get(n.outputs().getFirst()), out.get(n.outputs().getFirst()), text + ": " + n.name());
                        checkedMmi++;
                    }
                }
            }
        }
        assertEquals(TEXTS.size() * 24, checkedDql);
        assertEquals(TEXTS.size() * 36, checkedMmi);
    }

    /** The node as a graph of its own (activations as inputs, the model's initializers as they are), run by the interpreter. */
    private static Map<String, Tensor> runAlone(TensorGraph g, TensorNode n, Map<String, Tensor> inputs) {
        List<TensorValue> ins = new ArrayList<>();
        inputs.forEach((name, t) -> ins.add(new TensorValue(name, t.tensorType())));
        Map<String, Tensor> init = new HashMap<>();
        for (Optional<String> i : n.inputs()) i.filter(g.initializers()::containsKey).ifPresent(x -> init.put(x, g.initializers().get(x)));
        // the outputs typed by the IR's own rules, from the inputs given
        List<TensorValue> outs = new ArrayList<>();
        List<Optional<TensorType>> types = new ArrayList<>();
        List<Optional<Tensor>> values = new ArrayList<>();
        for (Optional<String> i : n.inputs()) {
            Optional<Tensor> v = i.map(x -> inputs.containsKey(x) ? inputs.get(x) : init.get(x));
            values.add(v);
            types.add(v.map(Tensor::tensorType));
        }
        List<TensorType> outTypes = dev.kiln.ir.tensor.TensorOpTyping.outputTypes(new dev.kiln.ir.tensor.NodeTyping(n, types, values));
        for (int k = 0; k < n.outputs().size(); k++) outs.add(new TensorValue(n.outputs().get(k), outTypes.get(k)));
        return TensorInterpreter.run(new TensorGraph(n.name(), ins, outs, List.of(n), init), inputs);
    }

    private static void assertSame(Tensor want, Tensor got, String what) {
        assertEquals(want.tensorType(), got.tensorType(), what);
        for (int i = 0; i < want.size(); i++) {
            if (want.type() == ElementType.FLOAT32) assertEquals(Float.floatToIntBits((float) want.getDouble(i)), Float.floatToIntBits((float) got.getDouble(i)), what + " element " + i);
            else assertEquals(want.getLong(i), got.getLong(i), what + " element " + i);
        }
    }

    private static Tensor kilnTensor(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                float[] f = new float[(int) t.getInfo().getNumElements()];
                t.getFloatBuffer().get(f);
                yield Tensor.floats(shape, f);
            }
            case UINT8 -> {
                java.nio.ByteBuffer b = t.getByteBuffer();
                long[] v = new long[b.remaining()];
                for (int i = 0; i < v.length; i++) v[i] = b.get(i) & 0xFF;
                yield Tensor.longs(ElementType.UINT8, shape, v);
            }
            case INT32 -> {
                java.nio.IntBuffer b = t.getIntBuffer();
                long[] v = new long[b.remaining()];
                for (int i = 0; i < v.length; i++) v[i] = b.get(i);
                yield Tensor.longs(ElementType.INT32, shape, v);
            }
            default -> throw new AssertionError("unexpected ORT output type " + t.getInfo());
        };
    }

    /** The model with {@code names} added to its graph's outputs (ValueInfoProto with a name only: ORT infers the type). */
    static byte[] withOutputs(byte[] model, Set<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] at = {0};
        while (at[0] < model.length) {
            int start = at[0];
            long key = varint(model, at);
            int i = at[0];
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            if (wire == 2) {
                int len = (int) varint(model, at);
                int body = at[0];
                i = body + len;
                if (field == 7) { // ModelProto.graph
                    ByteArrayOutputStream graph = new ByteArrayOutputStream();
                    graph.write(model, body, len);
                    for (String name : names) {
                        byte[] n = name.getBytes(StandardCharsets.UTF_8);
                        ByteArrayOutputStream vi = new ByteArrayOutputStream();
                        vi.write(0x0A); // ValueInfoProto.name
                        writeVarint(vi, n.length);
                        vi.write(n, 0, n.length);
                        graph.write(0x62); // GraphProto.output, field 12
                        writeVarint(graph, vi.size());
                        graph.write(vi.toByteArray(), 0, vi.size());
                    }
                    out.write(0x3A);
                    writeVarint(out, graph.size());
                    out.write(graph.toByteArray(), 0, graph.size());
                    at[0] = i;
                    continue;
                }
            } else if (wire == 0) {
                varint(model, at);
                i = at[0];
            } else if (wire == 5) {
                i += 4;
            } else if (wire == 1) {
                i += 8;
            } else {
                throw new AssertionError("wire type " + wire + " at byte " + start);
            }
            out.write(model, start, i - start);
            at[0] = i;
        }
        return out.toByteArray();
    }

    /** The varint at {@code at[0]}; moves {@code at[0]} past it. */
    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte c = b[at[0]++];
            v |= (long) (c & 0x7F) << shift;
            if (c >= 0) return v;
        }
    }

    private static void writeVarint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }
}
