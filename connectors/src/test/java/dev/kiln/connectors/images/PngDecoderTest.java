package dev.kiln.connectors.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct PNG path gives exactly the cell ImageIO's path gives, for the files it takes: PNGs
 * that ImageIO writes from gray, RGB and RGBA images of many sizes, PNGs written here with each
 * of the five row filters forced, and real photos. Files it declines (palettes, 16 bits, Adam7,
 * a gamma or transparency chunk, damage) still decode through ImageIO, as before.
 */
class PngDecoderTest {
    @TempDir
    Path dir;

    /** The row ImageTable gives for the file, and the one ImageIO's path alone gives. */
    private static void sameAsImageIo(Path file, boolean direct) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        PngDecoder.Image png = PngDecoder.decode(bytes, ImageTable.CELL_HEADER);
        if (!direct) {
            assertNull(png, file + " should be left to ImageIO");
        } else {
            assertNotNull(png, file + " should take the direct path");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        int c = ImageTable.channels(img);
        byte[] want = ImageTable.cell(img, c);
        Object[] row = ImageTable.decode(file).values();
        assertEquals(List.of(img.getHeight(), img.getWidth(), c), List.of(row[2], row[3], row[4]), file.toString());
        assertArrayEquals(want, (byte[]) row[6], file.toString());
    }

    private static BufferedImage picture(int type, int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // noise, gradients and flat runs, so that the writer picks every filter somewhere
                int zone = (x / 7 + y / 3) % 3;
                int rgb = zone == 0 ? r.nextInt() : zone == 1 ? (x * 9 + y * 5) * 0x010203 : 0x5A3C1E;
                int alpha = type == BufferedImage.TYPE_4BYTE_ABGR || type == BufferedImage.TYPE_INT_ARGB ? (x * 37 + y * 11) & 0xFF : 0xFF;
                img.setRGB(x, y, alpha << 24 | rgb & 0xFFFFFF);
            }
        }
        return img;
    }

    @Test
    void pngsImageIoWritesDecodeToTheSameCells() throws IOException {
        int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY};
        int[][] sizes = {{1, 1}, {1, 7}, {5, 1}, {33, 4}, {70, 9}, {301, 40}};
        int n = 0;
        for (int type : types) {
            for (int[] wh : sizes) {
                Path f = dir.resolve("t" + type + "_" + wh[0] + "x" + wh[1] + ".png");
                ImageIO.write(picture(type, wh[0], wh[1], n++), "png", f.toFile());
                sameAsImageIo(f, true);
            }
        }
    }

    /** A PNG written here: 8-bit, colour type {@code color}, every row with filter {@code filter}, extra chunks after IHDR. */
    static byte[] png(int w, int h, int color, int filter, byte[] samples, String... extraChunks) {
        int c = color == 0 ? 1 : color == 2 ? 3 : color == 6 ? 4 : color == 4 ? 2 : 1;
        int stride = w * c;
        byte[] raw = new byte[h * (stride + 1)];
        for (int y = 0; y < h; y++) {
            raw[y * (stride + 1)] = (byte) filter;
            for (int i = 0; i < stride; i++) {
                int x = samples[y * stride + i] & 0xFF;
                int a = i >= c ? samples[y * stride + i - c] & 0xFF : 0, b = y > 0 ? samples[(y - 1) * stride + i] & 0xFF : 0;
                int d = i >= c && y > 0 ? samples[(y - 1) * stride + i - c] & 0xFF : 0;
                int pred = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    default -> { int p = a + b - d, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - d); yield pa <= pb && pa <= pc ? a : pb <= pc ? b : d; }
                };
                raw[y * (stride + 1) + 1 + i] = (byte) (x - pred);
            }
        }
        Deflater z = new Deflater();
        z.setInput(raw);
        z.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!z.finished()) idat.write(buf, 0, z.deflate(buf));
        z.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = {(byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w, (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, (byte) color, 0, 0, 0};
        chunk(out, "IHDR", ihdr);
        for (String extra : extraChunks) chunk(out, extra, extra.equals("gAMA") ? new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F} : new byte[] {1, 2, 3, 4, 5, 6});
        byte[] all = idat.toByteArray();
        // the data split over two IDAT chunks, as long files have it
        chunk(out, "IDAT", java.util.Arrays.copyOfRange(all, 0, all.length / 2));
        chunk(out, "IDAT", java.util.Arrays.copyOfRange(all, all.length / 2, all.length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8), (byte) data.length});
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long v = crc.getValue();
        out.writeBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    @Test
    void everyRowFilterOfEveryTakenColourType() throws IOException {
        Random r = new Random(3);
        for (int color : new int[] {0, 2, 6}) {
            for (int filter = 0; filter <= 4; filter++) {
                int w = 13 + filter, h = 6, c = color == 0 ? 1 : color == 2 ? 3 : 4;
                byte[] samples = new byte[w * h * c];
                r.nextBytes(samples);
                for (int i = 0; i < samples.length / 3; i++) samples[i] = (byte) (i * 7); // a smooth part
                Path f = dir.resolve("f" + color + "_" + filter + ".png");
                Files.write(f, png(w, h, color, filter, samples, "tEXt"));
                sameAsImageIo(f, true);
            }
        }
    }

    @Test
    void otherPngsAreLeftToImageIo() throws IOException {
        Random r = new Random(5);
        byte[] rgb = new byte[9 * 4 * 3];
        r.nextBytes(rgb);
        Path gamma = dir.resolve("gamma.png");
        Files.write(gamma, png(9, 4, 2, 4, rgb, "gAMA"));
        sameAsImageIo(gamma, false);
        byte[] ga = new byte[9 * 4 * 2];
        r.nextBytes(ga);
        Path grayAlpha = dir.resolve("gray-alpha.png");
        Files.write(grayAlpha, png(9, 4, 4, 1, ga));
        sameAsImageIo(grayAlpha, false);
        Path palette = dir.resolve("palette.png");
        ImageIO.write(picture(BufferedImage.TYPE_BYTE_INDEXED, 20, 5, 1), "png", palette.toFile());
        sameAsImageIo(palette, false);
        Path sixteen = dir.resolve("sixteen.png");
        ImageIO.write(picture(BufferedImage.TYPE_USHORT_GRAY, 20, 5, 2), "png", sixteen.toFile());
        sameAsImageIo(sixteen, false);
        // a truncated file: declined here, and ImageIO's error row as before
        byte[] whole = png(9, 4, 2, 4, rgb);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertNull(PngDecoder.decode(Files.readAllBytes(cut), ImageTable.CELL_HEADER));
        Object[] row = ImageTable.decode(cut).values();
        assertNull(row[6]);
        assertNotNull(row[7]);
    }

    @Test
    void realPhotosDecodeAsImageIoDecodesThem() throws IOException {
        Path data = Path.of(System.getProperty("user.home"), ".cache/kiln/data/skimage-0.19.3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data), "scikit-image's sample photos are fetched by ./kiln test: " + data);
        int taken = 0;
        try (var files = Files.list(data)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                boolean direct = PngDecoder.decode(Files.readAllBytes(f), ImageTable.CELL_HEADER) != null;
                sameAsImageIo(f, direct);
                if (direct) taken++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(taken > 0, "no photo took the direct path");
    }
}
