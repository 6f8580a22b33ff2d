package dev.painterly.harmonizer;

import dev.painterly.engine.io.Resampler;
import dev.painterly.engine.io.RgbImage;

import java.util.Arrays;
import java.util.Locale;

/**
 * Two measures of a painting's stylisation, printed by {@code painterly style-level} for anyone who
 * wants to check or improve on an estimate of the style level, and judged by
 * {@link StyleLevelValidation}. The published levels come from a CNN trained on WikiArt that was
 * never released; these are documented image statistics instead.
 *
 * <p>Why they might track the level: strongly stylised paintings (cubism, expressionism) put their
 * contrast into few, strong, consistently oriented contours between flat areas; realistic and
 * impressionist ones spread fine texture of every orientation over the whole canvas. On the
 * luminance (mean of R, G and B), reduced by area averaging so that its longer side is
 * {@value #ANALYSIS_SIZE} (smaller paintings as they are), with central-difference gradients (gx, gy):
 * <ul>
 * <li>edge concentration C: the share of the total gradient energy gx^2 + gy^2 held by the 10%
 *     pixels where it is strongest (0.1 for even texture, near 1 for a few sharp contours);
 * <li>orientation coherence K: with the structure tensor J = (gx^2, gy^2, gx gy) averaged over
 *     7x7 windows, K = sum sqrt((Jxx - Jyy)^2 + 4 Jxy^2) / sum (Jxx + Jyy) over all pixels, i.e.
 *     the energy-weighted mean coherence (1 where each window has one orientation, 0 where all
 *     orientations are equally present).
 * </ul>
 * A line through their mean fitted to the ten published examples does worse than always answering
 * 5 when each example is left out of its own fit (see {@link StyleLevelValidation}), so no level
 * is derived from them.
 */
public record StyleFeatures(double concentration, double coherence) {

    static final int ANALYSIS_SIZE = 512;
    private static final int WINDOW_RADIUS = 3;
    private static final double STRONGEST_SHARE = 0.1;

    public static StyleFeatures of(RgbImage painting) {
        int h = painting.height(), w = painting.width();
        float[] gray = new float[h * w];
        float[] p = painting.planes();
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (p[i] + p[gray.length + i] + p[2 * gray.length + i]) / 3f;
        }
        if (Math.max(h, w) > ANALYSIS_SIZE) {
            int[] hw = Resampler.longerSide(h, w, ANALYSIS_SIZE);
            gray = Resampler.bilinear(gray, 1, h, w, hw[0], hw[1]);
            h = hw[0];
            w = hw[1];
        }
        float[] gx = new float[h * w];
        float[] gy = new float[h * w];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                gx[i] = (gray[i + 1] - gray[i - 1]) / 2;
                gy[i] = (gray[i + w] - gray[i - w]) / 2;
            }
        }
        double concentration = concentration(gx, gy);
        double coherence = coherence(gx, gy, h, w);
        return new StyleFeatures(concentration, coherence);
    }

    /** The candidate estimator's single score: the mean of both measures. */
    public double score() {
        return (concentration + coherence) / 2;
    }

    /** The measures as name=value pairs, for a line of output. */
    public String pairs() {
        return String.format(Locale.ROOT, "edge_concentration=%.4f orientation_coherence=%.4f", concentration, coherence);
    }

    /** Share of sum |g|^2 in the strongest 10% of pixels; 0 for a flat image. */
    static double concentration(float[] gx, float[] gy) {
        double[] energy = new double[gx.length];
        double total = 0;
        for (int i = 0; i < energy.length; i++) {
            energy[i] = (double) gx[i] * gx[i] + (double) gy[i] * gy[i];
            total += energy[i];
        }
        if (total == 0) {
            return 0;
        }
        Arrays.sort(energy);
        double top = 0;
        int n = (int) (energy.length * STRONGEST_SHARE);
        for (int i = energy.length - n; i < energy.length; i++) {
            top += energy[i];
        }
        return top / total;
    }

    /** Energy-weighted mean coherence of the 7x7 structure tensor; 0 for a flat image. */
    static double coherence(float[] gx, float[] gy, int h, int w) {
        float[] xx = new float[gx.length];
        float[] yy = new float[gx.length];
        float[] xy = new float[gx.length];
        for (int i = 0; i < gx.length; i++) {
            xx[i] = gx[i] * gx[i];
            yy[i] = gy[i] * gy[i];
            xy[i] = gx[i] * gy[i];
        }
        xx = boxMean(xx, h, w);
        yy = boxMean(yy, h, w);
        xy = boxMean(xy, h, w);
        double oriented = 0, total = 0;
        for (int i = 0; i < xx.length; i++) {
            double d = xx[i] - yy[i];
            oriented += Math.sqrt(d * d + 4.0 * xy[i] * xy[i]);
            total += xx[i] + yy[i];
        }
        return total == 0 ? 0 : oriented / total;
    }

    /** Mean over the (2r+1)^2 window, of the pixels inside the image. */
    private static float[] boxMean(float[] v, int h, int w) {
        int r = WINDOW_RADIUS;
        float[] rows = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                int n = 0;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++, n++) {
                    s += v[y * w + k];
                }
                rows[y * w + x] = (float) (s / n);
            }
        }
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                int n = 0;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++, n++) {
                    s += rows[k * w + x];
                }
                out[y * w + x] = (float) (s / n);
            }
        }
        return out;
    }
}
