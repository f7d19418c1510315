package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model's weights by name ({@code layer/weight}, as TF.js names them), handed out to layers
 * with their shapes checked. Like TF.js's strict loading, a weight no layer asked for is an error:
 * it means the file and the topology disagree.
 */
final class KerasWeights {
    private final Map<String, Tensor> byName;
    private final Set<String> used = new HashSet<>();

    KerasWeights(Map<String, Tensor> byName) {
        this.byName = Map.copyOf(byName);
    }

    Optional<Tensor> find(LayerConfig cfg, String weight, long... shape) {
        String name = cfg.layer().name() + "/" + weight;
        Tensor t = byName.get(name);
        if (t == null) return Optional.empty();
        if (!Arrays.equals(t.shape(), shape)) {
            throw cfg.fail("weight '" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        used.add(name);
        return Optional.of(t);
    }

    Tensor require(LayerConfig cfg, String weight, long... shape) {
        return find(cfg, weight, shape).orElseThrow(() -> cfg.fail("weight '" + cfg.layer().name() + "/" + weight
                + "' is not in weightsManifest; the layer's weights there are " + namesOf(cfg.layer().name())));
    }

    private List<String> namesOf(String layer) {
        return byName.keySet().stream().filter(n -> n.startsWith(layer + "/")).sorted().toList();
    }

    void requireAllUsed(String source) {
        List<String> unused = byName.keySet().stream().filter(n -> !used.contains(n)).sorted().toList();
        if (!unused.isEmpty()) {
            throw new KerasFormatException(source, unused.size() + " weights in weightsManifest belong to no layer: "
                    + (unused.size() > 10 ? unused.subList(0, 10) + " ..." : unused));
        }
    }
}
