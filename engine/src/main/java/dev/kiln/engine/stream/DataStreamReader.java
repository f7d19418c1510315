package dev.kiln.engine.stream;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.stream.StreamSource;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Declares a stream: {@code kiln.readStream().source(src).eventTime("ts", Duration.ofSeconds(5)).load("events")}
 * registers it under a name; queries then read it like a table (in SQL and the plan API), and
 * run on it with {@code writeStream()}.
 */
public final class DataStreamReader {
    private final Consumer<StreamDefinition> register;
    private StreamSource source;
    private String eventTime;
    private Duration delay = Duration.ZERO;
    private BadRecordPolicy badRecords = BadRecordPolicy.FAIL;

    public DataStreamReader(Consumer<StreamDefinition> register) {
        this.register = register;
    }

    public DataStreamReader source(StreamSource source) {
        this.source = source;
        return this;
    }

    /**
     * The TIMESTAMP column that carries each row's event time, and how late rows may arrive:
     * the watermark stays {@code delay} behind the newest event time seen, and rows older than
     * the watermark whose window is closed are dropped (and counted).
     */
    public DataStreamReader eventTime(String column, Duration delay) {
        if (delay.isNegative()) throw new KilnException("a watermark delay cannot be negative: " + delay);
        this.eventTime = column;
        this.delay = delay;
        return this;
    }

    public DataStreamReader onBadRecords(BadRecordPolicy policy) {
        this.badRecords = policy;
        return this;
    }

    /** Registers the stream as {@code name}. */
    public StreamDefinition load(String name) {
        if (source == null) throw new KilnException("readStream() needs a source: .source(new MemoryStreamSource(...)) or another StreamSource");
        OptionalInt et = OptionalInt.empty();
        if (eventTime != null) {
            var idx = source.schema().indexOf(eventTime);
            if (idx.isEmpty()) throw new KilnException("stream '" + name + "' has no column '" + eventTime + "' for its event time; columns: " + source.schema().names());
            if (!(source.schema().field(idx.get()).type() instanceof DataType.TimestampType)) {
                throw new KilnException("event time column '" + eventTime + "' of stream '" + name + "' is " + source.schema().field(idx.get()).type().sql() + ", not TIMESTAMP");
            }
            et = OptionalInt.of(idx.get());
        }
        long micros = Math.multiplyExact(delay.getSeconds(), 1_000_000L) + delay.getNano() / 1000;
        StreamDefinition d = new StreamDefinition(name.toLowerCase(java.util.Locale.ROOT), source, et, micros, badRecords);
        register.accept(d);
        return d;
    }
}
