package dev.kiln.benchmarks.dl;

import dev.kiln.ir.KilnException;

/**
 * Kiln's output against ONNX Runtime's, element by element: they agree when every difference is
 * within {@link #TOLERANCE} of 1 or of the peer's magnitude, whichever is larger (probabilities are
 * compared absolutely, hidden states of size 10 relatively).
 */
public final class OutputCheck {
    private OutputCheck() {}

    public static final double TOLERANCE = 1e-4;

    /** The largest difference scaled as above; throws naming the model, run and element when it exceeds the tolerance. */
    public static double check(String what, float[] kiln, float[] peer) {
        if (kiln.length != peer.length) throw new KilnException(what + ": Kiln gave " + kiln.length + " values, ONNX Runtime " + peer.length);
        double worst = 0;
        for (int i = 0; i < kiln.length; i++) {
            double d = Math.abs((double) kiln[i] - peer[i]) / Math.max(1, Math.abs(peer[i]));
            if (!(d <= TOLERANCE)) {
                throw new KilnException(what + ": element " + i + " is " + kiln[i] + " in Kiln, " + peer[i] + " in ONNX Runtime (difference " + d
                        + " > " + TOLERANCE + ")");
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }
}
