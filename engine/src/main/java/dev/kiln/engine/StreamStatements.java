package dev.kiln.engine;

import dev.kiln.connectors.files.FileSink;
import dev.kiln.connectors.json.JsonMemorySource;
import dev.kiln.connectors.kafka.KafkaSink;
import dev.kiln.connectors.kafka.KafkaSource;
import dev.kiln.connectors.redis.RedisSink;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.engine.stream.BadRecordPolicy;
import dev.kiln.engine.stream.ConsoleSink;
import dev.kiln.engine.stream.DataStreamReader;
import dev.kiln.engine.stream.DataStreamWriter;
import dev.kiln.engine.stream.StreamingQuery;
import dev.kiln.engine.stream.Trigger;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.StreamSink;
import dev.kiln.runtime.stream.StreamSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams in SQL:
 * <pre>
 * CREATE STREAM events (ad_id VARCHAR, event_type VARCHAR, event_time TIMESTAMP, ...)
 *   WITH (connector = 'kafka', bootstrap = 'localhost:9092', topic = 'ysb', event_time = 'event_time', watermark = '1 second');
 * CREATE STREAM events WITH (connector = 'ysb', events = '1000000', rate = '100000');   -- generated YSB events
 * CREATE SINK counts WITH (connector = 'redis', host = '127.0.0.1', port = '6379', prefix = 'ysb',
 *                          output_mode = 'update', checkpoint = '/tmp/ckpt', trigger = '100 ms');
 * INSERT INTO counts SELECT ...;      -- starts the streaming query
 * DROP STREAM events; DROP SINK counts;
 * </pre>
 * Stream connectors: kafka (bootstrap, topic; JSON values), directory (path, format json | csv |
 * parquet, metadata, glob, max_files_per_trigger, settle), ysb (events, rate, events_per_second, seed; it also
 * registers the campaigns table, named by the option campaigns, default 'campaigns'). Sink
 * connectors: console, memory, files (path), redis (host, port, prefix), kafka (bootstrap, topic,
 * id). Stream options: event_time, watermark, bad_records (fail | dead_letter). Sink options, for
 * the queries inserting into it: output_mode (append | update | complete), checkpoint, allowed_lateness, trigger
 * ('available_now', an interval such as '100 ms', or 'continuous [checkpoint interval]'), max_rows_per_batch.
 */
final class StreamStatements {
    private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern CREATE_STREAM = Pattern.compile("(?is)\\s*create\\s+stream\\s+(if\\s+not\\s+exists\\s+)?" + NAME
            + "\\s*(?:\\((.*)\\))?\\s*with\\s*\\((.*)\\)\\s*;?\\s*");
    private static final Pattern CREATE_SINK = Pattern.compile("(?is)\\s*create\\s+sink\\s+" + NAME + "\\s*with\\s*\\((.*)\\)\\s*;?\\s*");
    private static final Pattern DROP = Pattern.compile("(?is)\\s*drop\\s+(stream|sink)\\s+(if\\s+exists\\s+)?" + NAME + "\\s*;?\\s*");
    private static final Pattern INSERT = Pattern.compile("(?is)\\s*insert\\s+into\\s+" + NAME + "\\s+((?:select|with|\\().*?)\\s*;?\\s*");
    private static final Pattern OPTION = Pattern.compile("(?is)\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*'((?:[^']|'')*)'\\s*");

    /** A sink declared in SQL: how to make it, and how queries into it run. */
    private record SinkDef(String name, Map<String, String> options) {}

    private final Kiln kiln;
    private final Map<String, SinkDef> sinks = new LinkedHashMap<>();
    private final Map<String, MemorySink> memorySinks = new LinkedHashMap<>();
    /** tables made by connectors (the YSB campaigns), released with the session */
    private final dev.kiln.runtime.memory.QueryMemory memory = new dev.kiln.runtime.memory.QueryMemory(Long.MAX_VALUE);

    StreamStatements(Kiln kiln) {
        this.kiln = kiln;
    }

    /** Is this a stream statement (CREATE/DROP STREAM or SINK, or INSERT INTO a declared sink)? */
    boolean handles(String sql) {
        sql = withoutLeadingComments(sql);
        if (CREATE_STREAM.matcher(sql).matches() || CREATE_SINK.matcher(sql).matches() || DROP.matcher(sql).matches()) return true;
        Matcher m = INSERT.matcher(sql);
        return m.matches() && sinks.containsKey(key(m.group(1)));
    }

    /** Runs it; the message says what happened. An INSERT starts a query, returned too. */
    record Outcome(String message, Optional<StreamingQuery> started) {}

    Outcome run(String sql) {
        sql = withoutLeadingComments(sql);
        Matcher m;
        if ((m = CREATE_STREAM.matcher(sql)).matches()) return createStream(key(m.group(2)), m.group(3), options(m.group(4)), m.group(1) != null);
        if ((m = CREATE_SINK.matcher(sql)).matches()) return createSink(key(m.group(1)), options(m.group(2)));
        if ((m = DROP.matcher(sql)).matches()) return drop(m.group(1).toLowerCase(Locale.ROOT), key(m.group(3)), m.group(2) != null);
        if ((m = INSERT.matcher(sql)).matches()) return insert(key(m.group(1)), m.group(2));
        throw new KilnException("cannot read this stream statement: " + sql.strip().lines().findFirst().orElse(""));
    }

    void close() {
        memory.close();
    }

    /** The rows a memory sink holds now. */
    MemorySink memorySink(String name) {
        MemorySink s = memorySinks.get(key(name));
        if (s == null) throw new KilnException("no memory sink '" + name + "'; memory sinks: " + memorySinks.keySet());
        return s;
    }

    private Outcome createStream(String name, String columns, Map<String, String> o, boolean ifNotExists) {
        if (kiln.streamNames().contains(name)) {
            if (ifNotExists) return new Outcome("CREATE STREAM " + name + " (it exists)", Optional.empty());
            throw new KilnException("stream '" + name + "' already exists; DROP STREAM it first");
        }
        String connector = required(o, "connector", "CREATE STREAM " + name);
        Schema schema = columns == null ? null : new Schema(SqlTables.columns("CREATE STREAM", name, columns, false).fields());
        StreamSource source = switch (connector) {
            case "kafka" -> {
                check(o, name, Set.of("connector", "bootstrap", "topic", "format", "event_time", "watermark", "bad_records"));
                Schema s = need(schema, name, connector);
                if (!o.getOrDefault("format", "json").equals("json")) throw new KilnException("stream " + name + ": the kafka connector reads format 'json' only");
                yield new KafkaSource(required(o, "bootstrap", name), required(o, "topic", name), s, new dev.kiln.connectors.kafka.JsonRecordDecoder(s));
            }
            case "directory" -> {
                check(o, name, Set.of("connector", "path", "format", "metadata", "glob", "max_files_per_trigger", "settle", "event_time", "watermark", "bad_records"));
                Path dir = Path.of(required(o, "path", "stream " + name));
                String format = o.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
                dev.kiln.connectors.files.FileFormat f = switch (format) {
                    case "json" -> dev.kiln.connectors.files.FileFormat.json(need(schema, name, connector));
                    case "csv" -> dev.kiln.connectors.files.FileFormat.csv(need(schema, name, connector));
                    case "parquet" -> schema == null ? dev.kiln.connectors.files.FileFormat.parquet() : dev.kiln.connectors.files.FileFormat.parquet(schema);
                    default -> throw new KilnException("stream " + name + ": format is json, csv or parquet, not '" + format + "'");
                };
                var opts = dev.kiln.connectors.files.DirectoryOptions.defaults();
                if (o.containsKey("glob")) opts = opts.withGlob(o.get("glob"));
                if (o.containsKey("max_files_per_trigger")) opts = opts.withMaxFilesPerTrigger((int) number(o, "max_files_per_trigger", 0, "stream " + name));
                if (o.containsKey("settle")) opts = opts.withSettle(duration(o.get("settle"), "stream " + name + ": settle"));
                // which file is at which offset is logged next to the files unless a metadata directory is given
                Path meta = Path.of(o.getOrDefault("metadata", dir.resolve("_kiln_source_" + name).toString()));
                yield new dev.kiln.connectors.files.DirectorySource(dir, f, meta, opts);
            }
            case "ysb" -> {
                check(o, name, Set.of("connector", "events", "rate", "events_per_second", "seed", "campaigns", "event_time", "watermark", "bad_records"));
                if (schema != null && !schema.equals(YsbGenerator.EVENT_SCHEMA)) {
                    throw new KilnException("stream " + name + ": the ysb connector's columns are " + YsbGenerator.EVENT_SCHEMA + "; leave the column list out");
                }
                long events = number(o, "events", 1_000_000, "stream " + name);
                long rate = number(o, "rate", 0, "stream " + name);
                // events_per_second spaces the events' event times; rate reveals them in wall-clock time (0: all at once)
                long density = number(o, "events_per_second", rate > 0 ? rate : 100_000, "stream " + name);
                if (density <= 0) throw new KilnException("stream " + name + ": events_per_second must be positive, not " + density);
                YsbGenerator gen = new YsbGenerator(number(o, "seed", 42, "stream " + name), 1_760_000_000_000L, density);
                JsonMemorySource src = new JsonMemorySource(name, YsbGenerator.EVENT_SCHEMA);
                for (long from = 0; from < events; from += 1_000_000) src.append(gen.jsonLines(from, Math.min(events, from + 1_000_000)));
                if (rate > 0) src.startClock(rate);
                // the ad -> campaign table the YSB query joins, as a table of the session
                String campaigns = o.getOrDefault("campaigns", "campaigns");
                if (!campaigns.isEmpty()) kiln.registerTable(gen.campaigns(memory).withName(campaigns.toLowerCase(Locale.ROOT)));
                o.putIfAbsent("event_time", "event_time");
                yield src;
            }
            default -> throw new KilnException("stream " + name + ": unknown connector '" + connector + "'; stream connectors: kafka, directory, ysb");
        };
        DataStreamReader r = kiln.readStream().source(source);
        if (o.containsKey("event_time")) r.eventTime(o.get("event_time"), duration(o.getOrDefault("watermark", "0 s"), "watermark"));
        r.onBadRecords(switch (o.getOrDefault("bad_records", "fail")) {
            case "fail" -> BadRecordPolicy.FAIL;
            case "dead_letter" -> BadRecordPolicy.DEAD_LETTER;
            default -> throw new KilnException("stream " + name + ": bad_records is 'fail' or 'dead_letter', not '" + o.get("bad_records") + "'");
        });
        r.load(name);
        return new Outcome("CREATE STREAM " + name + " (" + source.describe() + ")", Optional.empty());
    }

    private Outcome createSink(String name, Map<String, String> o) {
        if (sinks.containsKey(name)) throw new KilnException("sink '" + name + "' already exists; DROP SINK it first");
        String connector = required(o, "connector", "CREATE SINK " + name);
        Set<String> common = Set.of("connector", "output_mode", "checkpoint", "trigger", "max_rows_per_batch", "allowed_lateness");
        Set<String> own = switch (connector) {
            case "console", "memory" -> Set.of();
            case "files" -> Set.of("path");
            case "redis" -> Set.of("host", "port", "prefix");
            case "kafka" -> Set.of("bootstrap", "topic", "id");
            default -> throw new KilnException("sink " + name + ": unknown connector '" + connector + "'; sink connectors: console, memory, files, redis, kafka");
        };
        Set<String> all = new java.util.HashSet<>(common);
        all.addAll(own);
        check(o, name, all);
        for (String k : own) required(o, k, "sink " + name);
        mode(o, name);
        trigger(o, name);
        sinks.put(name, new SinkDef(name, o));
        return new Outcome("CREATE SINK " + name + " (" + connector + ")", Optional.empty());
    }

    private StreamSink makeSink(SinkDef d) {
        Map<String, String> o = d.options();
        return switch (o.get("connector")) {
            case "console" -> new ConsoleSink(System.out, 20);
            case "memory" -> memorySinks.computeIfAbsent(d.name(), MemorySink::new);
            case "files" -> new FileSink(Path.of(o.get("path")));
            case "redis" -> new RedisSink(o.get("host"), (int) number(o, "port", 6379, "sink " + d.name()), o.get("prefix"));
            case "kafka" -> new KafkaSink(o.get("bootstrap"), o.get("topic"), o.get("id"));
            default -> throw new IllegalStateException(o.get("connector"));
        };
    }

    private Outcome insert(String sinkName, String query) {
        SinkDef d = sinks.get(sinkName);
        Map<String, String> o = d.options();
        DataStreamWriter w = kiln.writeStream(query).queryName(sinkName).outputMode(mode(o, sinkName)).trigger(trigger(o, sinkName));
        if (o.containsKey("checkpoint")) w.checkpointLocation(Path.of(o.get("checkpoint")));
        if (o.containsKey("max_rows_per_batch")) w.maxRowsPerBatch(number(o, "max_rows_per_batch", 0, "sink " + sinkName));
        if (o.containsKey("allowed_lateness")) w.allowedLateness(duration(o.get("allowed_lateness"), "sink " + sinkName + ": allowed_lateness"));
        StreamingQuery q = w.to(makeSink(d)).start();
        return new Outcome("INSERT INTO " + sinkName + ": streaming query started", Optional.of(q));
    }

    private Outcome drop(String what, String name, boolean ifExists) {
        boolean existed = what.equals("sink") ? sinks.remove(name) != null : kiln.dropStream(name);
        if (what.equals("sink")) memorySinks.remove(name);
        if (!existed && !ifExists) throw new KilnException(what + " '" + name + "' does not exist");
        return new Outcome("DROP " + what.toUpperCase(Locale.ROOT) + " " + name, Optional.empty());
    }

    private static OutputMode mode(Map<String, String> o, String sink) {
        String m = o.getOrDefault("output_mode", "update").toLowerCase(Locale.ROOT);
        return switch (m) {
            case "append" -> OutputMode.APPEND;
            case "update" -> OutputMode.UPDATE;
            case "complete" -> OutputMode.COMPLETE;
            default -> throw new KilnException("sink " + sink + ": output_mode is append, update or complete, not '" + m + "'");
        };
    }

    private static Trigger trigger(Map<String, String> o, String sink) {
        String t = o.getOrDefault("trigger", "0 ms").toLowerCase(Locale.ROOT).strip();
        if (t.equals("available_now")) return Trigger.availableNow();
        if (t.startsWith("continuous")) {
            String every = t.substring("continuous".length()).strip();
            return Trigger.continuous(every.isEmpty() ? Duration.ofSeconds(1) : duration(every, "sink " + sink + ": continuous checkpoint interval"));
        }
        return Trigger.processingTime(duration(t, "sink " + sink + ": trigger"));
    }

    /** '10 seconds', '500 ms', '1 minute', '2s'. */
    static Duration duration(String text, String what) {
        Matcher m = Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|millis|milliseconds?|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?\\s*").matcher(text);
        if (!m.matches()) throw new KilnException(what + " must be a duration such as '10 seconds' or '500 ms', not '" + text + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        if (unit.startsWith("ms") || unit.startsWith("milli")) return Duration.ofMillis(n);
        if (unit.startsWith("s")) return Duration.ofSeconds(n);
        if (unit.startsWith("m")) return Duration.ofMinutes(n);
        return Duration.ofHours(n);
    }

    /** The statement without the comments before it (a script's statements often start with some). */
    static String withoutLeadingComments(String sql) {
        String s = sql;
        while (true) {
            String t = s.stripLeading();
            if (t.startsWith("--")) {
                int nl = t.indexOf('\n');
                s = nl < 0 ? "" : t.substring(nl + 1);
            } else if (t.startsWith("/*")) {
                int end = t.indexOf("*/");
                s = end < 0 ? "" : t.substring(end + 2);
            } else {
                return t;
            }
        }
    }

    static Map<String, String> options(String body) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String part : splitOptions(body)) {
            if (part.isBlank()) continue;
            Matcher m = OPTION.matcher(part);
            if (!m.matches()) throw new KilnException("cannot read the option '" + part.strip() + "'; options are name = 'value', separated by commas");
            o.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2).replace("''", "'"));
        }
        return o;
    }

    /** Splits on commas outside quotes. */
    private static List<String> splitOptions(String s) {
        List<String> parts = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') quoted = !quoted;
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static void check(Map<String, String> o, String name, Set<String> known) {
        for (String k : o.keySet()) {
            if (!known.contains(k)) throw new KilnException(name + ": unknown option '" + k + "' for connector '" + o.get("connector") + "'; options: " + new java.util.TreeSet<>(known));
        }
    }

    /** A whole-number option, or its default; anything else is a clear error. */
    private static long number(Map<String, String> o, String k, long otherwise, String what) {
        String v = o.get(k);
        if (v == null) return otherwise;
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new KilnException(what + ": option " + k + " must be a whole number of 0 or more, not '" + v + "'");
        }
    }

    private static String required(Map<String, String> o, String k, String what) {
        String v = o.get(k);
        if (v == null || v.isBlank()) throw new KilnException(what + " needs the option " + k + " = '...'");
        return v;
    }

    private static Schema need(Schema s, String name, String connector) {
        if (s == null) throw new KilnException("stream " + name + ": the " + connector + " connector needs the stream's columns: CREATE STREAM " + name + " (col TYPE, ...) WITH (...)");
        return s;
    }

    private static String key(String name) {
        return SqlTables.unquoteName(name).toLowerCase(Locale.ROOT);
    }
}
