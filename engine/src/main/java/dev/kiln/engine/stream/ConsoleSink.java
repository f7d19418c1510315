package dev.kiln.engine.stream;

import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.StreamSink;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints each batch's changes, for trying queries out: a header line per batch, then the rows
 * (at most {@code maxRows} of them), tab-separated; UPDATE deletes are prefixed with {@code -}.
 * Not exactly once: a batch run again after a crash is printed again.
 */
public final class ConsoleSink implements StreamSink {
    private final PrintStream out;
    private final int maxRows;

    public ConsoleSink(PrintStream out, int maxRows) {
        this.out = out;
        this.maxRows = maxRows;
    }

    @Override
    public synchronized void write(ChangeBatch c) {
        out.printf("-- batch %d (%s): %d row%s%s%n", c.batchId(), c.mode(), c.upsertCount(), c.upsertCount() == 1 ? "" : "s",
                c.deleteCount() > 0 ? ", " + c.deleteCount() + " deleted" : "");
        if (c.upsertCount() + c.deleteCount() == 0) return;
        out.println(String.join("\t", c.schema().names()));
        int shown = 0;
        for (Object[] k : c.deleteRows()) {
            if (shown++ >= maxRows) break;
            out.println("-\t" + line(k));
        }
        List<Object[]> rows = c.upsertRows();
        for (Object[] r : rows) {
            if (shown++ >= maxRows) break;
            out.println(line(r));
        }
        long more = c.upsertCount() + c.deleteCount() - maxRows;
        if (more > 0) out.println("... " + more + " more");
        out.flush();
    }

    private static String line(Object[] r) {
        return Arrays.stream(r).map(v -> v == null ? "NULL" : v.toString()).collect(Collectors.joining("\t"));
    }

    @Override
    public String describe() {
        return "console";
    }
}
