package dev.kiln.connectors.parquet;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses page bodies. GZIP comes from the JDK; SNAPPY, ZSTD and LZ4_RAW from aircompressor
 * (pure Java, no dependencies; see the connectors README). Uncompressed pages are not copied.
 */
final class PageDecompressor {
    static final int UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7;

    private PageDecompressor() {}

    static String codecName(int codec) {
        return switch (codec) {
            case UNCOMPRESSED -> "UNCOMPRESSED";
            case SNAPPY -> "SNAPPY";
            case GZIP -> "GZIP";
            case LZO -> "LZO";
            case BROTLI -> "BROTLI";
            case LZ4 -> "LZ4 (Hadoop framing)";
            case ZSTD -> "ZSTD";
            case LZ4_RAW -> "LZ4_RAW";
            default -> "codec #" + codec;
        };
    }

    static boolean supported(int codec) {
        return codec == UNCOMPRESSED || codec == SNAPPY || codec == GZIP || codec == ZSTD || codec == LZ4_RAW;
    }

    /** The {@code uncompressedSize} bytes that {@code body} decompresses to. */
    static MemorySegment decompress(int codec, MemorySegment body, int uncompressedSize) {
        if (codec == UNCOMPRESSED) {
            if (body.byteSize() != uncompressedSize) {
                throw new ParquetFormatException("an uncompressed page has " + body.byteSize() + " bytes but its header says " + uncompressedSize);
            }
            return body;
        }
        byte[] in = body.toArray(ValueLayout.JAVA_BYTE);
        byte[] out = new byte[uncompressedSize];
        int n;
        try {
            n = switch (codec) {
                case SNAPPY -> run(new SnappyDecompressor(), in, out);
                case ZSTD -> run(new ZstdDecompressor(), in, out);
                case LZ4_RAW -> run(new Lz4Decompressor(), in, out);
                case GZIP -> gunzip(in, out);
                default -> throw new ParquetFormatException("compression " + codecName(codec) + " is not supported");
            };
        } catch (MalformedInputException | IOException | IndexOutOfBoundsException e) {
            throw new ParquetFormatException("a " + codecName(codec) + " page does not decompress (" + e.getMessage() + ")");
        }
        if (n != uncompressedSize) {
            throw new ParquetFormatException("a " + codecName(codec) + " page decompresses to " + n + " bytes but its header says " + uncompressedSize);
        }
        return MemorySegment.ofArray(out);
    }

    private static int run(Decompressor d, byte[] in, byte[] out) {
        return d.decompress(in, 0, in.length, out, 0, out.length);
    }

    private static int gunzip(byte[] in, byte[] out) throws IOException {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(in))) {
            int n = z.readNBytes(out, 0, out.length);
            if (z.read() != -1) throw new IOException("more data than the header's size");
            return n;
        }
    }
}
