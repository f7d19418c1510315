package dev.kiln.connectors.images;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the PNGs most image tables hold - 8-bit gray, RGB or RGBA, not interlaced,
 * without a transparency, gamma, chromaticity, colour profile or significant-bits chunk - that
 * writes the pixels straight into the image column's layout ([height, width, c], B G R [A]),
 * where the JDK's reader builds a BufferedImage row by row through its raster. Everything else
 * (palettes, 16-bit and sub-byte samples, gray with alpha, Adam7, colour management, damage of any
 * kind) is declined, and the caller decodes the file with ImageIO: this path gives the bytes
 * ImageIO would, or nothing.
 */
final class PngDecoder {
    private PngDecoder() {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Ancillary chunks that do not change the decoded samples (text, time, physical size, background, histogram, suggested palette, sRGB intent). */
    private static final Set<String> HARMLESS = Set.of("tEXt", "zTXt", "iTXt", "tIME", "pHYs", "bKGD", "hIST", "sPLT", "sRGB", "PLTE");

    /** Images larger than this (inflated) go through ImageIO, which decides how to treat them. */
    private static final long MAX_DIRECT_BYTES = 256L << 20;

    /** A decoded image: its size, channels (1, 3 or 4) and pixels in the column's layout. */
    record Image(int height, int width, int channels, byte[] pixels) {}

    /**
     * The image, with its pixels written into a new array of {@code headerBytes} + h·w·c bytes
     * from {@code headerBytes} on; null when the file is not a PNG this decoder takes.
     */
    static Image decode(byte[] file, int headerBytes) {
        try {
            return decodeOrNull(file, headerBytes);
        } catch (RuntimeException | DataFormatException e) {
            return null; // ImageIO decides what a damaged file gives
        }
    }

    private static Image decodeOrNull(byte[] f, int headerBytes) throws DataFormatException {
        if (f.length < 8 + 25) return null;
        for (int i = 0; i < 8; i++) if (f[i] != SIGNATURE[i]) return null;
        int p = 8;
        int width = -1, height = -1, channels = -1;
        Inflater inflater = new Inflater();
        byte[] raw = null;
        int rawAt = 0;
        boolean ended = false;
        try {
            while (p + 12 <= f.length) {
                int len = be32(f, p);
                if (len < 0 || p + 12L + len > f.length) return null;
                String type = new String(f, p + 4, 4, StandardCharsets.ISO_8859_1);
                int data = p + 8;
                if (p == 8 && !type.equals("IHDR")) return null;
                switch (type) {
                    case "IHDR" -> {
                        if (p != 8 || len != 13) return null;
                        width = be32(f, data);
                        height = be32(f, data + 4);
                        int depth = f[data + 8], color = f[data + 9];
                        if (depth != 8 || f[data + 10] != 0 || f[data + 11] != 0 || f[data + 12] != 0) return null; // 8-bit, deflate, adaptive filters, not interlaced
                        channels = switch (color) {
                            case 0 -> 1;
                            case 2 -> 3;
                            case 6 -> 4;
                            default -> -1; // palette, gray + alpha: ImageIO's colour models
                        };
                        if (channels < 0 || width <= 0 || height <= 0) return null;
                        long size = (long) height * (1 + (long) width * channels);
                        // the header's size is not trusted with a large allocation before any pixel data has been seen
                        if (size > MAX_DIRECT_BYTES || (long) headerBytes + (long) height * width * channels > MAX_DIRECT_BYTES) return null;
                        raw = new byte[(int) size];
                    }
                    case "IDAT" -> {
                        if (raw == null) return null;
                        inflater.setInput(f, data, len);
                        while (!inflater.needsInput() && !inflater.finished() && rawAt < raw.length) {
                            int n = inflater.inflate(raw, rawAt, raw.length - rawAt);
                            if (n == 0 && inflater.needsDictionary()) return null;
                            rawAt += n;
                        }
                    }
                    case "IEND" -> ended = true;
                    default -> {
                        // tRNS, gAMA, cHRM, iCCP, sBIT, unknown critical chunks...; a palette only suggests colours to a
                        // truecolour image, and has no place in a gray one (left to ImageIO to judge)
                        if (!HARMLESS.contains(type) || type.equals("PLTE") && channels == 1) return null;
                    }
                }
                p = data + len + 4; // the CRC is not checked here: ImageIO does not check it either
                if (ended) break;
            }
            if (!ended || raw == null || rawAt != raw.length) return null;
        } finally {
            inflater.end();
        }
        byte[] out = new byte[headerBytes + height * width * channels];
        unfilter(raw, width, height, channels, out, headerBytes);
        return new Image(height, width, channels, out);
    }

    /**
     * Undoes each scanline's filter (None, Sub, Up, Average, Paeth; bytes per pixel = channels) in
     * place, then writes the row in the column's channel order: gray as is, RGB[A] as B G R [A].
     */
    private static void unfilter(byte[] raw, int width, int height, int c, byte[] out, int at) {
        int stride = width * c;
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1), cur = row + 1, prev = row - stride; // prev: the previous row's first sample
            int filter = raw[row];
            switch (filter) {
                case 0 -> { }
                case 1 -> { for (int i = c; i < stride; i++) raw[cur + i] += raw[cur + i - c]; }
                case 2 -> { if (y > 0) for (int i = 0; i < stride; i++) raw[cur + i] += raw[prev + i]; }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= c ? raw[cur + i - c] & 0xFF : 0, up = y > 0 ? raw[prev + i] & 0xFF : 0;
                        raw[cur + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= c ? raw[cur + i - c] & 0xFF : 0, b = y > 0 ? raw[prev + i] & 0xFF : 0, d = i >= c && y > 0 ? raw[prev + i - c] & 0xFF : 0;
                        raw[cur + i] += (byte) paeth(a, b, d);
                    }
                }
                default -> throw new IllegalArgumentException("filter type " + filter);
            }
            int o = at + y * stride;
            if (c == 1) {
                System.arraycopy(raw, cur, out, o, stride);
            } else {
                for (int i = 0; i < stride; i += c) {
                    out[o + i] = raw[cur + i + 2];
                    out[o + i + 1] = raw[cur + i + 1];
                    out[o + i + 2] = raw[cur + i];
                    if (c == 4) out[o + i + 3] = raw[cur + i + 3];
                }
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int be32(byte[] f, int at) {
        return (f[at] & 0xFF) << 24 | (f[at + 1] & 0xFF) << 16 | (f[at + 2] & 0xFF) << 8 | f[at + 3] & 0xFF;
    }
}
