package dev.kiln.engine.stream;

import java.util.function.BiConsumer;

/**
 * The durable key/value state of one stateful operator (keys and values are encoded rows), with
 * versioned commits: after batch b the engine commits version b + 1, and a restarted query opens
 * each operator's state at the version of its last committed batch.
 */
interface KeyedState extends AutoCloseable {
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    boolean remove(byte[] key);

    long size();

    /** Every entry, in no particular order; the callback must not change the state. */
    void forEach(BiConsumer<byte[], byte[]> entry);

    /** Makes the changes since the last commit durable as {@code version}. */
    void commit(long version);

    /** Bytes of state held (off-heap), for progress reports. */
    long bytes();

    @Override
    void close();
}
