package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tree ensembles of ONNX's {@code ai.onnx.ml} domain (opsets 1 and 3: TreeEnsembleRegressor,
 * TreeEnsembleClassifier), as scikit-learn's, XGBoost's and LightGBM's converters write them,
 * become one {@link MlOp.TreeEnsemble}: the node tuples are grouped by tree, each tree is laid
 * out parent before children from its root (the node no other node of the tree points to), and
 * the leaf weights are attached to their leaves. Thresholds and weights given as double tensors
 * ({@code *_as_tensor}, opset 3) are kept in double.
 */
final class TreeLowerings {
    private TreeLowerings() {}

    /** The ml domain's name. */
    static final String DOMAIN = "ai.onnx.ml";

    static void register(Map<String, OpLowering> ops) {
        ops.put("TreeEnsembleRegressor", n -> lower(n, false));
        ops.put("TreeEnsembleClassifier", n -> lower(n, true));
    }

    private static void lower(ImportNode n, boolean classifier) {
        n.ignore("nodes_hitrates", "nodes_hitrates_as_tensor");
        String prefix = classifier ? "class_" : "target_";
        List<Long> treeIds = n.ints("nodes_treeids"), nodeIds = n.ints("nodes_nodeids"), featureIds = n.ints("nodes_featureids");
        List<Long> trueIds = n.ints("nodes_truenodeids"), falseIds = n.ints("nodes_falsenodeids");
        List<String> modes = n.strings("nodes_modes");
        double[] values = doubles(n, "nodes_values");
        List<Long> missing = n.ints("nodes_missing_value_tracks_true");
        int count = nodeIds.size();
        if (count == 0) throw n.fail("the ensemble has no nodes (attribute nodes_nodeids is empty)");
        requireLength(n, "nodes_treeids", treeIds.size(), count);
        requireLength(n, "nodes_featureids", featureIds.size(), count);
        requireLength(n, "nodes_modes", modes.size(), count);
        requireLength(n, "nodes_values", values.length, count);
        requireLength(n, "nodes_truenodeids", trueIds.size(), count);
        requireLength(n, "nodes_falsenodeids", falseIds.size(), count);
        if (!missing.isEmpty()) requireLength(n, "nodes_missing_value_tracks_true", missing.size(), count);

        List<Long> wTree = n.ints(prefix + "treeids"), wNode = n.ints(prefix + "nodeids"), wId = n.ints(prefix + "ids");
        double[] wValue = doubles(n, prefix + "weights");
        requireLength(n, prefix + "nodeids", wNode.size(), wTree.size());
        requireLength(n, prefix + "ids", wId.size(), wTree.size());
        requireLength(n, prefix + "weights", wValue.length, wTree.size());

        Optional<MlOp.ClassLabels> classes = Optional.empty();
        int targets;
        MlOp.Aggregate aggregate = MlOp.Aggregate.SUM;
        if (classifier) {
            List<Long> ints = n.ints("classlabels_int64s");
            List<String> strings = n.strings("classlabels_strings");
            if (ints.isEmpty() == strings.isEmpty()) throw n.fail("exactly one of classlabels_int64s and classlabels_strings must be given");
            classes = Optional.of(ints.isEmpty() ? MlOp.ClassLabels.of(strings) : MlOp.ClassLabels.of(ints.stream().mapToLong(Long::longValue).toArray()));
            targets = classes.get().size();
        } else {
            targets = (int) n.i("n_targets", -1);
            if (targets < 1) throw n.fail("attribute n_targets must be given and positive");
            String agg = n.s("aggregate_function", "SUM");
            try {
                aggregate = MlOp.Aggregate.valueOf(agg);
            } catch (IllegalArgumentException e) {
                throw n.fail("aggregate_function '" + agg + "' is not one of AVERAGE, SUM, MIN, MAX");
            }
        }
        String postName = n.s("post_transform", "NONE");
        MlOp.PostTransform post;
        try {
            post = MlOp.PostTransform.valueOf(postName);
        } catch (IllegalArgumentException e) {
            throw n.fail("post_transform '" + postName + "' is not supported; Kiln takes NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO");
        }
        List<Double> base = new ArrayList<>();
        for (double b : doubles(n, "base_values")) base.add(b);

        // the nodes of each tree by id, trees in ascending id
        Map<Long, Map<Long, Integer>> trees = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            if (trees.computeIfAbsent(treeIds.get(i), t -> new HashMap<>()).put(nodeIds.get(i), i) != null) {
                throw n.fail("tree " + treeIds.get(i) + " has node " + nodeIds.get(i) + " twice");
            }
        }
        Map<Integer, List<Integer>> weightsOf = new HashMap<>();
        for (int w = 0; w < wTree.size(); w++) {
            Map<Long, Integer> tree = trees.get(wTree.get(w));
            Integer at = tree == null ? null : tree.get(wNode.get(w));
            if (at == null) throw n.fail(prefix + "weights entry " + w + " is for node " + wNode.get(w) + " of tree " + wTree.get(w) + ", which does not exist");
            if (wId.get(w) < 0 || wId.get(w) >= targets) throw n.fail(prefix + "ids entry " + w + " is " + wId.get(w) + ", not one of the " + targets + (classifier ? " classes" : " targets"));
            weightsOf.computeIfAbsent(at, k -> new ArrayList<>()).add(w);
        }

        List<Integer> order = new ArrayList<>(); // forest index -> ONNX tuple index
        List<Integer> roots = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        for (var tree : trees.entrySet()) {
            long treeId = tree.getKey();
            Map<Long, Integer> byId = tree.getValue();
            java.util.Set<Long> children = new java.util.HashSet<>();
            for (int i : byId.values()) {
                if (!modes.get(i).equals("LEAF")) {
                    for (long c : new long[] {trueIds.get(i), falseIds.get(i)}) {
                        if (!byId.containsKey(c)) throw n.fail("node " + nodeIds.get(i) + " of tree " + treeId + " points to node " + c + ", which the tree does not have");
                        children.add(c);
                    }
                }
            }
            List<Long> rootIds = byId.keySet().stream().filter(id -> !children.contains(id)).sorted().toList();
            if (rootIds.size() != 1) throw n.fail("tree " + treeId + " must have one root (a node no other points to), not " + rootIds);
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(byId.get(rootIds.getFirst())));
            int start = order.size();
            roots.add(start);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                if (position.containsKey(i)) throw n.fail("tree " + treeId + " reaches node " + nodeIds.get(i) + " twice (a cycle or a shared child)");
                position.put(i, order.size());
                order.add(i);
                if (!modes.get(i).equals("LEAF")) {
                    queue.add(byId.get(trueIds.get(i)));
                    queue.add(byId.get(falseIds.get(i)));
                }
            }
            if (order.size() - start != byId.size()) {
                List<Long> lost = byId.entrySet().stream().filter(e -> !position.containsKey(e.getValue())).map(Map.Entry::getKey).sorted().toList();
                throw n.fail("tree " + treeId + " has nodes unreachable from its root " + rootIds.getFirst() + ": " + lost + " (a cycle, or a node no branch points to)");
            }
        }
        int m = order.size();
        MlOp.NodeMode[] mode = new MlOp.NodeMode[m];
        int[] feature = new int[m], tChild = new int[m], fChild = new int[m], leafStart = new int[m], leafCount = new int[m];
        double[] threshold = new double[m];
        boolean[] missingTrue = new boolean[m];
        List<Integer> target = new ArrayList<>();
        List<Double> weight = new ArrayList<>();
        for (int p = 0; p < m; p++) {
            int i = order.get(p);
            try {
                mode[p] = MlOp.NodeMode.valueOf(modes.get(i));
            } catch (IllegalArgumentException e) {
                throw n.fail("node " + nodeIds.get(i) + " of tree " + treeIds.get(i) + " has mode '" + modes.get(i)
                        + "'; modes are BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, LEAF");
            }
            feature[p] = Math.toIntExact(featureIds.get(i));
            threshold[p] = values[i];
            missingTrue[p] = !missing.isEmpty() && missing.get(i) != 0;
            Map<Long, Integer> byId = trees.get(treeIds.get(i));
            tChild[p] = mode[p] == MlOp.NodeMode.LEAF ? -1 : position.get(byId.get(trueIds.get(i)));
            fChild[p] = mode[p] == MlOp.NodeMode.LEAF ? -1 : position.get(byId.get(falseIds.get(i)));
            List<Integer> ws = weightsOf.getOrDefault(i, List.of());
            if (!ws.isEmpty() && mode[p] != MlOp.NodeMode.LEAF) {
                throw n.fail(prefix + "weights are given for node " + nodeIds.get(i) + " of tree " + treeIds.get(i) + ", which is a branch, not a leaf");
            }
            leafStart[p] = target.size();
            leafCount[p] = ws.size();
            for (int w : ws) {
                target.add(Math.toIntExact(wId.get(w)));
                weight.add(wValue[w]);
            }
        }
        MlOp.Forest forest;
        MlOp.TreeEnsemble op;
        try {
            forest = new MlOp.Forest(roots.stream().mapToInt(Integer::intValue).toArray(), mode, feature, threshold, tChild, fChild, missingTrue,
                    leafStart, leafCount, target.stream().mapToInt(Integer::intValue).toArray(), weight.stream().mapToDouble(Double::doubleValue).toArray());
            op = new MlOp.TreeEnsemble(forest, targets, aggregate, base, post, classes);
        } catch (IllegalArgumentException e) {
            throw n.fail(e.getMessage());
        }
        n.emit(op, n.inputs(1), classifier ? n.allOutputs(2) : List.of(n.output0()));
    }

    private static void requireLength(ImportNode n, String attr, int length, int want) {
        if (length != want) throw n.fail("attribute " + attr + " has " + length + " entries where " + want + " are needed");
    }

    /** A float list attribute, or its double-tensor form {@code <name>_as_tensor} (not both). */
    private static double[] doubles(ImportNode n, String attr) {
        Optional<List<Float>> floats = n.optionalFloats(attr);
        Optional<OnnxTensor> tensor = n.tensorAttribute(attr + "_as_tensor");
        if (floats.isPresent() && tensor.isPresent()) throw n.fail("attributes " + attr + " and " + attr + "_as_tensor are both given");
        if (tensor.isPresent()) {
            Tensor t = OnnxTensors.toTensor(tensor.get(), "attribute " + attr + "_as_tensor");
            double[] out = new double[t.size()];
            for (int i = 0; i < out.length; i++) out[i] = t.getDouble(i);
            return out;
        }
        List<Float> f = floats.orElse(List.of());
        double[] out = new double[f.size()];
        for (int i = 0; i < out.length; i++) out[i] = f.get(i);
        return out;
    }
}
