package dev.painterly.harmonizer;

/**
 * The remapping of the histogram loss ({@link HistogramLoss}, docs/algorithm.md section 2): per
 * channel, the current values at the masked positions are ranked (ties by position order) and the
 * value of rank k is remapped through the target's cumulative histogram to R. What rank k maps to
 * depends only on the target and the number of positions, so it is tabulated once
 * ({@link #table}) and the ranking is an op of the device ({@code device.histogram()}).
 */
public final class HistogramRemap {

    private HistogramRemap() {
    }

    /** What each rank of each channel maps to, C x m: entry c * m + k is {@code target.remap(c, k)}. */
    public static float[] table(HistogramTarget target, int m) {
        int channels = target.channels();
        float[] table = new float[channels * m];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < m; k++) {
                table[c * m + k] = target.remap(c, k);
            }
        }
        return table;
    }
}
