package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A cut-out lands with its top-left corner at (x, y) of the painting, clipped, blended by its alpha. */
class ObjectPasteTest {

    static RgbImage grey(int h, int w, float v) {
        float[] p = new float[3 * h * w];
        Arrays.fill(p, v);
        return new RgbImage(h, w, p);
    }

    /** A 2x2 cut-out: opaque red, half-transparent red, transparent (hiding green), opaque red. */
    static BufferedImage cutout() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xffff0000);
        img.setRGB(1, 0, 0x80ff0000);
        img.setRGB(0, 1, 0x0000ff00);
        img.setRGB(1, 1, 0xffff0000);
        return img;
    }

    @Test
    void placesTopLeftCornerAtXY() {
        ObjectPaste paste = ObjectPaste.of(grey(4, 5, 0.5f), cutout(), 3, 1, 1);
        RgbImage c = paste.composite();
        Mask m = paste.mask();
        int plane = 20;
        assertEquals(1f, m.values()[1 * 5 + 3]);
        assertEquals(1f, c.planes()[1 * 5 + 3]);
        assertEquals(0f, c.planes()[plane + 1 * 5 + 3]);
        float a = 0x80 / 255f;
        assertEquals(a, m.values()[1 * 5 + 4], 1e-6);
        assertEquals(a + 0.5f * (1 - a), c.planes()[1 * 5 + 4], 1e-6);
        assertEquals(0f, m.values()[2 * 5 + 3]);
        assertEquals(0.5f, c.planes()[plane + 2 * 5 + 3], 1e-6, "a transparent pixel's hidden colour must not show");
        assertEquals(0f, m.values()[0]);
        assertEquals(0.5f, c.planes()[0]);
    }

    @Test
    void clipsWhatFallsOutsideThePainting() {
        ObjectPaste paste = ObjectPaste.of(grey(3, 3, 0.5f), cutout(), -1, -1, 1);
        Mask m = paste.mask();
        assertEquals(1f, m.values()[0], "the cut-out's bottom-right pixel lands on (0,0)");
        assertEquals(1f, (float) m.sum());
    }

    @Test
    void scalesBeforePlacing() {
        ObjectPaste paste = ObjectPaste.of(grey(10, 10, 0.5f), cutout(), 0, 0, 2.5);
        assertEquals(5, paste.placedWidth());
        assertEquals(5, paste.placedHeight());
        assertEquals(0f, paste.mask().values()[9 * 10 + 9]);
    }

    @Test
    void shrinksTheCutOutByAreaAverageOfPremultipliedColours() {
        // A 3x1 column (opaque red, opaque red, transparent green) scaled by 2/3 becomes 2x1: cell 1
        // covers [1.5, 3), so it weighs the red pixel 1/3 and the transparent one 2/3.
        BufferedImage column = new BufferedImage(1, 3, BufferedImage.TYPE_INT_ARGB);
        column.setRGB(0, 0, 0xffff0000);
        column.setRGB(0, 1, 0xffff0000);
        column.setRGB(0, 2, 0x0000ff00);
        ObjectPaste paste = ObjectPaste.of(grey(2, 1, 0.5f), column, 0, 0, 2.0 / 3);
        assertEquals(2, paste.placedHeight());
        assertEquals(1, paste.placedWidth());
        float[] c = paste.composite().planes();
        assertEquals(1f, paste.mask().values()[0], 1e-6);
        assertEquals(1 / 3f, paste.mask().values()[1], 1e-6);
        assertEquals(1 / 3f + 0.5f * 2 / 3f, c[1], 1e-6, "red over grey");
        assertEquals(0.5f * 2 / 3f, c[2 + 1], 1e-6, "the transparent pixel's green must not bleed in");
    }
}
