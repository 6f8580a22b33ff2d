package dev.painterly.engine.io;

/**
 * The one resampler of the project, for C x H x W float planes, following the reference's image
 * library (Torch7 {@code image.scale}, docs/algorithm.md section 0) so that images and masks at working
 * size and at every layer match the reference's.
 */
public final class Resampler {

    private Resampler() {
    }

    /**
     * "Bilinear": per axis, corner-aligned linear interpolation when enlarging and an exact area
     * average when shrinking (so downscales are antialiased); one axis may shrink while the other
     * enlarges. Each row is resampled along its width first, then each column, as Torch does,
     * with the intermediate kept in double.
     */
    public static float[] bilinear(float[] src, int channels, int h, int w, int nh, int nw) {
        return bilinear(src, channels, h, w, nh, nw, 0, 0, nh, nw);
    }

    /**
     * The window of rows [top, top + wh) and columns [left, left + ww) of {@link #bilinear(float[],
     * int, int, int, int, int) the "bilinear" resize} to nh x nw, the same values computed without
     * the rest of the resize: a small region of a large enlargement costs what the region costs.
     */
    public static float[] bilinear(float[] src, int channels, int h, int w, int nh, int nw, int top, int left, int wh, int ww) {
        check(src, channels, h, w, nh, nw);
        if (top < 0 || left < 0 || wh < 1 || ww < 1 || top + wh > nh || left + ww > nw) {
            throw new IllegalArgumentException("window " + wh + "x" + ww + " at (" + top + ", " + left + ") is not inside "
                    + nh + "x" + nw);
        }
        AxisWeights across = AxisWeights.of(w, nw);
        AxisWeights down = AxisWeights.of(h, nh);
        // Only the source rows that the window's rows read are resampled along their width.
        int firstRow = down.first()[top];
        int lastRow = down.first()[top + wh - 1] + down.weights()[top + wh - 1].length - 1;
        float[] out = new float[channels * wh * ww];
        double[] rows = new double[(lastRow - firstRow + 1) * ww];
        for (int c = 0; c < channels; c++) {
            int in = c * h * w;
            for (int y = firstRow; y <= lastRow; y++) {
                for (int x = 0; x < ww; x++) {
                    double[] k = across.weights()[left + x];
                    int from = in + y * w + across.first()[left + x];
                    double acc = 0;
                    for (int j = 0; j < k.length; j++) {
                        acc += k[j] * src[from + j];
                    }
                    rows[(y - firstRow) * ww + x] = acc;
                }
            }
            int o = c * wh * ww;
            for (int y = 0; y < wh; y++) {
                double[] k = down.weights()[top + y];
                int from = down.first()[top + y] - firstRow;
                for (int x = 0; x < ww; x++) {
                    double acc = 0;
                    for (int j = 0; j < k.length; j++) {
                        acc += k[j] * rows[(from + j) * ww + x];
                    }
                    out[o + y * ww + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /** "Nearest": destination index i takes source index floor(i * src / dst), no half-pixel offset. */
    public static float[] nearest(float[] src, int channels, int h, int w, int nh, int nw) {
        check(src, channels, h, w, nh, nw);
        int[] cols = new int[nw];
        for (int x = 0; x < nw; x++) {
            cols[x] = nearestIndex(x, w, nw);
        }
        float[] out = new float[channels * nh * nw];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < nh; y++) {
                int from = c * h * w + nearestIndex(y, h, nh) * w;
                int to = (c * nh + y) * nw;
                for (int x = 0; x < nw; x++) {
                    out[to + x] = src[from + cols[x]];
                }
            }
        }
        return out;
    }

    /** floor(i * src / dst) in exact integer arithmetic, clamped to the last source index. */
    static int nearestIndex(int i, int src, int dst) {
        return (int) Math.min(src - 1, (long) i * src / dst);
    }

    /** Height and width scaled so that the longer side becomes n. */
    public static int[] longerSide(int h, int w, int n) {
        if (h >= w) {
            return new int[] {n, Math.max(1, (int) Math.round((double) w * n / h))};
        }
        return new int[] {Math.max(1, (int) Math.round((double) h * n / w)), n};
    }

    private static void check(float[] src, int channels, int h, int w, int nh, int nw) {
        if (channels < 1 || h < 1 || w < 1 || nh < 1 || nw < 1) {
            throw new IllegalArgumentException("cannot resample " + channels + "x" + h + "x" + w + " to " + nh + "x" + nw);
        }
        if (src.length != channels * h * w) {
            throw new IllegalArgumentException("expected " + channels + "x" + h + "x" + w + " values, got " + src.length);
        }
    }
}
