package dev.kiln.connectors.images;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import dev.kiln.runtime.vector.TensorCells;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A directory of images (PNG, JPEG, BMP, GIF; recursively) as a table, one row per file, in the
 * shape of Spark's image source: {@code origin} (the file's URI), {@code image}, a struct of
 * Spark's image fields - {@code origin}, {@code height}, {@code width}, {@code nChannels},
 * {@code mode} (the OpenCV type: 0 = 8-bit gray, 16 = 8-bit BGR, 24 = 8-bit BGRA) and the pixels
 * as {@code data}, a UINT8 tensor [height, width, nChannels] in Spark's channel order (B, G,
 * R[, A]) - and {@code error}. A file that cannot be decoded is not a failed query: its image is
 * NULL (all its fields are) and {@code error} says why (NULL for the images that decoded); the
 * top-level {@code origin} still names the file. {@link #TYPE} is the table's schema as SQL sees
 * it; the columns are {@link #SCHEMA}, the struct flattened into {@code image.height} and so on.
 */
public final class ImageTable {
    private ImageTable() {}

    public static final DataType IMAGE = new DataType.TensorType(new TensorType(ElementType.UINT8,
            TensorShape.of(Dim.symbol("height"), Dim.symbol("width"), Dim.symbol("nChannels"))));

    /** Spark's image struct: origin, height, width, nChannels, mode, data. */
    public static final DataType.StructType STRUCT = new DataType.StructType(List.of(new Field("origin", DataType.VARCHAR, false),
            new Field("height", DataType.INTEGER, false), new Field("width", DataType.INTEGER, false), new Field("nChannels", DataType.INTEGER, false),
            new Field("mode", DataType.INTEGER, false), new Field("data", IMAGE, false)));

    /** The table: the file's URI, its image (NULL when the file does not decode) and the decoding error. */
    public static final Schema TYPE = Schema.of(new Field("origin", DataType.VARCHAR, false), new Field("image", STRUCT, true),
            new Field("error", DataType.VARCHAR, true));

    /** The table's columns: {@link #TYPE} flattened (origin, image.origin, image.height, ..., image.data, error). */
    public static final Schema SCHEMA = TYPE.flatten();

    private static final List<String> SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** One decoded file: its row's values, the image as its column cell's bytes ({@link TensorCells}' encoding). */
    record Row(Object[] values) {}

    /**
     * Reads every image file under {@code dir} (files sorted by path, so the row order is stable),
     * decoding {@code threads} at a time.
     */
    public static Table read(String name, Path dir, QueryMemory mem, int threads) {
        return read(name, list(name, dir), mem, threads);
    }

    /** The image files under {@code dir} (by suffix), sorted by path: the table's rows, in order. */
    public static List<Path> list(String name, Path dir) {
        if (!Files.isDirectory(dir)) throw new KilnException("image table " + name + ": " + dir + " is not a directory");
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(ImageTable::isImageName).sorted().toList();
        } catch (IOException e) {
            throw new KilnException("image table " + name + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The height and width a file's header gives, without decoding its pixels (a PNG's IHDR read
     * directly, other formats through their ImageIO reader); empty when the header cannot be read,
     * which a caller must take as "unknown" (the file still decodes to a row, maybe an error row).
     */
    public static java.util.Optional<int[]> headerSize(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(24);
            if (head.length == 24 && head[0] == (byte) 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G' && head[12] == 'I' && head[13] == 'H'
                    && head[14] == 'D' && head[15] == 'R') {
                int w = java.nio.ByteBuffer.wrap(head, 16, 4).getInt(), h = java.nio.ByteBuffer.wrap(head, 20, 4).getInt();
                return w > 0 && h > 0 ? java.util.Optional.of(new int[] {h, w}) : java.util.Optional.empty();
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        try (var stream = ImageIO.createImageInputStream(file.toFile())) {
            if (stream == null) return java.util.Optional.empty();
            var readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) return java.util.Optional.empty();
            var reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                return java.util.Optional.of(new int[] {reader.getHeight(0), reader.getWidth(0)});
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The rows of {@code files} (in that order), decoding {@code threads} at a time. */
    public static Table read(String name, List<Path> files, QueryMemory mem, int threads) {
        List<Row> rows = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "kiln-image-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Row>> done = new ArrayList<>();
            for (Path f : files) done.add(pool.submit((Callable<Row>) () -> decode(f)));
            for (Future<Row> f : done) rows.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("image table " + name + ": interrupted while decoding", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KilnException("image table " + name + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        TableBuilder tb = new TableBuilder(name, SCHEMA, mem);
        int image = SCHEMA.indexOf("image.data").orElseThrow();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (i % Table.MORSEL_ROWS == 0) {
                // the pixels of this batch's rows reserved at once (the heap grown by doublings copied them about twice)
                long pixels = 0;
                for (Row b : rows.subList(i, Math.min(rows.size(), i + Table.MORSEL_ROWS))) if (b.values()[image] instanceof byte[] cell) pixels += cell.length;
                tb.column(image).reserveCellBytes(pixels);
            }
            for (int c = 0; c < SCHEMA.size(); c++) {
                // the pixels come encoded already: copied into the column as they are
                if (c == image && r.values()[c] instanceof byte[] cell) tb.column(c).appendCell(MemorySegment.ofArray(cell), 0, cell.length);
                else tb.column(c).appendObject(r.values()[c]);
            }
            tb.endRow();
        }
        return tb.build();
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(n::endsWith);
    }

    /** The row of one file; a file that is not a readable image gives NULL fields and the reason. */
    static Row decode(Path file) {
        String origin = file.toUri().toString();
        BufferedImage img;
        try {
            byte[] bytes = Files.readAllBytes(file);
            // the common PNGs decoded straight into the cell; any other file (or PNG) through ImageIO
            PngDecoder.Image png = PngDecoder.decode(bytes, CELL_HEADER);
            if (png != null) {
                writeCellHeader(png.pixels(), png.height(), png.width(), png.channels());
                int c = png.channels();
                return new Row(new Object[] {origin, origin, png.height(), png.width(), c, c == 1 ? 0 : c == 3 ? 16 : 24, png.pixels(), null});
            }
            // decoded from memory (ImageIO.read(InputStream) caches the stream in a temporary file); ImageIO.read closes the stream
            img = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) {
            return failed(origin, "cannot decode " + file.getFileName() + ": " + e.getMessage());
        }
        if (img == null) return failed(origin, "cannot decode " + file.getFileName() + ": not an image in a format the JDK reads (PNG, JPEG, BMP, GIF)");
        int h = img.getHeight();
        int w = img.getWidth();
        int c = channels(img);
        byte[] cell = cell(img, c);
        int mode = c == 1 ? 0 : c == 3 ? 16 : 24;
        return new Row(new Object[] {origin, origin, h, w, c, mode, cell, null});
    }

    /** 1 for a gray image without alpha, 4 with alpha, else 3. */
    static int channels(BufferedImage img) {
        boolean gray = img.getColorModel().getNumColorComponents() == 1;
        boolean alpha = img.getColorModel().hasAlpha();
        return gray && !alpha ? 1 : alpha ? 4 : 3;
    }

    /** The bytes of the image's column cell: a UINT8 tensor [height, width, c] as {@link TensorCells} encodes it, its pixels as {@link #pixels} writes them. */
    static byte[] cell(BufferedImage img, int c) {
        byte[] cell = new byte[Math.addExact(CELL_HEADER, Math.multiplyExact(Math.multiplyExact(img.getHeight(), img.getWidth()), c))];
        writeCellHeader(cell, img.getHeight(), img.getWidth(), c);
        pixels(img, c, cell, CELL_HEADER);
        return cell;
    }

    /** Bytes before a cell's pixels: the rank (3) and the shape, as {@link TensorCells} encodes a UINT8 tensor. */
    static final int CELL_HEADER = 4 + 8 * 3;

    private static void writeCellHeader(byte[] cell, long h, long w, long c) {
        MemorySegment s = MemorySegment.ofArray(cell);
        s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 3);
        long[] shape = {h, w, c};
        for (int i = 0; i < shape.length; i++) s.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4 + 8L * i, shape[i]);
    }

    /**
     * Writes the image's pixels into {@code out} from {@code at}: [height, width, c] row-major in
     * the order B, G, R[, A] (gray: the sample's high byte). 8-bit sRGB and gray images whose
     * samples sit in one byte array (what the PNG and JPEG readers give) are read straight from
     * that array; any other layout goes through the colour model a row at a time
     * ({@link BufferedImage#getRGB}), which converts palettes, 16-bit samples, premultiplied alpha
     * and other colour spaces to sRGB.
     */
    static void pixels(BufferedImage img, int c, byte[] out, int at) {
        int h = img.getHeight(), w = img.getWidth();
        var raster = img.getRaster();
        int i = at;
        if (c == 1) {
            int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8); // 16-bit gray: keep the high byte
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) out[i++] = (byte) (row[x] >>> shift);
            }
            return;
        }
        int[] offsets = byteLayout(img, c);
        if (offsets != null) {
            var sm = (java.awt.image.ComponentSampleModel) raster.getSampleModel();
            byte[] data = ((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData();
            int ps = sm.getPixelStride(), ss = sm.getScanlineStride();
            // a child raster starts inside its parent's array
            int base = raster.getDataBuffer().getOffset() - raster.getSampleModelTranslateY() * ss - raster.getSampleModelTranslateX() * ps;
            boolean bgr = ps == 3 && c == 3 && offsets[0] == 0 && offsets[1] == 1 && offsets[2] == 2;
            for (int y = 0; y < h; y++) {
                int from = base + y * ss;
                if (bgr) { // the JDK's own order (TYPE_3BYTE_BGR, what the PNG reader gives for RGB): whole rows
                    System.arraycopy(data, from, out, i, 3 * w);
                    i += 3 * w;
                    continue;
                }
                for (int x = 0; x < w; x++, from += ps) {
                    for (int k = 0; k < c; k++) out[i++] = data[from + offsets[k]];
                }
            }
            return;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int v = argb[x];
                out[i++] = (byte) v;          // B
                out[i++] = (byte) (v >>> 8);  // G
                out[i++] = (byte) (v >>> 16); // R
                if (c == 4) out[i++] = (byte) (v >>> 24);
            }
        }
    }

    /**
     * Where B, G, R[, A] sit within a pixel's bytes, when the image keeps one byte per sample of
     * an sRGB (non-premultiplied) colour model in a pixel-interleaved byte array; else null.
     */
    private static int[] byteLayout(BufferedImage img, int c) {
        var cm = img.getColorModel();
        var raster = img.getRaster();
        if (!(cm instanceof java.awt.image.ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()) return null;
        if (!(raster.getSampleModel() instanceof java.awt.image.ComponentSampleModel sm) || !(raster.getDataBuffer() instanceof java.awt.image.DataBufferByte)) return null;
        if (sm.getNumBands() != c || raster.getDataBuffer().getNumBanks() != 1) return null;
        for (int b = 0; b < c; b++) {
            if (sm.getSampleSize(b) != 8 || sm.getBankIndices()[b] != 0) return null;
        }
        int[] bands = sm.getBandOffsets(); // in R, G, B[, A] order
        return c == 4 ? new int[] {bands[2], bands[1], bands[0], bands[3]} : new int[] {bands[2], bands[1], bands[0]};
    }

    private static Row failed(String origin, String error) {
        return new Row(new Object[] {origin, null, null, null, null, null, null, error});
    }
}
