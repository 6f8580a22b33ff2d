package dev.painterly.engine.testing;

/**
 * The high-frequency energy of part of an image: the mean absolute Laplacian (4 x - the four
 * neighbours), over the channels and the pixels of a box. A soft (enlarged) region scores low, a
 * region with a painting's grain high.
 */
public final class HighFrequency {

    private HighFrequency() {
    }

    /**
     * @param planes C x h x w values; the box (top, left, height, width) and a 1-pixel border around it must lie
     *               inside the image
     */
    public static double meanAbsLaplacian(float[] planes, int channels, int h, int w, int top, int left, int height, int width) {
        return frame(planes, channels, h, w, top, left, height, width, Integer.MAX_VALUE);
    }

    /** The same over the frame of {@code thickness} pixels just inside the box's edge. */
    public static double frame(float[] planes, int channels, int h, int w, int top, int left, int height, int width,
                               int thickness) {
        if (top < 1 || left < 1 || top + height > h - 1 || left + width > w - 1) {
            throw new IllegalArgumentException("the box and a 1-pixel border must lie inside the " + w + "x" + h + " image");
        }
        double sum = 0;
        long n = 0;
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = top; y < top + height; y++) {
                for (int x = left; x < left + width; x++) {
                    int in = Math.min(Math.min(y - top, top + height - 1 - y), Math.min(x - left, left + width - 1 - x));
                    if (in >= thickness) {
                        continue;
                    }
                    int i = base + y * w + x;
                    sum += Math.abs(4 * planes[i] - planes[i - 1] - planes[i + 1] - planes[i - w] - planes[i + w]);
                    n++;
                }
            }
        }
        return sum / n;
    }
}
