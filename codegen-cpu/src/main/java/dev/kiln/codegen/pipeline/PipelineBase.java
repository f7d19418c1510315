package dev.kiln.codegen.pipeline;

import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.vector.Batch;

/**
 * Superclass of every generated pipeline class. A pipeline is one fused loop from a source of
 * batches through streaming operators into a sink; the driver calls {@link #init} once,
 * {@link #consume} per source batch and {@link #finish} at the end. Literals arrive in
 * {@code params} (so one class serves every query of the same shape) and runtime objects
 * (hash tables, collectors) in {@code resources}.
 */
public abstract class PipelineBase {
    public abstract void init(Object[] params, Object[] resources);

    public abstract void consume(Batch batch);

    public abstract void finish();

    /**
     * Aggregation pipelines only: folds the groups of {@code source} (a table filled by another
     * instance of this class) whose hash falls in partition {@code part} of {@code parts} into
     * this instance's aggregation table, combining aggregate states. Parallel aggregation fills
     * one table per thread and merges them this way, one partition per task.
     */
    public void merge(HashTable source, int part, int parts) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not an aggregation pipeline");
    }
}
