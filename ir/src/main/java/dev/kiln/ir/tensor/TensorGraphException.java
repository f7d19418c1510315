package dev.kiln.ir.tensor;

import dev.kiln.ir.KilnException;

/** A malformed or ill-typed tensor graph; the message names the graph or node at fault. */
public class TensorGraphException extends KilnException {
    public TensorGraphException(String message) {
        super(message);
    }
}
