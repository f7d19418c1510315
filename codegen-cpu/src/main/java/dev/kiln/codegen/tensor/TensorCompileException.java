package dev.kiln.codegen.tensor;

import dev.kiln.ir.KilnException;

/** A graph the CPU tensor backend cannot compile: the node and the reason, never a silent slow path. */
public final class TensorCompileException extends KilnException {
    public TensorCompileException(String message) {
        super(message);
    }
}
