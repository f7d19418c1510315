package dev.kiln.connectors.redis;

import dev.kiln.connectors.LocalServers;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ShutdownParams;

/**
 * A real {@code redis-server} process (Debian's {@code redis-server} package) on a free loopback
 * port with a temporary working directory, for tests and the streaming benchmarks. Without
 * persistence unless asked: no RDB snapshots, no AOF. {@link #close} shuts it down with
 * {@code SHUTDOWN NOSAVE}, kills it if it does not go, and deletes the directory; a JVM that exits
 * without closing kills it from a shutdown hook.
 *
 * <p>The binary is {@code $KILN_REDIS_SERVER} if set, else {@code redis-server} on the PATH, else
 * {@code /usr/bin/redis-server}.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread killer;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.killer = new Thread(process::destroyForcibly, "kiln-redis-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a server without persistence and waits until it answers PING. */
    public static RedisServer start() {
        return start(false);
    }

    /** @param persistent keep an append-only file (fsync every second) in the server's directory */
    public static RedisServer start(boolean persistent) {
        Path binary = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("kiln-redis-");
        } catch (IOException e) {
            throw new KilnException("cannot create a temporary directory for redis-server: " + e.getMessage(), e);
        }
        // The port is found free and then bound by redis-server; if another process took it in
        // between, the server exits at once and the start is tried again on another port.
        String why = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = LocalServers.freePort();
            Path log = dir.resolve("redis-" + attempt + ".log");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                    "--save", "", "--appendonly", persistent ? "yes" : "no", "--daemonize", "no", "--protected-mode", "yes"));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                LocalServers.deleteTree(dir);
                throw new KilnException("cannot run " + binary + ": " + e.getMessage(), e);
            }
            if (awaitPing(p, port)) return new RedisServer(p, dir, port);
            p.destroyForcibly();
            why = tail(log);
        }
        LocalServers.deleteTree(dir);
        throw new KilnException("redis-server did not start on a loopback port: " + (why.isBlank() ? "no output" : why.strip()));
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://" + host() + ":" + port;
    }

    /** A new connection to this server; the caller closes it. */
    public Jedis connect() {
        return new Jedis(host(), port);
    }

    @Override
    public void close() {
        try (Jedis j = connect()) {
            j.shutdown(ShutdownParams.shutdownParams().nosave());
        } catch (JedisException e) {
            // the connection drops as the server exits: the expected answer to SHUTDOWN
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
        LocalServers.deleteTree(dir);
    }

    private static boolean awaitPing(Process p, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) return false;
            try (Jedis j = new Jedis("127.0.0.1", port, 1000)) {
                if ("PONG".equals(j.ping())) return true;
            } catch (JedisException e) {
                // not listening yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new KilnException("interrupted while waiting for redis-server");
            }
        }
        return false;
    }

    static Path binary() {
        String env = System.getenv("KILN_REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isExecutable(p)) return p;
            throw new KilnException("KILN_REDIS_SERVER=" + env + " is not an executable file");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (d.isEmpty()) continue;
                Path p = Path.of(d, "redis-server");
                if (Files.isExecutable(p)) return p;
            }
        }
        Path usr = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(usr)) return usr;
        throw new KilnException("redis-server not found: apt-get install redis-server");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }
}
