package dev.kiln.frontend.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of test models per corpus and outcome, with a few examples of each, for the report. */
final class Tally {
    private final Map<String, Map<String, List<String>>> byCorpus = new TreeMap<>();

    void add(String corpus, String outcome, String model) {
        byCorpus.computeIfAbsent(corpus, c -> new TreeMap<>()).computeIfAbsent(outcome, o -> new ArrayList<>()).add(model);
    }

    int count(String corpus, String outcome) {
        return byCorpus.getOrDefault(corpus, Map.of()).getOrDefault(outcome, List.of()).size();
    }

    String report() {
        StringBuilder out = new StringBuilder();
        byCorpus.forEach((corpus, outcomes) -> {
            out.append(corpus).append('\n');
            outcomes.forEach((outcome, models) -> {
                out.append(String.format("  %5d  %s", models.size(), outcome));
                if (!outcome.startsWith("#")) {
                    out.append("  e.g. ").append(String.join(", ", models.subList(0, Math.min(4, models.size()))));
                }
                out.append('\n');
            });
        });
        return out.toString();
    }
}
