package dev.kiln.ir.tensor;

import java.util.List;

/** Output types of {@link MlOp}s. */
final class MlTyping {
    private MlTyping() {}

    static List<TensorType> infer(MlOp op, NodeTyping t) {
        return switch (op) {
            case MlOp.TreeEnsemble e -> {
                boolean classifier = e.classes().isPresent();
                t.arity(1, 1, classifier ? 2 : 1, classifier ? 2 : 1);
                t.requireElement(0, ElementType.FLOAT32, ElementType.FLOAT64, ElementType.INT64, ElementType.INT32);
                t.requireRank(0, 2);
                Dim n = t.shape(0).dim(0);
                long features = NodeTyping.fixed(t.shape(0).dim(1));
                if (features >= 0 && features <= e.forest().maxFeature()) {
                    throw t.fail("the trees read feature " + e.forest().maxFeature() + " but the rows have " + features + " features");
                }
                TensorType scores = new TensorType(ElementType.FLOAT32, TensorShape.of(n, Dim.of(e.targets())));
                yield classifier ? List.of(new TensorType(e.classes().get().element(), TensorShape.of(n)), scores) : List.of(scores);
            }
        };
    }
}
