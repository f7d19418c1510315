package dev.kiln.benchmarks.dl;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A directory of text-line images, PaddleOCR's direction classifier's input: lines of words
 * rendered with the JDK's fonts at varied sizes, widths and greys, every third one turned
 * upside down (180°), as PNG files. Seeded, so two calls write the same pixels.
 */
public final class TextLines {
    private TextLines() {}

    private static final List<String> WORDS = List.of("Kiln", "query", "compiler", "tensor", "batch", "image", "stream", "2024", "model", "scan",
            "filter", "join", "vector", "kernel", "ONNX", "PaddleOCR", "invoice", "total", "42.50", "EUR", "page", "chapter", "the", "of", "and");

    public static void write(Path dir, int count, long seed) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 2 + rnd.nextInt(4); w > 0; w--) text.append(WORDS.get(rnd.nextInt(WORDS.size()))).append(w > 1 ? " " : "");
            int height = 32 + rnd.nextInt(40);
            BufferedImage img = render(text.toString(), height, new Font(rnd.nextBoolean() ? Font.SANS_SERIF : Font.SERIF, Font.PLAIN, height * 2 / 3),
                    new Color(230 + rnd.nextInt(26), 230 + rnd.nextInt(26), 230 + rnd.nextInt(26)), new Color(rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(60)),
                    i % 3 == 2);
            ImageIO.write(img, "png", dir.resolve(String.format("line%04d.png", i)).toFile());
        }
    }

    private static BufferedImage render(String text, int height, Font font, Color paper, Color ink, boolean upsideDown) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int width = probe.createGraphics().getFontMetrics(font).stringWidth(text) + height / 2;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(paper);
        g.fillRect(0, 0, width, height);
        if (upsideDown) g.rotate(Math.PI, width / 2.0, height / 2.0);
        g.setColor(ink);
        g.setFont(font);
        g.drawString(text, height / 4, height * 3 / 4);
        g.dispose();
        return img;
    }
}
