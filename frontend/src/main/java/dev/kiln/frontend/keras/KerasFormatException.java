package dev.kiln.frontend.keras;

import dev.kiln.ir.KilnException;

/**
 * A Keras model (TensorFlow.js layers format) that cannot be imported: malformed model.json, a
 * missing or short weight shard, a weight of the wrong shape, or a layer Kiln does not import. The
 * message names the file and, where it is about one, the layer and its class.
 */
public final class KerasFormatException extends KilnException {
    public KerasFormatException(String source, String what) {
        super(source + ": " + what);
    }

    public KerasFormatException(String source, String what, Throwable cause) {
        super(source + ": " + what, cause);
    }
}
