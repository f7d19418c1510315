package dev.kiln.runtime.tensor;

import dev.kiln.ir.tensor.eval.ResizeKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Linear or cubic Resize of float32 planes: the last two axes resized, every plane (the product
 * of the axes before them) alike, parallel over planes. Each output pixel is the sum, in double,
 * of its rows' taps times its columns' taps times the pixels they name - in the reference
 * interpreter's order (the row tap varying fastest, each weight the row weight times the column
 * weight, zero weights skipped) - rounded to float once, so the values are the interpreter's bit
 * for bit.
 */
public final class ResizePlanes {
    private ResizePlanes() {}

    /** {@code rows[oy]} and {@code cols[ox]}: the taps of each output row and column ({@link ResizeKernel#taps}). */
    public static void run(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, int h, int w, ResizeKernel.Taps[] rows,
                           ResizeKernel.Taps[] cols) {
        int oh = rows.length, ow = cols.length;
        long work = (long) oh * ow * rows[0].at().length * cols[0].at().length;
        threads.forWork(planes, work, (p0, p1) -> {
            for (long p = p0; p < p1; p++) {
                long in = p * h * w, out = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int[] ry = rows[oy].at();
                    double[] wy = rows[oy].weight();
                    for (int ox = 0; ox < ow; ox++) {
                        int[] cx = cols[ox].at();
                        double[] wx = cols[ox].weight();
                        double sum = 0;
                        for (int kx = 0; kx < cx.length; kx++) {
                            for (int ky = 0; ky < ry.length; ky++) {
                                double weight = wy[ky];
                                if (weight == 0) continue;
                                weight *= wx[kx];
                                if (weight == 0) continue;
                                sum += weight * x.getAtIndex(ValueLayout.JAVA_FLOAT, in + (long) ry[ky] * w + cx[kx]);
                            }
                        }
                        y.setAtIndex(ValueLayout.JAVA_FLOAT, out + (long) oy * ow + ox, (float) sum);
                    }
                }
            }
        });
    }
}
