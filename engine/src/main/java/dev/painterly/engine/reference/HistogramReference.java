package dev.painterly.engine.reference;

import dev.painterly.engine.HistogramChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Histogram;

import java.util.Arrays;

import static dev.painterly.engine.reference.JavaDevice.data;

/**
 * The definition of {@link Histogram}: per channel, the (value, index) pairs at the positions
 * sorted as longs, and each rank's table entry written back at its position.
 */
public final class HistogramReference implements Histogram {

    private final Precision precision;

    HistogramReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void remap(Tensor features, Tensor positions, Tensor table, Tensor out) {
        HistogramChecks.remap(features, positions, table, out);
        int channels = features.shape().channels();
        float[] f = features.toArray();
        int[] p = indices(data(positions));
        float[] t = table.toArray();
        float[] r = remap(f, channels, p, t);
        double[] o = data(out);
        for (int i = 0; i < r.length; i++) {
            o[i] = precision.store(r[i]);
        }
    }

    /**
     * The remapped features of {@link Histogram#remap} on arrays: features C x N, positions
     * ascending or not (ties go to the earlier index i), table C x m; 0 off the positions.
     */
    public static float[] remap(float[] features, int channels, int[] positions, float[] table) {
        int n = features.length / channels;
        int m = positions.length;
        float[] remapped = new float[features.length];
        long[] keyed = new long[m];
        for (int c = 0; c < channels; c++) {
            int base = c * n;
            for (int i = 0; i < m; i++) {
                // An order-preserving int image of the float in the high half, the index in the low
                // half: sorting the longs orders by value, ties by index.
                keyed[i] = ((long) sortableBits(features[base + positions[i]]) << 32) | i;
            }
            Arrays.sort(keyed);
            for (int rank = 0; rank < m; rank++) {
                remapped[base + positions[(int) (keyed[rank] & 0xffffffffL)]] = table[c * m + rank];
            }
        }
        return remapped;
    }

    /** Maps a float to an int whose signed order equals the float order (by bits: -0 below +0). */
    public static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }

    private static int[] indices(double[] positions) {
        int[] p = new int[positions.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (int) positions[i];
        }
        return p;
    }
}
