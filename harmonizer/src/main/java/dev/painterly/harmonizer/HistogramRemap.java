package dev.painterly.harmonizer;

import java.util.Arrays;

/**
 * The remapping of the histogram loss ({@link HistogramLoss}, docs/algorithm.md section 2): per
 * channel, the current values at the masked positions are sorted and the value of rank k is
 * remapped through the target's cumulative histogram to R.
 */
public final class HistogramRemap {

    private HistogramRemap() {
    }

    /**
     * The remapped features: R on the positions, 0 elsewhere (C x N).
     *
     * @param features  current features F, C x N
     * @param positions the masked positions (m_L &gt; 0.1), ascending
     */
    public static float[] apply(float[] features, int channels, int[] positions, HistogramTarget target) {
        int n = features.length / channels;
        float[] remapped = new float[features.length];
        int m = positions.length;
        long[] keyed = new long[m];
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int k = 0; k < m; k++) {
                // Sort (value, position) pairs as longs: an order-preserving int image of the float
                // in the high half, the position's index in the low half (stable on ties).
                keyed[k] = ((long) sortableBits(features[base + positions[k]]) << 32) | k;
            }
            Arrays.sort(keyed);
            for (int rank = 0; rank < m; rank++) {
                int p = positions[(int) (keyed[rank] & 0xffffffffL)];
                remapped[base + p] = target.remap(c, rank);
            }
        }
        return remapped;
    }

    /** Maps a float to an int whose signed order equals the float order. */
    static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }
}
