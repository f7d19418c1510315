package dev.kiln.runtime.state;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The files of a state store version: {@code <version>.delta} (each key changed since the
 * previous version, once, with its last value or as a removal) and {@code <version>.snapshot}
 * (every entry). Both have the same layout, all numbers little-endian:
 *
 * <pre>
 * [0,4)   magic "KSTD" (delta) or "KSTS" (snapshot)
 * [4,8)   format version (1)
 * [8,16)  the state version the file holds
 * [16,24) entry count
 * [24,32) byte length of the entries
 * entries: put    = [1][keyLen: int][key][valLen: int][value]
 *          remove = [2][keyLen: int][key]
 * [4]     CRC32 of everything before it
 * </pre>
 *
 * The header announces the entries' length, so a truncated file is told apart from a corrupted
 * one; the CRC catches any flipped byte, the header's included.
 */
final class CheckpointFile {
    private CheckpointFile() {}

    static final int HEADER = 32;
    static final int CRC_BYTES = 4;
    static final int FORMAT = 1;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final int BUFFER = 1 << 18;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    enum Kind {
        DELTA("delta", "KSTD"),
        SNAPSHOT("snapshot", "KSTS");

        final String suffix;
        final String magicText;
        final int magic;

        Kind(String suffix, String magicText) {
            this.suffix = suffix;
            this.magicText = magicText;
            this.magic = magicText.charAt(0) | magicText.charAt(1) << 8 | magicText.charAt(2) << 16 | magicText.charAt(3) << 24;
        }

        String fileName(long version) {
            return version + "." + suffix;
        }
    }

    /** The entries to write, visited twice: once to count them, once to write them. */
    @FunctionalInterface
    interface Entries {
        void forEach(OffHeapTable.RecordVisitor v) throws IOException;
    }

    sealed interface Check permits Valid, Invalid {}

    /** A file that passed every check; {@code entries} is mapped and valid until the arena closes. */
    record Valid(Path file, long version, long count, MemorySegment entries) implements Check {}

    /** @param problem what is wrong, phrased to follow the file's name ("is truncated (...)") */
    record Invalid(Path file, String problem) implements Check {
        String describe() {
            return file + " " + problem;
        }
    }

    static void write(Path file, long version, Kind kind, Entries entries) throws IOException {
        Durable.replace(file, ch -> encode(ch, file, version, kind, entries));
    }

    /** The file's bytes, made now (the store may change afterwards) and written later by {@link #writeBytes}. */
    static byte[] encode(Path file, long version, Kind kind, Entries entries) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        encode(java.nio.channels.Channels.newChannel(bytes), file, version, kind, entries);
        return bytes.toByteArray();
    }

    static void writeBytes(Path file, byte[] bytes) throws IOException {
        Durable.replace(file, ch -> Durable.writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    private static void encode(java.nio.channels.WritableByteChannel ch, Path file, long version, Kind kind, Entries entries) throws IOException {
        long[] totals = new long[2];
        entries.forEach((seg, ko, kl, vo, vl) -> {
            totals[0]++;
            totals[1] += 1 + 4 + kl + (vl < 0 ? 0 : 4 + vl);
        });
        {
            try (Arena arena = Arena.ofConfined()) {
                Out out = new Out(ch, arena.allocate(BUFFER));
                out.putInt(kind.magic);
                out.putInt(FORMAT);
                out.putLong(version);
                out.putLong(totals[0]);
                out.putLong(totals[1]);
                entries.forEach((seg, ko, kl, vo, vl) -> {
                    out.putByte(vl < 0 ? REMOVE : PUT);
                    out.putInt(kl);
                    out.put(seg, ko, kl);
                    if (vl >= 0) {
                        out.putInt(vl);
                        out.put(seg, vo, vl);
                    }
                });
                out.flush();
                if (out.written != HEADER + totals[1]) {
                    throw new IllegalStateException("state checkpoint " + file + ": wrote " + (out.written - HEADER)
                            + " bytes of entries but counted " + totals[1] + " (the store changed while it was written)");
                }
                ByteBuffer crc = ByteBuffer.allocate(CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) out.crc.getValue());
                while (crc.hasRemaining()) ch.write(crc);
            }
        }
    }

    /** Checks {@code file} completely (length, checksum, header, every entry's framing) without applying it. */
    static Check check(Path file, long version, Kind kind, Arena arena) {
        MemorySegment seg;
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            if (size == 0) return new Invalid(file, "is empty (its write never completed)");
            if (size < HEADER + CRC_BYTES) return new Invalid(file, "is truncated (" + size + " bytes, shorter than its " + HEADER + "-byte header and checksum)");
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            return new Invalid(file, "is missing");
        } catch (IOException e) {
            return new Invalid(file, "cannot be read (" + e + ")");
        }
        int magic = seg.get(INT, 0);
        if (magic != kind.magic) {
            return new Invalid(file, String.format("is not a Kiln state %s (it starts with 0x%08x, not \"%s\")", kind.suffix, Integer.reverseBytes(magic), kind.magicText));
        }
        long entryBytes = seg.get(LONG, 24);
        long expectedSize = HEADER + entryBytes + CRC_BYTES;
        long stored = seg.get(INT, size - CRC_BYTES) & 0xFFFF_FFFFL;
        long computed = crc(seg, size - CRC_BYTES);
        if (stored != computed) {
            if (entryBytes >= 0 && size < expectedSize) {
                return new Invalid(file, "is truncated (expected " + entryBytes + " bytes of entries and a " + CRC_BYTES
                        + "-byte checksum after the header, found " + (size - HEADER) + " bytes)");
            }
            if (entryBytes >= 0 && size > expectedSize) {
                return new Invalid(file, "has " + (size - expectedSize) + " bytes more than its header announces (the file is corrupted)");
            }
            return new Invalid(file, String.format("fails its CRC32 check (stored %08x, computed %08x): the file is corrupted", stored, computed));
        }
        // the checksum holds: what follows are files written wrongly, not damaged
        int format = seg.get(INT, 4);
        if (format != FORMAT) return new Invalid(file, "has format version " + format + ", which this Kiln cannot read (it reads version " + FORMAT + ")");
        long held = seg.get(LONG, 8);
        if (held != version) return new Invalid(file, "holds version " + held + ", not " + version + " as its name says");
        if (size != expectedSize) return new Invalid(file, "is malformed (its header announces " + entryBytes + " bytes of entries, the file has " + (size - HEADER - CRC_BYTES) + ")");
        long count = seg.get(LONG, 16);
        MemorySegment entries = seg.asSlice(HEADER, entryBytes);
        String bad = walk(entries, count, kind == Kind.SNAPSHOT, null);
        if (bad != null) return new Invalid(file, "is malformed (" + bad + ")");
        return new Valid(file, version, count, entries);
    }

    /** Applies a checked file's entries to {@code t}, in file order. */
    static void apply(Valid f, OffHeapTable t) {
        walk(f.entries(), f.count(), false, t);
    }

    /** Walks the entries, applying them to {@code into} if not null; returns what is malformed, or null. */
    private static String walk(MemorySegment e, long count, boolean putsOnly, OffHeapTable into) {
        long end = e.byteSize();
        long p = 0;
        for (long i = 0; i < count; i++) {
            if (end - p < 5) return "entry " + i + " at byte " + p + " is cut off";
            byte kind = e.get(ValueLayout.JAVA_BYTE, p);
            int kl = e.get(INT, p + 1);
            if (kind != PUT && (kind != REMOVE || putsOnly)) return "entry " + i + " at byte " + p + " has kind " + kind;
            if (kl < 0 || kl > end - p - 5) return "entry " + i + " at byte " + p + " has a key of " + kl + " bytes";
            long key = p + 5;
            p = key + kl;
            if (kind == REMOVE) {
                if (into != null) into.remove(e, key, kl);
                continue;
            }
            if (end - p < 4) return "entry " + i + " at byte " + p + " is cut off";
            int vl = e.get(INT, p);
            if (vl < 0 || vl > end - p - 4) return "entry " + i + " at byte " + p + " has a value of " + vl + " bytes";
            if (into != null) into.put(e, key, kl, e, p + 4, vl);
            p += 4 + vl;
        }
        return p == end ? null : (end - p) + " bytes after the last of its " + count + " entries";
    }

    private static long crc(MemorySegment seg, long length) {
        CRC32 crc = new CRC32();
        for (long p = 0; p < length; p += 1 << 30) crc.update(seg.asSlice(p, Math.min(1 << 30, length - p)).asByteBuffer());
        return crc.getValue();
    }

    /** A buffered writer that checksums what it writes. */
    private static final class Out {
        final java.nio.channels.WritableByteChannel ch;
        final MemorySegment buf;
        final CRC32 crc = new CRC32();
        long pos;
        long written;

        Out(java.nio.channels.WritableByteChannel ch, MemorySegment buf) {
            this.ch = ch;
            this.buf = buf;
        }

        void putByte(byte b) throws IOException {
            room(1);
            buf.set(ValueLayout.JAVA_BYTE, pos++, b);
        }

        void putInt(int v) throws IOException {
            room(4);
            buf.set(INT, pos, v);
            pos += 4;
        }

        void putLong(long v) throws IOException {
            room(8);
            buf.set(LONG, pos, v);
            pos += 8;
        }

        void put(MemorySegment src, long off, long len) throws IOException {
            while (len > 0) {
                if (pos == buf.byteSize()) flush();
                long n = Math.min(len, buf.byteSize() - pos);
                MemorySegment.copy(src, off, buf, pos, n);
                pos += n;
                off += n;
                len -= n;
            }
        }

        private void room(int n) throws IOException {
            if (buf.byteSize() - pos < n) flush();
        }

        void flush() throws IOException {
            if (pos == 0) return;
            ByteBuffer bb = buf.asSlice(0, pos).asByteBuffer();
            crc.update(bb.duplicate());
            Durable.writeFully(ch, bb);
            written += pos;
            pos = 0;
        }
    }
}
