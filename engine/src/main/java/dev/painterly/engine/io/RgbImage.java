package dev.painterly.engine.io;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An RGB image as three float planes in [0,1] (3 x H x W, the engine's layout). */
public record RgbImage(int height, int width, float[] planes) {

    public RgbImage {
        if (planes.length != 3 * height * width) {
            throw new IllegalArgumentException("expected 3x" + height + "x" + width + " values, got " + planes.length);
        }
    }

    /** Reads any image ImageIO knows (PNG, JPEG, BMP, GIF); alpha is dropped. */
    public static RgbImage read(Path path) throws IOException {
        return fromBuffered(readBuffered(path), path);
    }

    /** The decoded image, with errors that say what is wrong with the file. */
    public static BufferedImage readBuffered(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file");
        }
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new IOException(path + ": cannot be read (check permissions and that it is a file)");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": not a readable image (truncated or corrupt?): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(path + ": not an image in a format we read (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    private static RgbImage fromBuffered(BufferedImage img, Path source) {
        int h = img.getHeight(), w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] p = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int c = argb[i];
            p[i] = ((c >> 16) & 0xff) / 255f;
            p[plane + i] = ((c >> 8) & 0xff) / 255f;
            p[2 * plane + i] = (c & 0xff) / 255f;
        }
        return new RgbImage(h, w, p);
    }

    public static RgbImage of(BufferedImage img) {
        return fromBuffered(img, null);
    }

    public int plane() {
        return height * width;
    }

    /** Bilinear resize with pixel centres aligned (half-pixel convention), edges clamped. */
    public RgbImage resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        return new RgbImage(newHeight, newWidth, Bilinear.resize(planes, 3, height, width, newHeight, newWidth));
    }

    /** Resized so that the longer side is n (unchanged when it already is). */
    public RgbImage resizeLongerSide(int n) {
        int[] hw = Bilinear.longerSide(height, width, n);
        return resize(hw[0], hw[1]);
    }

    /** Values clamped to [0,1] and rounded to 8 bits. */
    public BufferedImage toBuffered() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = plane();
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = to8(planes[i]) << 16 | to8(planes[plane + i]) << 8 | to8(planes[2 * plane + i]);
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    private static int to8(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** Writes a PNG (the caller decides where; see the CLI for atomic replacement). */
    public void writePng(Path path) throws IOException {
        if (!ImageIO.write(toBuffered(), "png", path.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
