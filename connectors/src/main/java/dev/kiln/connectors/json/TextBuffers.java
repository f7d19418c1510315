package dev.kiln.connectors.json;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The heap arrays in which a read's VARCHAR columns gather their text and offsets before a batch
 * is cut (see {@link RowColumn}), kept by the reader from one read to the next. Why: a streaming
 * source reads every micro-batch with a new {@link LinesRun}, and arrays grown afresh from a few
 * hundred bytes to a batch's megabytes each time cost as much as a tenth of the parse (profiled
 * on YSB events). Concurrent reads each take their own set; arrays over {@link #MAX_KEPT_BYTES}
 * are not kept, so a read of huge strings does not pin its memory.
 */
final class TextBuffers {
    static final int MAX_KEPT_BYTES = 16 << 20;

    final int[][] offsets;
    final byte[][] text;

    private TextBuffers(int columns) {
        offsets = new int[columns][];
        text = new byte[columns][];
    }

    /** A reader's idle sets; {@link #take} and {@link #give} are safe from any thread. */
    static final class Pool {
        private final ConcurrentLinkedQueue<TextBuffers> idle = new ConcurrentLinkedQueue<>();
        private final int columns;

        Pool(int columns) {
            this.columns = columns;
        }

        TextBuffers take() {
            TextBuffers b = idle.poll();
            return b != null ? b : new TextBuffers(columns);
        }

        void give(TextBuffers b) {
            for (int c = 0; c < columns; c++) {
                if (b.text[c] != null && b.text[c].length > MAX_KEPT_BYTES) b.text[c] = null;
                if (b.offsets[c] != null && b.offsets[c].length * 4L > MAX_KEPT_BYTES) b.offsets[c] = null;
            }
            idle.offer(b);
        }
    }
}
