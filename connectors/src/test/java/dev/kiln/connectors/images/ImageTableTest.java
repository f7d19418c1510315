package dev.kiln.connectors.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images written by the JDK's encoders read back pixel for pixel (BGR order, as Spark's image source); broken files become error rows. */
class ImageTableTest {
    @Test
    void readsPixelsModesAndErrors(@TempDir Path dir) throws Exception {
        Random rnd = new Random(3);
        BufferedImage rgb = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        BufferedImage argb = new BufferedImage(4, 6, BufferedImage.TYPE_INT_ARGB);
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (BufferedImage im : List.of(rgb, argb)) {
            for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, rnd.nextInt());
        }
        for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) gray.getRaster().setSample(x, y, 0, rnd.nextInt(256));
        ImageIO.write(rgb, "png", dir.resolve("a.png").toFile());
        ImageIO.write(argb, "png", dir.resolve("b.png").toFile());
        Files.createDirectories(dir.resolve("sub"));
        ImageIO.write(gray, "png", dir.resolve("sub/c.png").toFile());
        ImageIO.write(rgb, "jpeg", dir.resolve("d.jpg").toFile());
        byte[] junk = new byte[300];
        rnd.nextBytes(junk);
        Files.write(dir.resolve("e.png"), junk);
        Files.writeString(dir.resolve("notes.txt"), "not read: not an image name");
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = ImageTable.read("images", dir, mem, 2);
            List<Object[]> rows = new ArrayList<>();
            for (Batch b : t.batches()) for (int r = 0; r < b.rowCount(); r++) {
                Object[] row = new Object[b.columns().size()];
                for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(r);
                rows.add(row);
            }
            assertEquals(5, rows.size());
            // origin, then the image struct's fields (origin, height, width, nChannels, mode, data), then error
            assertEquals(List.of("origin", "image.origin", "image.height", "image.width", "image.nChannels", "image.mode", "image.data", "error"), t.schema().names());
            assertTrue(((String) rows.get(0)[0]).endsWith("/a.png"), (String) rows.get(0)[0]);
            Object[] a = rows.get(0);
            assertEquals(a[0], a[1]);
            assertNull(a[7], String.valueOf(a[7]));
            assertEquals(List.of(5L, 7L, 3L, 16L), List.of(a[2], a[3], a[4], a[5]));
            assertPixels(rgb, (Tensor) rows.get(0)[6], 3);
            assertEquals(24L, rows.get(1)[5]);
            assertPixels(argb, (Tensor) rows.get(1)[6], 4);
            // d.jpg, e.png, then sub/c.png (sorted by path)
            Object[] jpeg = rows.get(2);
            assertEquals(List.of(5L, 7L, 3L), List.of(jpeg[2], jpeg[3], jpeg[4]));
            assertNull(jpeg[7]);
            Object[] broken = rows.get(3);
            assertTrue(((String) broken[0]).endsWith("/e.png"));
            // an undecodable file: the image is NULL (all its fields are), the error says why
            for (int c = 1; c <= 6; c++) assertNull(broken[c], "column " + c);
            assertTrue(((String) broken[7]).startsWith("cannot decode e.png: "), (String) broken[7]);
            Object[] g = rows.get(4);
            assertEquals(List.of(2L, 3L, 1L, 0L), List.of(g[2], g[3], g[4], g[5]));
            Tensor gt = (Tensor) g[6];
            for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) assertEquals(gray.getRaster().getSample(x, y, 0), gt.getLong(y * 3 + x));
        }
    }

    /**
     * The direct byte-array read and the colour-model read give the same pixels as
     * {@code getRGB} for every layout the JDK's types and readers produce: interleaved bytes in
     * either order, packed ints, premultiplied alpha, palettes, 16-bit samples, a sub-image that
     * starts inside its parent's array, and PNGs read back.
     */
    @Test
    void everyImageLayoutReadsAsGetRgb(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        List<BufferedImage> images = new ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_565_RGB}) {
            BufferedImage im = new BufferedImage(9 + type, 4 + type % 3, type);
            for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, rnd.nextInt());
            images.add(im);
            images.add(im.getSubimage(2, 1, im.getWidth() - 3, im.getHeight() - 2));
            Path f = dir.resolve("t" + type + ".png");
            ImageIO.write(im, "png", f.toFile());
            images.add(ImageIO.read(f.toFile()));
        }
        // an RGB image whose bytes are R, G, B (not the JDK's B, G, R)
        var cm = new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
        var raster = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 6, 3, 6 * 3, 3, new int[] {0, 1, 2}, null);
        BufferedImage rgbBytes = new BufferedImage(cm, raster, false, null);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 6; x++) rgbBytes.setRGB(x, y, rnd.nextInt());
        images.add(rgbBytes);
        // 16 bits per sample
        var cm16 = new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_USHORT);
        BufferedImage deep = new BufferedImage(cm16, cm16.createCompatibleWritableRaster(5, 4), false, null);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) deep.setRGB(x, y, rnd.nextInt());
        images.add(deep);
        for (BufferedImage im : images) {
            int c = ImageTable.channels(im);
            assertEquals(im.getColorModel().hasAlpha() ? 4 : 3, c, "channels of " + im);
            byte[] cell = ImageTable.cell(im, c);
            assertPixels(im, dev.kiln.runtime.vector.TensorCells.decode(dev.kiln.ir.tensor.ElementType.UINT8, java.lang.foreign.MemorySegment.ofArray(cell)), c);
        }
    }

    static void assertPixels(BufferedImage im, Tensor t, int channels) {
        assertEquals(List.of((long) im.getHeight(), (long) im.getWidth(), (long) channels), java.util.Arrays.stream(t.shape()).boxed().toList());
        int i = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                int argb = im.getRGB(x, y);
                assertEquals(argb & 0xFF, t.getLong(i++), "blue at " + x + "," + y);
                assertEquals((argb >>> 8) & 0xFF, t.getLong(i++));
                assertEquals((argb >>> 16) & 0xFF, t.getLong(i++));
                if (channels == 4) assertEquals(argb >>> 24, t.getLong(i++));
            }
        }
    }
}
