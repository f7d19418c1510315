package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
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
            try (QueryResult all = kiln.sql("SELECT origin, image.data FROM images WHERE error IS NULL");
                 QueryResult wide = kiln.sql("SELECT image.width, origin, image.data FROM images WHERE image.width > 6 ORDER BY image.width DESC")) {
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
     * The image column is Spark's image struct (origin, height, width, nChannels, mode, data):
     * selected whole it comes back as one STRUCT value per row (NULL for a file that does not
     * decode, whose top-level origin and error still say which and why); its fields are named
     * qualified, unqualified (image.height) or bare (height, where no column has the name); it
     * passes through views and sub-queries, IS NULL tests it, COUNT counts it, and a plan-API
     * query names its fields as columns (col("image.height")).
     */
    @Test
    void theImageColumnIsAStruct(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            BufferedImage im = new BufferedImage(4 + i, 2 + i, i == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            ImageIO.write(im, "png", dir.resolve("img" + i + ".png").toFile());
        }
        Files.writeString(dir.resolve("z.png"), "not a PNG");
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2))) {
            kiln.registerImages("images", dir);
            var type = kiln.resultSchema("SELECT * FROM images");
            assertEquals(List.of("origin", "image", "error"), type.names());
            assertEquals("STRUCT(origin VARCHAR, height INTEGER, width INTEGER, nChannels INTEGER, mode INTEGER, data TENSOR<uint8[height,width,nChannels]>)",
                    type.field(1).type().sql());
            try (QueryResult r = kiln.sql("SELECT origin, image, error FROM images ORDER BY origin")) {
                assertEquals(List.of("origin", "image", "error"), r.columnNames());
                List<Object[]> rows = r.rows();
                assertEquals(4, rows.size());
                for (int i = 0; i < 3; i++) {
                    var img = (dev.kiln.runtime.vector.StructValue) rows.get(i)[1];
                    assertEquals(List.of("origin", "height", "width", "nChannels", "mode", "data"), img.names());
                    assertEquals(rows.get(i)[0], img.get("origin"));
                    assertEquals(List.of(2L + i, 4L + i, i == 1 ? 1L : 3L, i == 1 ? 0L : 16L), List.of(img.get("height"), img.get("width"), img.get("nChannels"), img.get("mode")));
                    assertEquals(List.of(2L + i, 4L + i, i == 1 ? 1L : 3L), java.util.Arrays.stream(((Tensor) img.get("data")).shape()).boxed().toList());
                    assertEquals(null, rows.get(i)[2]);
                }
                assertTrue(((String) rows.get(3)[0]).endsWith("z.png"));
                assertEquals(null, rows.get(3)[1]);
                assertTrue(((String) rows.get(3)[2]).startsWith("cannot decode z.png"));
                assertTrue(r.isNull(3, 1));
            }
            String[] sameAnswer = {"SELECT image.height, image.width FROM images WHERE image IS NOT NULL ORDER BY 1",
                    "SELECT i.image.height, i.image.width FROM images i WHERE i.image IS NOT NULL ORDER BY 1",
                    "SELECT height, width FROM images WHERE width IS NOT NULL ORDER BY 1",
                    "SELECT x.image.height, x.image.width FROM (SELECT image FROM images) x WHERE x.image IS NOT NULL ORDER BY 1"};
            for (String q : sameAnswer) {
                try (QueryResult r = kiln.sql(q)) {
                    assertEquals(List.of(List.of(2L, 4L), List.of(3L, 5L), List.of(4L, 6L)), r.rows().stream().map(java.util.Arrays::asList).toList(), q);
                }
            }
            // an alias with a dot names the struct column, not a path
            try (QueryResult r = kiln.sql("SELECT image AS \"my.img\", image.width AS w FROM images WHERE image IS NOT NULL ORDER BY w")) {
                assertEquals(List.of("my.img", "w"), r.columnNames());
                assertEquals(4L, ((dev.kiln.runtime.vector.StructValue) r.rows().getFirst()[0]).get("width"));
            }
            try (QueryResult r = kiln.sql("SELECT count(*), count(image), count(image.origin), sum(CASE WHEN image IS NULL THEN 1 ELSE 0 END) FROM images")) {
                assertEquals(List.of(4L, 3L, 3L, 1L), java.util.Arrays.asList(r.rows().getFirst()));
            }
            kiln.sql("CREATE VIEW pictures AS SELECT origin AS file, image AS picture FROM images WHERE image.nChannels = 3").close();
            try (QueryResult r = kiln.sql("SELECT picture.width, picture FROM pictures ORDER BY file")) {
                assertEquals(List.of("width", "picture"), r.columnNames());
                assertEquals(List.of(4L, 6L), r.rows().stream().map(row -> row[0]).toList());
                assertEquals(6L, ((dev.kiln.runtime.vector.StructValue) r.rows().get(1)[1]).get("width"));
            }
            // the plan API: the struct's fields are columns named by their paths
            try (QueryResult r = kiln.table("images").filter(dev.kiln.frontend.plan.Functions.col("image.height").ge(3))
                    .select(dev.kiln.frontend.plan.Functions.col("image.width"), dev.kiln.frontend.plan.Functions.col("nChannels")).collect()) {
                assertEquals(List.of(List.of(5L, 1L), List.of(6L, 3L)), r.rows().stream().map(java.util.Arrays::asList).sorted(java.util.Comparator.comparing(l -> (Long) l.get(0))).toList());
            }
            KilnException whole = org.junit.jupiter.api.Assertions.assertThrows(KilnException.class,
                    () -> kiln.table("images").select(dev.kiln.frontend.plan.Functions.col("image")).collect().close());
            assertTrue(whole.getMessage().contains("'image' is a STRUCT, which the plan API reads as its fields' columns: name one, image.origin, image.height"),
                    whole.getMessage());
            // what a struct cannot do says what to write instead
            for (String[] bad : new String[][] {{"SELECT image + 1 FROM images", "Cannot apply '+'"}, {"SELECT max(image) FROM images", "MAX of a STRUCT"},
                    {"SELECT image, count(*) FROM images GROUP BY image", "cannot be used this way"}}) {
                KilnException e = org.junit.jupiter.api.Assertions.assertThrows(KilnException.class, () -> kiln.sql(bad[0]).close(), bad[0]);
                assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
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
            try (QueryResult r = kiln.sql("SELECT origin, image.height, image.width, error FROM images")) {
                for (Object[] row : r.rows()) all.put((String) row[0], row);
            }
            assertEquals(widths.length + 2, all.size());
            // the fields named bare (as Calcite's peek-fields structs allow) and qualified
            String[] queries = {"SELECT origin, width FROM images WHERE width >= 100", "SELECT origin, image.width FROM images WHERE 100 < image.width AND image.height <= 9",
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
                        case "WHERE 100 < image.width AND image.height <= 9" -> w > 100 && h <= 9;
                        default -> w == 150;
                    };
                    if (pass) want.add((String) row[0]);
                    long[] header = name.equals("damaged.png") ? new long[] {10, 200} : name.equals("text.png") ? null : new long[] {h, w};
                    boolean headerPass = header == null || switch (q.substring(q.indexOf("WHERE"))) {
                        case "WHERE width >= 100" -> header[1] >= 100;
                        case "WHERE 100 < image.width AND image.height <= 9" -> header[1] >= 100 && header[0] <= 9; // bounds are inclusive
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
