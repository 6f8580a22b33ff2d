package dev.painterly.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Small generated inputs: a painting of short coloured strokes, a composite with a red square, masks and cut-outs. */
final class TestImages {

    static final int W = 64;
    static final int H = 48;

    private TestImages() {
    }

    static BufferedImage painting(int w, int h) {
        Random r = new Random(5);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = 90 + (int) (60 * Math.sin(x * 0.3) * Math.cos(y * 0.2));
                img.setRGB(x, y, rgb(120 + r.nextInt(40), g, 70 + r.nextInt(30)));
            }
        }
        return img;
    }

    /** The painting with an opaque red square from (x0, y0) to (x1, y1), exclusive. */
    static BufferedImage composite(BufferedImage painting, int x0, int y0, int x1, int y1) {
        BufferedImage img = copy(painting);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                img.setRGB(x, y, rgb(220, 30, 20));
            }
        }
        return img;
    }

    /** A grey mask: white on the rectangle, black elsewhere. */
    static BufferedImage mask(int w, int h, int x0, int y0, int x1, int y1) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        return img;
    }

    static BufferedImage filled(int w, int h, int grey) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[w];
        Arrays.fill(row, grey);
        for (int y = 0; y < h; y++) {
            img.getRaster().setSamples(0, y, w, 1, 0, row);
        }
        return img;
    }

    /** A blue disc on transparency. */
    static BufferedImage cutout(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        double c = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (Math.hypot(x - c, y - c) <= size / 2.0) {
                    img.setRGB(x, y, 0xff000000 | rgb(30, 40, 220));
                }
            }
        }
        return img;
    }

    /** A complete job in {@code dir}: painting.png, composite.png, mask.png (a square object). */
    static void job(Path dir) throws IOException {
        BufferedImage p = painting(W, H);
        write(p, dir.resolve("painting.png"));
        write(composite(p, 22, 14, 42, 32), dir.resolve("composite.png"));
        write(mask(W, H, 22, 14, 42, 32), dir.resolve("mask.png"));
    }

    static Path write(BufferedImage img, Path file) throws IOException {
        String name = file.getFileName().toString();
        String format = name.endsWith(".jpg") ? "jpg" : "png";
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /** A copy of {@code file} cut to its first half. */
    static Path truncated(Path file, Path target) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return Files.write(target, Arrays.copyOf(bytes, bytes.length / 2));
    }

    private static BufferedImage copy(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }
}
