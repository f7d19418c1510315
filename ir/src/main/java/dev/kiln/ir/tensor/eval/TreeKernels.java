package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.List;

/** Tree ensembles row by row: each row's leaves found, their weights aggregated, then finished as a regressor or classifier. */
final class TreeKernels {
    private TreeKernels() {}

    static List<Tensor> evaluate(MlOp.TreeEnsemble e, Tensor x) {
        int n = (int) x.dim(0), f = (int) x.dim(1), c = e.targets();
        float[] scores = new float[n * c];
        boolean classifier = e.classes().isPresent();
        long[] intLabels = new long[classifier ? n : 0];
        String[] stringLabels = new String[classifier ? n : 0];
        double[] row = new double[f];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) row[j] = x.getDouble(r * f + j);
            double[] raw = e.rawScores(row);
            double[] y;
            if (classifier) {
                MlOp.TreeEnsemble.Classified k = e.classify(raw);
                MlOp.ClassLabels labels = e.classes().get();
                if (labels.ints().isPresent()) intLabels[r] = k.literal() ? k.label() : labels.ints().get()[k.label()];
                else stringLabels[r] = labels.strings().get().get(k.label());
                y = k.scores();
            } else {
                y = e.regress(raw);
            }
            for (int j = 0; j < c; j++) scores[r * c + j] = (float) y[j];
        }
        Tensor z = Tensor.floats(new long[] {n, c}, scores);
        if (!classifier) return List.of(z);
        Tensor label = e.classes().get().element() == ElementType.INT64 ? Tensor.int64(new long[] {n}, intLabels) : Tensor.strings(new long[] {n}, stringLabels);
        return List.of(label, z);
    }
}
