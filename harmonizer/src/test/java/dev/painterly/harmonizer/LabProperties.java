package dev.painterly.harmonizer;

import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CIE Lab (D65) conversions of the post-processing. */
class LabProperties {

    /** RGB -> Lab -> RGB, both stored as float, returns every random colour within 1e-4. */
    @Property(tries = 50)
    void roundTripReturnsTheColour(@ForAll @IntRange(min = 1, max = 500) int n, @ForAll long seed) {
        float[] rgb = RandomTensors.unit(seed, 3 * n);
        float[] back = Lab.toRgb(Lab.fromRgb(rgb, n), n);
        for (int i = 0; i < rgb.length; i++) {
            assertEquals(rgb[i], back[i], 1e-4, "component " + i);
        }
    }

    /** Lab -> RGB -> Lab, for colours inside the sRGB gamut, returns the Lab values (to 1e-3 of 100). */
    @Property(tries = 50)
    void roundTripFromLabReturnsTheLabValues(@ForAll @IntRange(min = 1, max = 500) int n, @ForAll long seed) {
        float[] lab = Lab.fromRgb(RandomTensors.unit(seed, 3 * n), n);
        float[] back = Lab.fromRgb(Lab.toRgb(lab, n), n);
        for (int i = 0; i < lab.length; i++) {
            assertEquals(lab[i], back[i], 1e-3, "component " + i);
        }
    }

    /** Published values of the sRGB (D65) primaries and greys, to 0.01. */
    @Test
    void knownColours() {
        float[][] rgb = {{1, 1, 1}, {0, 0, 0}, {0.5f, 0.5f, 0.5f}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] lab = {{100, 0, 0}, {0, 0, 0}, {53.389, 0, 0}, {53.241, 80.092, 67.203},
            {87.735, -86.183, 83.179}, {32.297, 79.188, -107.860}};
        for (int k = 0; k < rgb.length; k++) {
            float[] out = Lab.fromRgb(rgb[k], 1);
            assertArrayEquals(lab[k], new double[] {out[0], out[1], out[2]}, 0.01, "Lab of " + java.util.Arrays.toString(rgb[k]));
        }
    }
}
