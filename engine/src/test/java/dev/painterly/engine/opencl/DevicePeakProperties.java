package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The peak kernel computes what its Java reference (the same FMA chains with Math.fma) computes:
 * each chain is bit-exact (fma rounds once either way); the final lane sum may be ordered
 * differently, hence a relative tolerance of 1e-5.
 */
class DevicePeakProperties {

    static float reference(int item, int width, float seed, float m, float c) {
        double sum = 0;
        for (int k = 0; k < DevicePeak.CHAINS; k++) {
            float a = seed + 0.001f * (item % 97) + 0.01f * k;
            for (int r = 0; r < DevicePeak.ROUNDS; r++) {
                a = Math.fma(a, m, c);
            }
            sum += (double) a * width;
        }
        return (float) sum;
    }

    @Property(tries = 10)
    void peakKernelMatchesReference(@ForAll @IntRange(min = 1, max = 300) int items,
                                    @ForAll @FloatRange(min = -1, max = 1) float seed,
                                    @ForAll @FloatRange(min = 0.9f, max = 0.99f) float m,
                                    @ForAll @FloatRange(min = -0.01f, max = 0.01f) float c) {
        OpenClDevice d = TestDevices.openCl();
        try (Tensor out = Poison.output(d, Shape.vector(items))) {
            DevicePeak.run(d, out, seed, m, c);
            float[] got = out.toArray();
            for (int i = 0; i < items; i++) {
                float want = reference(i, DevicePeak.vectorWidth(d), seed, m, c);
                assertEquals(want, got[i], 1e-5 * Math.max(1, Math.abs(want)), "item " + i);
            }
        }
    }
}
