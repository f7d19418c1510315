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
}
