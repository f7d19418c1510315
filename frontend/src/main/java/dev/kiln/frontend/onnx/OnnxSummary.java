package dev.kiln.frontend.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a model needs from an importer: its opsets, inputs and outputs, and how often each op
 * type occurs (subgraphs of If/Loop/Scan included). A developer tool:
 * {@code java -cp frontend/target/classes:ir/target/classes dev.kiln.frontend.onnx.OnnxSummary model.onnx ...}
 *
 * @param ops op type → count, most frequent first; ops of other domains as "domain.Op"
 * @param parameters elements of the initializers and of the Constant nodes' values (some exporters
 *     keep every weight in Constant nodes)
 */
public record OnnxSummary(String source, OnnxModel model, Map<String, Integer> ops, int subgraphNodes, long parameters) {
    public static OnnxSummary of(OnnxModel model, String source) {
        Map<String, Integer> counts = new TreeMap<>();
        int[] nested = {0};
        count(model.graph(), counts, nested, false);
        Map<String, Integer> byFrequency = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> byFrequency.put(e.getKey(), e.getValue()));
        long parameters = model.graph().initializers().stream().mapToLong(OnnxTensor::elementCount).sum()
                + model.graph().nodes().stream().filter(n -> n.opType().equals("Constant") && n.domain().isEmpty())
                        .flatMap(n -> n.attribute("value").stream())
                        .filter(a -> a.value() instanceof OnnxAttribute.TensorValue)
                        .mapToLong(a -> a.t().elementCount()).sum();
        return new OnnxSummary(source, model, byFrequency, nested[0], parameters);
    }

    private static void count(OnnxGraph graph, Map<String, Integer> counts, int[] nested, boolean inSubgraph) {
        for (OnnxNode node : graph.nodes()) {
            String op = node.domain().isEmpty() || node.domain().equals("ai.onnx") ? node.opType() : node.domain() + "." + node.opType();
            counts.merge(op, 1, Integer::sum);
            if (inSubgraph) nested[0]++;
            for (OnnxAttribute a : node.attributes()) {
                switch (a.value()) {
                    case OnnxAttribute.GraphValue(OnnxGraph g) -> count(g, counts, nested, true);
                    case OnnxAttribute.GraphsValue(List<OnnxGraph> gs) -> gs.forEach(g -> count(g, counts, nested, true));
                    default -> { }
                }
            }
        }
    }

    /** A few lines of text: header, inputs, outputs, sizes, op histogram. */
    public String format() {
        String opsets = model.opsetImports().stream()
                .map(o -> (o.domain().isEmpty() ? "ai.onnx" : o.domain()) + " " + o.version()).collect(Collectors.joining(", "));
        List<String> lines = new ArrayList<>();
        lines.add(source + ": IR " + model.irVersion() + ", opsets " + opsets + ", producer "
                + (model.producerName().isEmpty() ? "(none)" : (model.producerName() + " " + model.producerVersion()).trim()));
        lines.add("  inputs:  " + values(model.graph().feedInputs()));
        lines.add("  outputs: " + values(model.graph().outputs()));
        lines.add("  " + model.graph().nodes().size() + " nodes" + (subgraphNodes > 0 ? " (+" + subgraphNodes + " in subgraphs)" : "")
                + ", " + model.graph().initializers().size() + " initializers, " + parameters + " parameters");
        lines.add("  ops: " + ops.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        return String.join("\n", lines);
    }

    private static String values(List<OnnxValueInfo> values) {
        return values.stream().map(v -> v.name() + " " + v.type().map(OnnxType::toString).orElse("(untyped)")).collect(Collectors.joining(", "));
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: OnnxSummary model.onnx ...");
            System.exit(2);
        }
        for (String arg : args) System.out.println(of(OnnxModel.read(Path.of(arg)), arg).format());
    }
}
