package dev.kiln.engine.cli;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.stream.StreamingProgress;
import dev.kiln.engine.stream.StreamingQuery;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln stream [-f script.sql | -e "..."] [--for 30s] [--progress 1s] [sql options]}: runs
 * statements that declare streams and sinks and start queries ({@code INSERT INTO sink SELECT ...}),
 * then shows each query's progress (rows/s in and out, batch latency, state size, watermark) until
 * the queries end (trigger 'available_now'), the --for time is up, or Ctrl-C stops them. With
 * --explain, the INSERT statements print their incremental plan instead of starting.
 */
final class StreamCommand {
    private static final Pattern INSERT = Pattern.compile("(?is)\\s*insert\\s+into\\s+\\S+\\s+((?:select|with|\\().*?)\\s*;?\\s*");

    private final Main main;
    private final PrintStream out;
    private final PrintStream err;

    StreamCommand(Main main, PrintStream out, PrintStream err) {
        this.main = main;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) throws InterruptedException {
        Duration limit = null;
        Duration every = Duration.ofSeconds(1);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--for") || a.equals("--progress")) {
                if (i + 1 >= args.size()) throw new UsageException(a + " needs a duration such as 30s or 500ms");
                Duration d = duration(args.get(++i), a);
                if (a.equals("--for")) limit = d;
                else every = d;
            } else {
                rest.add(a);
            }
        }
        SqlOptions o = SqlOptions.parse(rest);
        if (o.statements().isEmpty()) throw new UsageException("kiln stream needs statements: -f script.sql or -e \"CREATE STREAM ...; CREATE SINK ...; INSERT INTO ...\"");
        try (Kiln kiln = Kiln.open(o.config())) {
            o.tpch().ifPresent(kiln::registerTpch);
            o.tables().forEach((name, path) -> {
                if (Main.isParquet(path)) kiln.registerParquet(name, path);
                else kiln.registerCsv(name, path);
            });
            for (String stmt : o.statements()) {
                Matcher m = INSERT.matcher(stmt);
                if (o.explain() && m.matches()) {
                    out.print(kiln.writeStream(m.group(1)).explain());
                    continue;
                }
                main.execute(kiln, stmt, o);
            }
            List<StreamingQuery> queries = kiln.streamingQueries();
            if (queries.isEmpty()) return 0;
            Thread hook = new Thread(() -> {
                for (StreamingQuery q : queries) q.close();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            Map<StreamingQuery, Window> windows = new HashMap<>();
            for (StreamingQuery q : queries) {
                Window w = new Window();
                windows.put(q, w);
                q.addProgressListener(w::add);
            }
            while (true) {
                boolean active = queries.stream().anyMatch(StreamingQuery::isActive);
                long wait = Math.min(every.toNanos(), end - System.nanoTime());
                if (active && wait > 0) Thread.sleep(Math.max(1, wait / 1_000_000));
                for (StreamingQuery q : queries) report(q, windows.get(q).take());
                active = queries.stream().anyMatch(StreamingQuery::isActive);
                if (!active || System.nanoTime() >= end) break;
            }
            int code = 0;
            for (StreamingQuery q : queries) {
                q.stop();
                if (q.exception().isPresent()) {
                    err.println("Error: streaming query '" + q.name() + "' failed: " + q.exception().get().getMessage());
                    code = 1;
                }
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            return code;
        }
    }

    /** What a query's batches did since the last line: filled by its progress listener, taken by the reporting loop. */
    private static final class Window {
        long batches, firstId, lastId, in, out, nanos, maxNanos;
        StreamingProgress last;

        synchronized void add(StreamingProgress p) {
            if (batches++ == 0) firstId = p.batchId();
            lastId = p.batchId();
            in += p.inputRows();
            out += p.outputRows();
            nanos += p.durationNanos();
            maxNanos = Math.max(maxNanos, p.durationNanos());
            last = p;
        }

        /** This window's figures, and a fresh window from now on. */
        synchronized Window take() {
            Window w = new Window();
            w.batches = batches;
            w.firstId = firstId;
            w.lastId = lastId;
            w.in = in;
            w.out = out;
            w.nanos = nanos;
            w.maxNanos = maxNanos;
            w.last = last;
            batches = in = out = nanos = maxNanos = 0;
            last = null;
            return w;
        }
    }

    /** One line per query: what its batches since the last line did. */
    private void report(StreamingQuery q, Window w) {
        if (w.batches == 0) return;
        StreamingProgress last = w.last;
        err.printf(Locale.ROOT, "[%s] batches %d-%d: %d rows in (%.0f rows/s while running), %d out (%.0f rows/s); batch latency avg %.1f ms, max %.1f ms; state %d rows; watermark %s%s%n",
                q.name(), w.firstId, w.lastId, w.in, w.nanos == 0 ? 0 : w.in * 1e9 / w.nanos, w.out, w.nanos == 0 ? 0 : w.out * 1e9 / w.nanos,
                w.nanos / 1e6 / w.batches, w.maxNanos / 1e6, last.stateRows(),
                last.watermark() == Long.MIN_VALUE ? "none" : dev.kiln.runtime.stream.RowCodec.fromMicros(last.watermark()),
                last.lateRows() > 0 ? "; " + last.lateRows() + " late rows dropped" : "");
    }

    private static Duration duration(String v, String option) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
        if (!m.matches()) throw new UsageException(option + " needs a duration such as 30s, 500ms, 2m or 1h, not '" + v + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
