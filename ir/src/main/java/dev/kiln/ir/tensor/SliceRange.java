package dev.kiln.ir.tensor;

/**
 * One axis of a Slice resolved against its size, with ONNX's clamping: negative bounds count from
 * the end, then starts and ends are clamped to [0, dim] for positive steps and to [0, dim-1] /
 * [-1, dim-1] for negative ones. Element {@code i} of the result is input index {@code start + i*step}.
 */
public record SliceRange(long start, long step, long count) {
    public static SliceRange of(long start, long end, long step, long dim) {
        if (step == 0) throw new IllegalArgumentException("Slice step cannot be 0");
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        if (step > 0) {
            start = Math.clamp(start, 0, dim);
            end = Math.clamp(end, 0, dim);
        } else {
            start = Math.clamp(start, 0, dim - 1);
            end = Math.clamp(end, -1, dim - 1);
        }
        long count = step > 0 ? Math.ceilDiv(end - start, step) : Math.ceilDiv(start - end, -step);
        return new SliceRange(start, step, Math.max(0, count));
    }
}
