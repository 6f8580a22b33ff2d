package dev.painterly.harmonizer;

/**
 * The histogram target of one layer (docs/algorithm.md section 2, step 6): per channel, over the
 * positions of the used region R, the min and max of the painting's features and a 256-bin
 * histogram over [min, max], scaled by nI / nJ (nI = positions the loss remaps, nJ = positions
 * of R), with its cumulative sum.
 */
public final class HistogramTarget {

    public static final int BINS = 256;

    private final int channels;
    private final float[] min;
    private final float[] max;
    private final double[][] hist;
    private final double[][] cumulative;

    private HistogramTarget(int channels, float[] min, float[] max, double[][] hist, double[][] cumulative) {
        this.channels = channels;
        this.min = min;
        this.max = max;
        this.hist = hist;
        this.cumulative = cumulative;
    }

    /**
     * @param features the painting's features at the layer, C x N (N = H*W)
     * @param region   used region R at the layer (1 = used), N values
     * @param remapped nI: how many positions the loss will remap (m_L &gt; 0.1)
     */
    public static HistogramTarget of(float[] features, int channels, float[] region, int remapped) {
        int n = region.length;
        int nJ = 0;
        for (float r : region) {
            if (r > 0.5f) {
                nJ++;
            }
        }
        if (nJ == 0) {
            throw new IllegalArgumentException("the used region is empty");
        }
        double scale = (double) remapped / nJ;
        float[] min = new float[channels];
        float[] max = new float[channels];
        double[][] hist = new double[channels][BINS];
        double[][] cum = new double[channels][BINS];
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < n; p++) {
                if (region[p] > 0.5f) {
                    float v = features[c * n + p];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            min[c] = lo;
            max[c] = hi;
            for (int p = 0; p < n; p++) {
                if (region[p] > 0.5f) {
                    hist[c][bin(features[c * n + p], lo, hi)] += scale;
                }
            }
            double acc = 0;
            for (int b = 0; b < BINS; b++) {
                acc += hist[c][b];
                cum[c][b] = acc;
            }
        }
        return new HistogramTarget(channels, min, max, hist, cum);
    }

    /** The bin of v over [lo, hi] (the top edge belongs to the last bin). */
    static int bin(float v, float lo, float hi) {
        if (hi <= lo) {
            return 0;
        }
        int b = (int) Math.floor((double) (v - lo) / (hi - lo) * BINS);
        return Math.max(0, Math.min(BINS - 1, b));
    }

    public int channels() {
        return channels;
    }

    /**
     * The value that rank k (0-based, among the remapped positions sorted ascending) is mapped
     * to: bin b with cum[b-1] &lt;= k &lt; cum[b], ratio = clamp((k - cum[b-1]) / (hist[b] + 1e-8), 0, 1),
     * value = min + (b + ratio) * (max - min) / 256.
     */
    public float remap(int channel, int k) {
        double[] cum = cumulative[channel];
        int lo = 0, hi = BINS - 1;
        // The first bin whose cumulative count exceeds k (binary search; cum is non-decreasing).
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int b = lo;
        double before = b == 0 ? 0 : cum[b - 1];
        double ratio = Math.max(0, Math.min(1, (k - before) / (hist[channel][b] + 1e-8)));
        return (float) (min[channel] + (b + ratio) * (max[channel] - min[channel]) / BINS);
    }
}
