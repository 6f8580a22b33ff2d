package dev.painterly.engine.io;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

    /**
     * The decoded image, with errors that say what is wrong with the file and what to do. A decoder
     * warning fails the read too: the JPEG decoder reports a truncated file only as a warning and
     * would otherwise hand back an image whose missing rows are grey.
     */
    public static BufferedImage readBuffered(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file: check the path");
        }
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a folder, not an image: give the path of an image file");
        }
        if (!Files.isReadable(path)) {
            throw new IOException(path + ": cannot be read: check its permissions");
        }
        if (Files.size(path) == 0) {
            throw new IOException(path + " is empty (0 bytes): copy or export the image again");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(path + " is not an image we can read: give a PNG, JPEG, BMP or GIF file");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            BufferedImage img;
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                img = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw damaged(path, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw damaged(path, warnings.get(0));
            }
            return img;
        }
    }

    private static IOException damaged(Path path, String detail) {
        return new IOException(path + " is truncated or corrupt (" + detail.strip() + "): copy or export the image again");
    }

    /**
     * The pixels as 8-bit ARGB, row by row. Grey images keep their stored values: BufferedImage's
     * own getRGB treats grey as linear light and brightens it (128 becomes 188), which would wash
     * out grey paintings and the soft edges of grey masks.
     */
    public static int[] argb(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        if (img.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return img.getRGB(0, 0, w, h, null, 0, w);
        }
        Raster raster = img.getRaster();
        boolean alpha = img.getColorModel().hasAlpha();
        double grayScale = 255.0 / ((1L << raster.getSampleModel().getSampleSize(0)) - 1);
        double alphaScale = alpha ? 255.0 / ((1L << raster.getSampleModel().getSampleSize(1)) - 1) : 0;
        int[] out = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = (int) Math.round(raster.getSample(x, y, 0) * grayScale);
                int a = alpha ? (int) Math.round(raster.getSample(x, y, 1) * alphaScale) : 255;
                out[y * w + x] = a << 24 | g << 16 | g << 8 | g;
            }
        }
        return out;
    }

    private static RgbImage fromBuffered(BufferedImage img, Path source) {
        int h = img.getHeight(), w = img.getWidth();
        int[] argb = argb(img);
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

    /** "Bilinear" resize of {@link Resampler}: corners aligned when enlarging, area average when shrinking. */
    public RgbImage resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        return new RgbImage(newHeight, newWidth, Resampler.bilinear(planes, 3, height, width, newHeight, newWidth));
    }

    /** Resized so that the longer side is n (unchanged when it already is). */
    public RgbImage resizeLongerSide(int n) {
        int[] hw = Resampler.longerSide(height, width, n);
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
