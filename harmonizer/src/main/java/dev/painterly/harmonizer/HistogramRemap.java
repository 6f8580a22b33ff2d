package dev.painterly.harmonizer;

import java.util.Arrays;

/**
 * The histogram loss of one evaluation (ALGORITHM.md section 2): per channel, the current values
 * at the masked positions are sorted and the value of rank k is remapped through the target's
 * cumulative histogram to R. The remapped features: R on those positions, F elsewhere; loss
 * sum((F - R)^2) * weight / numel.
 */
public final class HistogramRemap {

    private HistogramRemap() {
    }

    /** The result: the remapped features (C x N, host) and the loss value. */
    public record Result(float[] remapped, double loss) {
    }

    /**
     * @param features  current features, C x N
     * @param positions the masked positions (m_L &gt; 0.1), ascending
     */
    public static Result apply(float[] features, int channels, int[] positions, HistogramTarget target, double weight) {
        int n = features.length / channels;
        float[] remapped = features.clone();
        double sum = 0;
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
                float r = target.remap(c, rank);
                float d = features[base + p] - r;
                remapped[base + p] = r;
                sum += (double) d * d;
            }
        }
        return new Result(remapped, sum * weight / features.length);
    }

    /** Maps a float to an int whose signed order equals the float order. */
    static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }
}
