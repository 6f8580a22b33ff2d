package dev.painterly.engine.io;

/**
 * Bilinear resampling of float planes with the half-pixel convention: output pixel x samples the
 * input at (x + 0.5) * in / out - 0.5, clamped to the edges. Used for images and masks.
 */
public final class Bilinear {

    private Bilinear() {
    }

    public static float[] resize(float[] src, int channels, int h, int w, int nh, int nw) {
        float[] out = new float[channels * nh * nw];
        double sy = (double) h / nh, sx = (double) w / nw;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(h - 1, y0 + 1);
            double ay = fy - y0;
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(w - 1, x0 + 1);
                double ax = fx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * h * w;
                    double top = src[base + y0 * w + x0] * (1 - ax) + src[base + y0 * w + x1] * ax;
                    double bottom = src[base + y1 * w + x0] * (1 - ax) + src[base + y1 * w + x1] * ax;
                    out[(c * nh + y) * nw + x] = (float) (top * (1 - ay) + bottom * ay);
                }
            }
        }
        return out;
    }

    /** Height and width scaled so that the longer side becomes n. */
    public static int[] longerSide(int h, int w, int n) {
        if (h >= w) {
            return new int[] {n, Math.max(1, (int) Math.round((double) w * n / h))};
        }
        return new int[] {Math.max(1, (int) Math.round((double) h * n / w)), n};
    }
}
