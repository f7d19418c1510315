package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image directory queried in SQL through compiled pipelines: tensors pass through filters, sorts and projections unchanged. */
class ImageTablesTest {
    @Test
    void sqlOverAnImageDirectory(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        int files = 12;
        for (int i = 0; i < files; i++) {
            BufferedImage im = new BufferedImage(2 + i, 3 + i % 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, rnd.nextInt());
            ImageIO.write(im, "png", dir.resolve(String.format("img%02d.png", i)).toFile());
        }
        Files.writeString(dir.resolve("broken.jpg"), "this is text, not a JPEG");
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2))) {
            kiln.registerImages("images", dir);
            try (QueryResult r = kiln.sql("SELECT count(*), count(image), count(error) FROM images")) {
                assertEquals(List.of(List.of((long) files + 1, (long) files, 1L)), r.rows().stream().map(java.util.Arrays::asList).toList());
            }
            try (QueryResult r = kiln.sql("SELECT origin, error FROM images WHERE error IS NOT NULL")) {
                assertTrue(r.rows().getFirst()[0].toString().endsWith("broken.jpg"));
                assertTrue(r.rows().getFirst()[1].toString().startsWith("cannot decode broken.jpg: "), r.rows().getFirst()[1].toString());
            }
            // the compiled pipelines carry each tensor cell as it was read (ordered by width, descending)
            try (QueryResult all = kiln.sql("SELECT origin, image FROM images WHERE error IS NULL");
                 QueryResult wide = kiln.sql("SELECT width, origin, image FROM images WHERE width > 6 ORDER BY width DESC")) {
                java.util.Map<String, Tensor> byOrigin = new java.util.HashMap<>();
                for (Object[] row : all.rows()) byOrigin.put((String) row[0], (Tensor) row[1]);
                assertEquals(files - 5, wide.rows().size());
                long previous = Long.MAX_VALUE;
                for (Object[] row : wide.rows()) {
                    Tensor t = (Tensor) row[2];
                    assertEquals(byOrigin.get((String) row[1]), t);
                    assertEquals((long) row[0], t.shape()[1]);
                    assertTrue((long) row[0] < previous);
                    previous = (long) row[0];
                }
            }
        }
    }

    /**
     * A filter on height or width decodes only the files whose header can pass it: the scan's
     * actual rows (EXPLAIN ANALYZE) are those files, and the answer is what filtering the fully
     * decoded table gives - also for a file whose header passes but whose pixels are damaged (an
     * error row, which the filter drops) and one whose header cannot be read (decoded, dropped).
     */
    @Test
    void filtersOnSizeSkipTheDecodingOfFilesTheyRuleOut(@TempDir Path dir) throws Exception {
        Random rnd = new Random(5);
        int[] widths = {40, 90, 100, 101, 150, 250, 60, 300};
        for (int i = 0; i < widths.length; i++) {
            BufferedImage im = new BufferedImage(widths[i], 5 + i, i % 2 == 0 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < im.getHeight(); y++) for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, rnd.nextInt());
            ImageIO.write(im, i == 3 ? "jpg" : "png", dir.resolve(String.format("img%02d.%s", i, i == 3 ? "jpg" : "png")).toFile());
        }
        // a PNG whose header says 200 wide but whose pixel data is cut off, and a file with no header at all
        byte[] whole = Files.readAllBytes(dir.resolve("img05.png"));
        byte[] cut = java.util.Arrays.copyOf(whole, 60);
        java.nio.ByteBuffer.wrap(cut, 16, 4).putInt(200);
        Files.write(dir.resolve("damaged.png"), cut);
        Files.writeString(dir.resolve("text.png"), "not an image");
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2))) {
            kiln.registerImages("images", dir);
            // the reference: every file decoded, filtered here
            java.util.Map<String, Object[]> all = new java.util.TreeMap<>();
            try (QueryResult r = kiln.sql("SELECT origin, height, width, error FROM images")) {
                for (Object[] row : r.rows()) all.put((String) row[0], row);
            }
            assertEquals(widths.length + 2, all.size());
            String[] queries = {"SELECT origin, width FROM images WHERE width >= 100", "SELECT origin, width FROM images WHERE 100 < width AND height <= 9",
                    "SELECT origin, width FROM images WHERE width = 150"};
            for (String q : queries) {
                java.util.Set<String> got = new java.util.TreeSet<>();
                try (QueryResult r = kiln.sql(q)) {
                    for (Object[] row : r.rows()) got.add((String) row[0]);
                }
                java.util.Set<String> want = new java.util.TreeSet<>();
                java.util.Set<String> decodable = new java.util.TreeSet<>(); // the files the header lets through (or does not speak for)
                for (Object[] row : all.values()) {
                    String name = Path.of(java.net.URI.create((String) row[0])).getFileName().toString();
                    Long w = (Long) row[2], h = (Long) row[1];
                    boolean pass = w != null && switch (q.substring(q.indexOf("WHERE"))) {
                        case "WHERE width >= 100" -> w >= 100;
                        case "WHERE 100 < width AND height <= 9" -> w > 100 && h <= 9;
                        default -> w == 150;
                    };
                    if (pass) want.add((String) row[0]);
                    long[] header = name.equals("damaged.png") ? new long[] {10, 200} : name.equals("text.png") ? null : new long[] {h, w};
                    boolean headerPass = header == null || switch (q.substring(q.indexOf("WHERE"))) {
                        case "WHERE width >= 100" -> header[1] >= 100;
                        case "WHERE 100 < width AND height <= 9" -> header[1] >= 100 && header[0] <= 9; // bounds are inclusive
                        default -> header[1] == 150;
                    };
                    if (headerPass) decodable.add(name);
                }
                assertEquals(want, got, q);
                String plan = kiln.explainAnalyze(q).optimizedPlan();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("TableScan[^\\n]*actual=(\\d+)").matcher(plan);
                assertTrue(m.find(), plan);
                assertEquals(decodable.size(), Integer.parseInt(m.group(1)), q + ": decoded " + decodable + "\n" + plan);
            }
        }
    }
}
