package dev.kiln.engine.stream;

import java.util.Arrays;

/** Decoded key values (a group's, a session partition's) with value equality. */
record GroupKey(Object[] values) {
    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKey k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
