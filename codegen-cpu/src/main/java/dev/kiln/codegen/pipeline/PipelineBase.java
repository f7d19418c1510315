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

    /**
     * Emits entries {@code [from, to)} of the {@code index}-th marked join-build table this
     * pipeline probes (the unmatched ones of a FULL or RIGHT_ANTI join, the matched ones of a
     * RIGHT_SEMI join) into the rest of the pipeline: runs consume() over {@code empty}, a batch
     * of the source's schema with no rows, so only that drain loop does work.
     */
    public final void drain(int index, long from, long to, Batch empty) {
        setDrain(index + 1, from, to);
        try {
            consume(empty);
        } finally {
            setDrain(0, 0, 0);
        }
    }

    /** Generated where a pipeline has drain loops: which one runs next (index + 1, 0 for none) and over which entries. */
    public void setDrain(int which, long from, long to) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " emits no join-build entries");
    }

    public abstract void consume(Batch batch);

    /** A staged probe's row array, twice as long (a later stage records one row per match). */
    public static int[] growInts(int[] a) {
        return java.util.Arrays.copyOf(a, a.length * 2);
    }

    /** A staged probe's hash or entry array, twice as long. */
    public static long[] growLongs(long[] a) {
        return java.util.Arrays.copyOf(a, a.length * 2);
    }

    public abstract void finish();

    /**
     * Aggregation pipelines only: folds the groups of entries {@code from ≤ k < to} of
     * {@code source} (a table filled by another instance of this class, usually a frozen run
     * sorted by hash partition) into this instance's aggregation table, combining aggregate
     * states. Parallel aggregation keeps small per-thread tables, freezes them into runs when
     * they fill, and merges the runs this way, one range of partitions per task.
     */
    public void merge(HashTable source, long from, long to) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not an aggregation pipeline");
    }
}
