package dev.kiln.connectors;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the embedded Kafka broker and the Redis server share: a free loopback port, and deleting their directory. */
public final class LocalServers {
    private LocalServers() {}

    /**
     * A loopback port free now. The server binds it a moment later, and another process may take
     * it in between: callers try again with a new port when the bind fails.
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new KilnException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree; a temporary directory left behind is not worth failing a close for. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // see above
        }
    }
}
