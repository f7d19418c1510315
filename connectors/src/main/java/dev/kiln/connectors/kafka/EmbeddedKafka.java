package dev.kiln.connectors.kafka;

import dev.kiln.connectors.LocalServers;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka cluster in this JVM: one KRaft process that is both broker and
 * controller, on free loopback ports, with its log in a temporary directory that {@link #close}
 * deletes. For tests and the streaming benchmarks, not for production data.
 *
 * <p>Internal topics get replication factor 1 and min ISR 1, or transactions (which need the
 * transaction-state topic) could never start on one broker. Group and transaction coordinators
 * get one partition each instead of 50, which saves seconds at the first transaction.
 *
 * <p>Needs {@code org.apache.kafka:kafka_2.13} on the class path: the connectors module declares
 * it optional, so a module that starts brokers declares it too (see the connectors README).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CONTROLLER = "CONTROLLER";
    private static final int NODE_ID = 1;

    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final Admin admin;

    private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrap) {
        this.dir = dir;
        this.server = server;
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, AdminClientConfig.CLIENT_ID_CONFIG, "kiln-embedded-admin"));
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers. */
    public static EmbeddedKafka start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("kiln-kafka-");
        } catch (IOException e) {
            throw new KilnException("cannot create a temporary directory for the embedded Kafka broker: " + e.getMessage(), e);
        }
        // The ports are found free and then bound by the broker: another process may take one in
        // between, so a start that fails to bind is tried again with new ports.
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path logDir = dir.resolve("log-" + attempt);
            int brokerPort = LocalServers.freePort();
            int controllerPort = LocalServers.freePort();
            KafkaRaftServer server = null;
            EmbeddedKafka kafka = null;
            try {
                KafkaConfig config = new KafkaConfig(config(logDir, brokerPort, controllerPort), false);
                format(config, logDir);
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                kafka = new EmbeddedKafka(dir, server, "127.0.0.1:" + brokerPort);
                kafka.awaitReady();
                return kafka;
            } catch (RuntimeException e) {
                last = e;
                if (kafka != null) kafka.admin.close();
                if (server != null) stop(server);
            }
        }
        LocalServers.deleteTree(dir);
        throw new KilnException("the embedded Kafka broker did not start: " + last.getMessage(), last);
    }

    /** host:port of the broker, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** Creates a topic with replication factor 1 and waits until the broker serves it. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with replication factor 1 and the given topic configs (e.g. {@code cleanup.policy=compact}). */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
            // The controller has made it; wait until the broker's metadata has every partition
            // with a leader, so that a client started next finds the topic.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS).get(name);
                    if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null)) return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) throw e;
                }
                if (System.nanoTime() > deadline) throw new KilnException("topic '" + name + "' was created but has no leaders after 30 s");
                sleep(20);
            }
        } catch (KilnException e) {
            throw e;
        } catch (ExecutionException e) {
            throw new KilnException("cannot create topic '" + name + "' on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new KilnException("cannot create topic '" + name + "' on " + bootstrap + ": " + e, e);
        }
    }

    /** Stops the broker and deletes its log directory. */
    @Override
    public void close() {
        admin.close();
        stop(server);
        LocalServers.deleteTree(dir);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) throw new KilnException("the embedded Kafka broker on " + bootstrap + " did not answer within 30 s: " + e, e);
            }
            sleep(50);
        }
    }

    private static Map<String, String> config(Path logDir, int brokerPort, int controllerPort) {
        // Values as text, as in server.properties: the config parser checks each against its type.
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        c.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        c.put("controller.listener.names", CONTROLLER);
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("log.dirs", logDir.toString());
        c.put("num.partitions", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // Topics are made on purpose (createTopic, or by the sinks for their marker topics), so
        // that a misspelt topic name fails instead of creating an empty topic.
        c.put("auto.create.topics.enable", "false");
        c.put("log.segment.bytes", String.valueOf(64 << 20));
        return c;
    }

    private static void format(KafkaConfig config, Path logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new KilnException("cannot format the embedded Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("interrupted while waiting for the embedded Kafka broker");
        }
    }
}
