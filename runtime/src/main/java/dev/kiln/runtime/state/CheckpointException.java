package dev.kiln.runtime.state;

import dev.kiln.ir.KilnException;
import java.nio.file.Path;

/**
 * A checkpoint file (state delta or snapshot, offsets or commit log entry) that is missing,
 * truncated or corrupted where no clean fallback exists. The message names the file and what is
 * wrong with it; {@link #file} lets the engine report or move it.
 */
public final class CheckpointException extends KilnException {
    private final transient Path file;

    public CheckpointException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
