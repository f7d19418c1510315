package dev.kiln.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offsets and commit logs: writing, reading, recovery after each kind of interruption or damage. */
class CheckpointLogTest {
    private static final String FROM_BACKUP = ". Restore the file from a backup, or restart the query with a new checkpoint directory";

    @TempDir
    Path root;

    /** Batches 0..n-1 fully run and committed. */
    private CheckpointLog committed(int n) {
        CheckpointLog log = CheckpointLog.open(root);
        for (int b = 0; b < n; b++) {
            log.writeOffsets(b, "{\"src\":" + (b + 1) * 100 + "}");
            log.writeCommit(b, "watermark=" + b);
        }
        return log;
    }

    @Test
    void writesAndReadsEntries() throws IOException {
        CheckpointLog log = committed(3);
        String multiLine = "{\"a\":1}\n{\"b\":\"é€😀\"}\n";
        log.writeOffsets(3, multiLine);
        assertEquals(Optional.of("{\"src\":200}"), log.readOffsets(1));
        assertEquals(Optional.of(multiLine), log.readOffsets(3));
        assertEquals(Optional.empty(), log.readOffsets(4));
        assertEquals(Optional.of(new CheckpointLog.Entry(3, multiLine)), log.latestOffsets());
        assertEquals(Optional.of(new CheckpointLog.Entry(2, "watermark=2")), log.latestCommit());
        assertEquals(Optional.of("watermark=0"), log.readCommit(0));
        assertEquals(Optional.empty(), log.readCommit(3));
        String file = Files.readString(root.resolve("offsets/1"));
        assertTrue(file.matches("kiln-offsets v1 batch=1 bytes=11 crc32=[0-9a-f]{8}\n\\{\"src\":200\\}"), file);
        assertTrue(Files.readString(root.resolve("metadata")).contains("\nid=" + log.queryId() + "\n"));
        assertEquals(log.queryId(), CheckpointLog.open(root).queryId(), "the query id is written once");
    }

    @Test
    void emptyCheckpointRecoversToTheStart() {
        RecoveryPoint p = CheckpointLog.open(root).recover();
        assertEquals(new RecoveryPoint(-1, Optional.empty(), Optional.empty(), List.of()), p);
        assertEquals(0, p.nextBatch());
        assertEquals(0, p.stateVersion());
        assertFalse(p.mustRerun());
    }

    @Test
    void batchWithoutCommitIsReRunWithItsOffsets() {
        CheckpointLog log = committed(5);
        log.writeOffsets(5, "{\"src\":555}"); // then the process died
        RecoveryPoint p = CheckpointLog.open(root).recover();
        assertEquals(new RecoveryPoint(4, Optional.of("{\"src\":500}"), Optional.of("{\"src\":555}"), List.of()), p);
        assertTrue(p.mustRerun());
        assertEquals(5, p.nextBatch());
        assertEquals(5, p.stateVersion());
        log.writeOffsets(5, "{\"src\":555}"); // the re-run logs the same offsets again: fine
        var e = assertThrows(IllegalStateException.class, () -> log.writeOffsets(5, "{\"src\":999}"));
        assertEquals("batch 5 already has offsets logged in " + root.resolve("offsets/5") + " ('{\"src\":555}'), different from '{\"src\":999}'; "
                + "a batch that may have run must be re-run with exactly its logged offsets (recover() returns them)", e.getMessage());
        log.writeCommit(5, "done");
        assertEquals(new RecoveryPoint(5, Optional.of("{\"src\":555}"), Optional.empty(), List.of()), log.recover());
    }

    @Test
    void damagedOffsetsOfAnUncommittedBatchAreDiscarded() throws IOException {
        for (String damage : List.of("truncate", "flip", "empty", "header")) {
            StateTesting.deleteTree(root);
            CheckpointLog log = committed(3);
            log.writeOffsets(3, "{\"src\":123456}");
            Path f = root.resolve("offsets/3");
            byte[] b = Files.readAllBytes(f);
            switch (damage) {
                case "truncate" -> Files.write(f, Arrays.copyOf(b, b.length - 3));
                case "flip" -> {
                    b[b.length - 2] ^= 1;
                    Files.write(f, b);
                }
                case "empty" -> Files.write(f, new byte[0]);
                default -> Files.write(f, Arrays.copyOf(b, 20)); // cut inside the header line
            }
            String problem = switch (damage) {
                case "truncate" -> "is truncated (expected 14 bytes of content after the header, found 11)";
                case "flip" -> "fails its CRC32 check";
                case "empty" -> "is empty (its write never completed)";
                default -> "is truncated (it ends inside its header line)";
            };
            RecoveryPoint p = CheckpointLog.open(root).recover();
            assertEquals(2, p.lastCommittedBatch(), damage);
            assertEquals(Optional.of("{\"src\":300}"), p.committedOffsets());
            assertEquals(Optional.empty(), p.pendingOffsets(), damage);
            assertEquals(1, p.notes().size());
            String note = p.notes().getFirst();
            assertTrue(note.startsWith("offsets log entry " + f + " " + problem), note);
            assertTrue(note.endsWith("; batch 3 never committed, so nothing durable came of it: moved the file to 3.corrupt and batch 3 will be planned afresh"), note);
            assertFalse(Files.exists(f));
            assertTrue(Files.exists(root.resolve("offsets/3.corrupt")));
            // the batch is planned afresh
            log.writeOffsets(3, "{\"src\":400}");
            assertEquals(Optional.of("{\"src\":400}"), log.recover().pendingOffsets());
        }
    }

    @Test
    void damagedCommitIsAnErrorNamingIt() throws IOException {
        committed(3);
        Path f = root.resolve("commits/2");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 4;
        Files.write(f, b);
        var e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).recover());
        assertEquals(f, e.file());
        assertTrue(e.getMessage().matches("commit log entry \\Q" + f + "\\E fails its CRC32 check \\(stored [0-9a-f]{8}, computed [0-9a-f]{8}\\): the file is corrupted; "
                + "batch 2 may have completed, so the query cannot tell where to resume\\Q" + FROM_BACKUP + "\\E"), e.getMessage());
        Files.write(f, Arrays.copyOf(b, 10));
        e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).recover());
        assertEquals("commit log entry " + f + " is truncated (it ends inside its header line); batch 2 may have completed, so the query cannot tell where to resume" + FROM_BACKUP,
                e.getMessage());
        e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).latestCommit());
        assertTrue(e.getMessage().startsWith("commit log entry " + f + " is truncated"), e.getMessage());
    }

    @Test
    void damagedOrMissingOffsetsOfTheLastCommittedBatchIsAnError() throws IOException {
        committed(3);
        Path f = root.resolve("offsets/2");
        String text = Files.readString(f);
        Files.writeString(f, text.replace("batch=2", "batch=1"));
        var e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).recover());
        assertTrue(e.getMessage().startsWith("offsets log entry " + f + " of committed batch 2 fails its CRC32 check"), e.getMessage());
        Files.delete(f);
        e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).recover());
        assertEquals("offsets log entry " + f + " of committed batch 2 is missing; the next batch cannot know where its input starts" + FROM_BACKUP, e.getMessage());
    }

    @Test
    void offsetsBeyondTheNextBatchAreAnError() throws IOException {
        committed(2);
        Files.copy(root.resolve("offsets/1"), root.resolve("offsets/3"));
        var e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root).recover());
        assertEquals("offsets log entry " + root.resolve("offsets/3") + " is for batch 3, but the last committed batch is 1: batch 2 must commit before batch 3 can run. "
                + "The checkpoint directory " + root + " is inconsistent (were files deleted or copied by hand?)", e.getMessage());
    }

    /** Every flipped byte and every cut of an entry is reported, never read as different content. */
    @Test
    void everyFlipAndTruncationIsCaught() throws IOException {
        CheckpointLog log = committed(1);
        log.writeOffsets(1, "{\"k\":[1,2]}\nline two é");
        Path f = root.resolve("offsets/1");
        byte[] good = Files.readAllBytes(f);
        for (int i = 0; i < good.length * 2; i++) {
            byte[] b = i < good.length ? good.clone() : Arrays.copyOf(good, i - good.length);
            if (i < good.length) b[i] ^= (byte) (1 << (i % 8));
            Files.write(f, b);
            var e = assertThrows(CheckpointException.class, () -> log.readOffsets(1), () -> "damage " + new String(b, StandardCharsets.ISO_8859_1));
            assertEquals(f, e.file());
            RecoveryPoint p = CheckpointLog.open(root).recover();
            assertEquals(Optional.empty(), p.pendingOffsets());
            assertEquals(1, p.notes().size());
            Files.delete(root.resolve("offsets/1.corrupt"));
        }
    }

    @Test
    void refusesEntriesOutOfOrder() {
        CheckpointLog log = committed(2);
        var e = assertThrows(IllegalStateException.class, () -> log.writeOffsets(3, "x"));
        assertEquals("cannot log the offsets of batch 3 in " + root + ": the last committed batch is 1, so the next batch is 2", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> log.writeCommit(2, "x"));
        assertEquals("cannot commit batch 2: it has no offsets logged in " + root.resolve("offsets/2") + "; log them with writeOffsets before the batch runs", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> log.writeCommit(1, "again"));
        assertEquals("cannot commit batch 1 in " + root + ": the last committed batch is 1, so the next to commit is 2", e.getMessage());
    }

    @Test
    void purgeKeepsTheLastCommitAndWhatFollows() throws IOException {
        CheckpointLog log = committed(6);
        log.writeOffsets(6, "pending");
        log.purge(100);
        assertEquals(List.of("5", "6"), list("offsets"));
        assertEquals(List.of("5"), list("commits"));
        assertEquals(new RecoveryPoint(5, Optional.of("{\"src\":600}"), Optional.of("pending"), List.of()), log.recover());
        log.writeCommit(6, "c");
        log.purge(6);
        assertEquals(List.of("6"), list("offsets"));
        assertEquals(List.of("6"), list("commits"));
    }

    @Test
    void damagedMetadataIsAnError() throws IOException {
        CheckpointLog.open(root);
        Path meta = root.resolve("metadata");
        Files.writeString(meta, Files.readString(meta).replace("id=", "ix="));
        var e = assertThrows(CheckpointException.class, () -> CheckpointLog.open(root));
        assertTrue(e.getMessage().startsWith("checkpoint metadata " + meta + " fails its CRC32 check"), e.getMessage());
    }

    private List<String> list(String sub) throws IOException {
        try (var files = Files.list(root.resolve(sub))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
