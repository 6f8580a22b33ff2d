package dev.painterly.harmonizer;

import dev.painterly.engine.reference.HistogramReference;
import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The histogram target and remapping of pass 2. */
class HistogramProperties {

    /** The remapped features: R on the positions, 0 elsewhere (C x N). */
    private static float[] remap(float[] features, int channels, int[] positions, HistogramTarget target) {
        return HistogramReference.remap(features, channels, positions, HistogramRemap.table(target, positions.length));
    }

    /**
     * Remapping features through a histogram of themselves (same positions, nI = nJ) moves every
     * value by at most one bin width: the histogram loss leaves a matched distribution alone.
     */
    @Property(tries = 50)
    void remappingThroughOwnHistogramIsNearIdentity(@ForAll @IntRange(min = 1, max = 5) int c,
                                                   @ForAll @IntRange(min = 1, max = 400) int n, @ForAll long seed) {
        float[] f = RandomTensors.uniform(seed, c * n);
        float[] region = new float[n];
        java.util.Arrays.fill(region, 1f);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        HistogramTarget t = HistogramTarget.of(f, c, region, n);
        float[] r = remap(f, c, all, t);
        for (int ch = 0; ch < c; ch++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (int p = 0; p < n; p++) {
                lo = Math.min(lo, f[ch * n + p]);
                hi = Math.max(hi, f[ch * n + p]);
            }
            double bin = (hi - lo) / HistogramTarget.BINS;
            for (int p = 0; p < n; p++) {
                float moved = f[ch * n + p] - r[ch * n + p];
                assertTrue(Math.abs(moved) <= bin + 1e-5,
                        "channel " + ch + " position " + p + " moved by " + moved + " > bin " + bin);
            }
        }
    }

    /** The remapped values are sorted like the inputs, and positions outside the mask get 0. */
    @Property(tries = 50)
    void remapPreservesOrderAndIgnoresUnmaskedPositions(@ForAll @IntRange(min = 2, max = 300) int n, @ForAll long seed) {
        float[] f = RandomTensors.uniform(seed, n);
        float[] target = RandomTensors.uniform(seed + 1, n);
        float[] region = new float[n];
        java.util.Arrays.fill(region, 1f);
        int[] every2 = java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == 0).toArray();
        HistogramTarget t = HistogramTarget.of(target, 1, region, every2.length);
        float[] r = remap(f, 1, every2, t);
        for (int i = 1; i < n; i += 2) {
            assertEquals(0f, r[i]);
        }
        for (int a : every2) {
            for (int b : every2) {
                if (f[a] < f[b]) {
                    assertTrue(r[a] <= r[b] + 1e-6, "remap is monotone");
                }
            }
        }
    }
}
