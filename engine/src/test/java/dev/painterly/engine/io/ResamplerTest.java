package dev.painterly.engine.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-computed cases of Torch7's image.scale rule (docs/algorithm.md section 0). */
class ResamplerTest {

    private static final float EPS = 1e-5f;

    /** One row of samples resampled along its width. */
    private static float[] row(int nw, float... v) {
        return Resampler.bilinear(v, 1, 1, v.length, 1, nw);
    }

    @Test
    void shrinkingFiveToTwoWeighsTheMiddleSampleHalfInEachCell() {
        // cell 0 covers [0, 2.5): weights 1, 1, 0.5 of 2.5 -> 0.4, 0.4, 0.2; cell 1 mirrors it.
        float[] out = row(2, 1, 2, 4, 8, 16);
        assertArrayEquals(new float[] {0.4f * 1 + 0.4f * 2 + 0.2f * 4, 0.2f * 4 + 0.4f * 8 + 0.4f * 16}, out, EPS);
        assertArrayEquals(new float[] {2.0f, 10.4f}, out, EPS);
    }

    @Test
    void shrinkingSixToThreeIsPairwiseMeans() {
        assertArrayEquals(new float[] {2, 6, 3}, row(3, 1, 3, 5, 7, 2, 4), EPS);
    }

    @Test
    void enlargingThreeToFiveKeepsTheCornersAndAveragesTheMidpoints() {
        assertArrayEquals(new float[] {1, 2, 3, 7, 11}, row(5, 1, 3, 11), EPS);
    }

    @Test
    void enlargingASingleSampleReplicatesIt() {
        assertArrayEquals(new float[] {7, 7, 7}, row(3, 7), 0f);
    }

    @Test
    void equalSizeIsACopy() {
        assertArrayEquals(new float[] {0.1f, -3, 5e-8f}, row(3, 0.1f, -3, 5e-8f), 0f);
    }

    @Test
    void shrinksRowsWhileEnlargingColumns() {
        // 3x2 -> 2x3. Columns 2 -> 3 put the midpoint between: [0,3,6], [3,6,9], [12,6,0].
        // Rows 3 -> 2 (s = 1.5) weigh rows 2/3, 1/3 and 1/3, 2/3. Channel 1 is 10 - channel 0, so
        // it must come out as 10 - channel 0's result (each output is an affine combination).
        float[] src = {
            0, 6,
            3, 9,
            12, 0,
            10, 4,
            7, 1,
            -2, 10};
        float[] out = Resampler.bilinear(src, 2, 3, 2, 2, 3);
        assertArrayEquals(new float[] {
            1, 4, 7,
            9, 6, 3,
            9, 6, 3,
            1, 4, 7}, out, EPS);
    }

    @Test
    void nearestTakesTheFloorOfTheScaledIndex() {
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, indices(3, 5));
        assertArrayEquals(new int[] {0, 2}, indices(5, 2));
        assertArrayEquals(new int[] {0, 2, 4}, indices(7, 3));
    }

    /** The source index each destination sample of a src -> dst nearest resize came from, read off a ramp. */
    private static int[] indices(int src, int dst) {
        float[] ramp = new float[src];
        for (int i = 0; i < src; i++) {
            ramp[i] = i;
        }
        float[] across = Resampler.nearest(ramp, 1, 1, src, 1, dst);
        float[] down = Resampler.nearest(ramp, 1, src, 1, dst, 1);
        assertArrayEquals(across, down, 0f, "both axes follow the same rule");
        int[] out = new int[dst];
        for (int i = 0; i < dst; i++) {
            out[i] = (int) across[i];
        }
        return out;
    }

    @Test
    void nearestIndexIsExactBeyondIntRange() {
        // 46341 * 46342 overflows an int; the product must be formed in long.
        assertEquals(46341, Resampler.nearestIndex(46341, 46342, 46342));
        assertEquals(46340, Resampler.nearestIndex(46341, 46342, 46343));
        // 49 * (10.0 / 490) is 0.9999999999999999 in double: a ratio taken first would floor to 0.
        assertEquals(1, Resampler.nearestIndex(49, 10, 490));
    }

    @Test
    void nearestKeepsChannelsApart() {
        // 2x2 -> 2x4: columns 0, 0, 1, 1 of each channel.
        float[] src = {1, 2, 3, 4, 10, 20, 30, 40};
        assertArrayEquals(new float[] {
            1, 1, 2, 2, 3, 3, 4, 4,
            10, 10, 20, 20, 30, 30, 40, 40}, Resampler.nearest(src, 2, 2, 2, 2, 4), 0f);
    }

    @Test
    void longerSideBecomesN() {
        assertArrayEquals(new int[] {700, 467}, Resampler.longerSide(300, 200, 700));
        assertArrayEquals(new int[] {350, 700}, Resampler.longerSide(100, 200, 700));
        assertArrayEquals(new int[] {10, 1}, Resampler.longerSide(1000, 1, 10));
    }

    @Test
    void rejectsAPlaneOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.bilinear(new float[5], 1, 2, 3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Resampler.nearest(new float[6], 1, 2, 3, 0, 1));
    }
}
