package dev.kiln.engine.stream;

import java.util.Arrays;

/** An encoded key or row with value equality, for hash maps over state keys. */
record Bytes(byte[] b) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes x && Arrays.equals(b, x.b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(b);
    }
}
