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

    static Trigger processingTime(Duration interval) {
        return new ProcessingTime(interval);
    }

    static Trigger availableNow() {
        return new AvailableNow();
    }
}
