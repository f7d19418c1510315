package dev.kiln.frontend.keras;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a weightsManifest group: the weight's name ({@code layer/weight}), shape, dtype
 * (float32 or int32) and, when the converter quantized it, how it is stored. Values of a group are
 * stored back to back, in manifest order, across the group's shards.
 */
record WeightSpec(String name, List<Long> shape, String dtype, Optional<Quantization> quantization) {
    WeightSpec {
        shape = List.copyOf(shape);
    }

    long count() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    long[] shapeArray() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    /** Bytes this weight takes in the shards. */
    long byteLength() {
        int width = quantization.map(Quantization::width).orElse(4);
        return Math.multiplyExact(count(), width);
    }

    /** How the TF.js converter stores a quantized weight. */
    sealed interface Quantization {
        /** Bytes per stored value. */
        int width();

        /** uint8 or uint16 q standing for {@code q * scale + min} (computed in double, rounded to float32, as TF.js does). */
        record Affine(int width, double min, double scale) implements Quantization {}

        /** IEEE half precision, widened exactly. */
        record Float16() implements Quantization {
            @Override public int width() { return 2; }
        }
    }
}
