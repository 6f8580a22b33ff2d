package dev.painterly.harmonizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Masks resize by the spec's rules (docs/algorithm.md section 0): area average when shrinking,
 * floor rule for nearest.
 */
class MaskResizeTest {

    private static Mask ramp(int h, int w) {
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return new Mask(h, w, v);
    }

    @Test
    void nearestTakesTheFloorOfTheScaledIndex() {
        // Rows 0, 1 of 3 -> 2 and columns 0, 2, 4 of 7 -> 3 (a half-pixel offset would pick 1, 3, 5).
        Mask m = ramp(3, 7).resizeNearest(2, 3);
        assertArrayEquals(new float[] {0, 2, 4, 7, 9, 11}, m.values());
    }

    @Test
    void bilinearShrinkIsAnAreaAverage() {
        // 5 -> 2 columns weigh 0.4, 0.4, 0.2 | 0.2, 0.4, 0.4.
        Mask m = new Mask(1, 5, new float[] {1, 1, 0, 0, 0}).resize(1, 2);
        assertArrayEquals(new float[] {0.8f, 0f}, m.values(), 1e-6f);
    }

    @Test
    void bilinearEnlargingAlignsTheCorners() {
        Mask m = new Mask(1, 2, new float[] {0, 1}).resize(1, 5);
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, m.values(), 1e-6f);
    }

    @Test
    void sameSizeIsTheSameMask() {
        Mask m = ramp(2, 3);
        assertSame(m, m.resize(2, 3));
        assertArrayEquals(m.values(), m.resizeNearest(2, 3).values());
    }
}
