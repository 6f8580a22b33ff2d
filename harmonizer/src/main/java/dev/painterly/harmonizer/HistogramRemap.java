package dev.painterly.harmonizer;

import dev.painterly.engine.reference.HistogramReference;

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

    /**
     * The remapped features on the host: R on the positions, 0 elsewhere (C x N).
     *
     * @param features  current features F, C x N
     * @param positions the masked positions (m_L &gt; 0.1), ascending
     */
    public static float[] apply(float[] features, int channels, int[] positions, HistogramTarget target) {
        return HistogramReference.remap(features, channels, positions, table(target, positions.length));
    }
}
