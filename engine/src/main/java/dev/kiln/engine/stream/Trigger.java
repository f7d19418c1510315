package dev.kiln.engine.stream;

import java.time.Duration;

/** When a streaming query runs its micro-batches (as Spark Structured Streaming's triggers). */
public sealed interface Trigger {
    /** A batch every {@code interval} (as soon as the previous one ends when it took longer), while there is new data. */
    record ProcessingTime(Duration interval) implements Trigger {
        public ProcessingTime {
            if (interval.isNegative()) throw new IllegalArgumentException("a trigger interval cannot be negative: " + interval);
        }
    }

    /** Processes all data available when the query starts, in as few batches as the sources allow, then stops. */
    record AvailableNow() implements Trigger {}

    /**
     * Records flow through the compiled pipelines as soon as a source has them (tiny batches, no
     * waiting for an interval), and offsets and state are checkpointed every
     * {@code checkpointInterval} (an epoch). UPDATE and COMPLETE results are exact after a crash;
     * APPEND rows of the last epoch may be written again.
     */
    record Continuous(Duration checkpointInterval) implements Trigger {
        public Continuous {
            if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
                throw new IllegalArgumentException("a continuous trigger's checkpoint interval must be positive: " + checkpointInterval);
            }
        }
    }

    static Trigger continuous(Duration checkpointInterval) {
        return new Continuous(checkpointInterval);
    }

    static Trigger processingTime(Duration interval) {
        return new ProcessingTime(interval);
    }

    static Trigger availableNow() {
        return new AvailableNow();
    }
}
