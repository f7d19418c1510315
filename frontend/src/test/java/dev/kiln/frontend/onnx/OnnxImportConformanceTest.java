package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole import path on ONNX's node conformance tests (Debian's libonnx-testdata): every test
 * whose ops Kiln imports is imported, run by the reference interpreter on its input files, and
 * compared with its expected outputs (which {@link OnnxConformanceTest} checks ONNX Runtime
 * reproduces). The pass set is pinned: a test that fails must be listed in {@link KnownImportFailures}
 * with its reason, and a listed test that passes fails this test until it is taken off the list.
 * The report, with pass rates per op, goes to {@code target/onnx-kiln-conformance.txt}.
 */
class OnnxImportConformanceTest {
    /** The ops issue 7 names; the report marks them. */
    static final Set<String> ISSUE_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "Relu", "LeakyRelu",
            "Clip", "Sigmoid", "Tanh", "Gelu", "Erf", "Softmax", "LayerNormalization", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Add", "Sub", "Mul", "Div", "Concat", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Slice", "Pad",
            "Resize", "Shape", "Constant", "Cast", "ReduceMean", "ReduceSum", "DequantizeLinear", "QLinearConv", "MatMulInteger");

    record Outcome(String test, Set<String> ops, boolean passKiln, boolean passOnnx, String reason) {}

    @Test
    void importedNodeTestsReproduceTheExpectedOutputs() throws Exception {
        Path node = OnnxConformanceTest.DATA.resolve("node");
        assumeTrue(Files.isDirectory(node), "ONNX conformance data not found at " + node + ": apt-get install libonnx-testdata");
        SortedSet<String> supported = OnnxImporter.supportedOps();
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, List<String>> outOfScope = new TreeMap<>();
        Map<String, Set<String>> outOfScopeOps = new TreeMap<>();
        List<Path> dirs;
        try (Stream<Path> list = Files.list(node)) {
            dirs = list.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted().toList();
        }
        for (Path dir : dirs) {
            String test = dir.getFileName().toString();
            OnnxModel model = OnnxModel.read(dir.resolve("model.onnx"));
            Set<String> ops = new TreeSet<>();
            Optional<String> unsupported = Optional.empty();
            for (OnnxNode n : model.graph().nodes()) {
                String op = n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + "." + n.opType();
                ops.add(op);
                if (!supported.contains(op) && unsupported.isEmpty()) unsupported = Optional.of(op);
            }
            boolean containers = Stream.concat(model.graph().feedInputs().stream(), model.graph().outputs().stream())
                    .anyMatch(v -> !(v.type().orElse(null) instanceof OnnxType.TensorType));
            if (unsupported.isPresent() || containers) outOfScopeOps.put(test, ops);
            if (unsupported.isPresent()) outOfScope.computeIfAbsent(unsupported.get(), k -> new ArrayList<>()).add(test);
            else if (containers) outOfScope.computeIfAbsent("(sequence/optional values)", k -> new ArrayList<>()).add(test);
            else outcomes.add(run(test, dir, model, ops));
        }
        String report = report(outcomes, outOfScope, outOfScopeOps, supported);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/onnx-kiln-conformance.txt"), report);

        List<String> problems = new ArrayList<>();
        for (Outcome o : outcomes) {
            Optional<String> known = KnownImportFailures.reason(o.test());
            if (!o.passKiln() && known.isEmpty()) problems.add(o.test() + " fails and is not a known failure: " + o.reason());
            if (o.passKiln() && known.isPresent()) problems.add(o.test() + " passes but is listed in KnownImportFailures (" + known.get() + "): remove it");
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        // guard against a run that quietly tests nothing
        assertTrue(outcomes.stream().filter(Outcome::passKiln).count() >= 460, report);
    }

    private static Outcome run(String test, Path dir, OnnxModel model, Set<String> ops) throws IOException {
        TensorGraph graph;
        try {
            graph = OnnxImporter.importModel(model, test);
        } catch (OnnxImportException e) {
            return new Outcome(test, ops, false, false, "import: " + e.getMessage());
        }
        List<OnnxValueInfo> inputs = model.graph().feedInputs(), outputs = model.graph().outputs();
        boolean passOnnx = true;
        List<Path> sets;
        try (Stream<Path> list = Files.list(dir)) {
            sets = list.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) feed.put(inputs.get(i).name(), read(set.resolve("input_" + i + ".pb"), inputs.get(i)));
            Map<String, Tensor> result;
            try {
                result = TensorInterpreter.run(graph, feed);
            } catch (RuntimeException e) {
                return new Outcome(test, ops, false, false, "run: " + e.getMessage());
            }
            for (int j = 0; j < outputs.size(); j++) {
                Tensor expected = read(set.resolve("output_" + j + ".pb"), outputs.get(j));
                Tensor actual = result.get(outputs.get(j).name());
                Optional<String> diff = TensorComparison.KILN.diff(expected, actual);
                if (diff.isPresent()) return new Outcome(test, ops, false, false, set.getFileName() + " output " + outputs.get(j).name() + ": " + diff.get());
                passOnnx &= TensorComparison.ONNX.diff(expected, actual).isEmpty();
            }
        }
        return new Outcome(test, ops, true, passOnnx, passOnnx ? "" : "outside ONNX's rtol 1e-3 / atol 1e-7");
    }

    /** A test data file as an IR tensor; BFLOAT16 values are stored as UINT16 bits (numpy has no bfloat16). */
    private static Tensor read(Path file, OnnxValueInfo declared) {
        OnnxTensor t = OnnxTensor.read(file);
        if (declared.tensorType().elementType() == ElementType.BFLOAT16 && t.type() == ElementType.UINT16) {
            t = new OnnxTensor(t.name(), t.dims(), ElementType.BFLOAT16, t.data());
        }
        return OnnxTensors.toTensor(t, file.toString());
    }

    private static String report(List<Outcome> outcomes, Map<String, List<String>> outOfScope, Map<String, Set<String>> outOfScopeOps,
                                 SortedSet<String> supported) {
        StringBuilder sb = new StringBuilder("ONNX node tests through OnnxImporter + TensorInterpreter vs the expected outputs\n");
        long kiln = outcomes.stream().filter(Outcome::passKiln).count(), onnx = outcomes.stream().filter(Outcome::passOnnx).count();
        int total = outcomes.size() + outOfScope.values().stream().mapToInt(List::size).sum();
        sb.append(String.format("%d node tests; %d in scope (all ops imported); pass at 1e-4: %d; pass at ONNX's rtol 1e-3/atol 1e-7: %d%n",
                total, outcomes.size(), kiln, onnx));
        sb.append("\nper op (tests in scope that use it; * = named in issue 7): pass@1e-4 / pass@onnx / tests, out of scope\n");
        for (String op : supported) {
            List<Outcome> using = outcomes.stream().filter(o -> o.ops().contains(op)).toList();
            long scoped = outOfScopeOps.values().stream().filter(ops -> ops.contains(op)).count();
            sb.append(String.format("  %s %-22s %3d / %3d / %3d%s%n", ISSUE_OPS.contains(op) ? "*" : " ", op,
                    using.stream().filter(Outcome::passKiln).count(), using.stream().filter(Outcome::passOnnx).count(), using.size(),
                    scoped > 0 ? "   (+" + scoped + " with an op Kiln does not import)" : ""));
        }
        sb.append("\nfailures (known ones with their listed reason):\n");
        for (Outcome o : outcomes) {
            if (!o.passKiln()) {
                sb.append("  ").append(o.test()).append(": ").append(o.reason());
                KnownImportFailures.reason(o.test()).ifPresent(r -> sb.append("\n      known: ").append(r));
                sb.append('\n');
            }
        }
        sb.append("\npass at 1e-4 but not at ONNX's tolerance:\n");
        outcomes.stream().filter(o -> o.passKiln() && !o.passOnnx()).forEach(o -> sb.append("  ").append(o.test()).append('\n'));
        sb.append("\nout of scope, by the first op Kiln does not import:\n");
        outOfScope.forEach((op, tests) -> sb.append(String.format("  %-28s %3d  e.g. %s%n", op, tests.size(), tests.getFirst())));
        return sb.toString();
    }
}
