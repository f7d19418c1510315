package dev.kiln.runtime.state;

import java.util.List;
import java.util.Optional;

/**
 * Where a restarted streaming query resumes, from {@link CheckpointLog#recover}.
 *
 * @param lastCommittedBatch the newest batch whose output and state are durable; -1 if none
 * @param committedOffsets   that batch's offsets (where the next batch's input starts); empty if none
 * @param pendingOffsets     the offsets logged for the next batch, which ran (maybe partly) but never
 *                           committed: it must be re-run with exactly these; empty if it was never planned
 * @param notes              what recovery discarded and why, for the engine's log
 */
public record RecoveryPoint(long lastCommittedBatch, Optional<String> committedOffsets, Optional<String> pendingOffsets, List<String> notes) {
    public RecoveryPoint {
        notes = List.copyOf(notes);
    }

    /** The batch to run next. */
    public long nextBatch() {
        return lastCommittedBatch + 1;
    }

    /** Must {@link #nextBatch} run again with {@link #pendingOffsets}? */
    public boolean mustRerun() {
        return pendingOffsets.isPresent();
    }

    /** The version to open each operator's {@link StateStore} at: batch b commits version b + 1. */
    public long stateVersion() {
        return lastCommittedBatch + 1;
    }
}
