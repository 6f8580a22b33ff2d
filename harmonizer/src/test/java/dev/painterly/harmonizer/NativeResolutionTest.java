package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.Resampler;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.testing.HighFrequency;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.testing.TexturedPainting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native-resolution step on a generated 800x600 painting with a smooth 150x150 object, whose
 * working-size (160x120) result is the post-processed composite: what the painting file says is
 * kept, and the object gets the painting's grain back where plain enlarging leaves it soft.
 */
class NativeResolutionTest {

    static final int NW = 800, NH = 600, W = 160, H = 120;
    static final int OX = 300, OY = 200, OS = 150;

    static RgbImage painting;
    static HarmonizeResult working;

    @BeforeAll
    static void job() {
        painting = RgbImage.of(TexturedPainting.of(NW, NH, 3));
        float[] c = painting.planes().clone();
        float[] mask = new float[NW * NH];
        for (int y = OY; y < OY + OS; y++) {
            for (int x = OX; x < OX + OS; x++) {
                int i = y * NW + x;
                mask[i] = 1;
                c[i] = 0.75f + 0.2f * (x - OX) / OS;
                c[NW * NH + i] = 0.3f + 0.2f * (y - OY) / OS;
                c[2 * NW * NH + i] = 0.25f;
            }
        }
        WorkingImages images = WorkingImages.of(painting, new RgbImage(NH, NW, c), new Mask(NH, NW, mask), null, W, 2);
        Device d = TestDevices.openCl();
        RgbImage pass2 = composed(images.composite(), images.painting(), images.blend());
        RgbImage post = PostProcess.run(d, pass2, images.composite(), images.painting(), images.tight(), 0);
        working = new HarmonizeResult(pass2, pass2, images.painting(), images.composite(), images.tight(), null, 0, 0, post, 0);
    }

    @Test
    void keepsThePaintingFilesPixelsWhereTheBlendMaskIsZero() {
        NativeResult result = NativeResolution.run(TestDevices.openCl(), painting, working, 0);
        assertEquals(NH, result.image().height());
        assertEquals(NW, result.image().width());
        assertTrue(result.resynthesised());
        float[] m = Resampler.bilinear(working.blendMask().values(), 1, H, W, NH, NW);
        int[] out = argb(result.image().toBuffered()), in = argb(painting.toBuffered());
        int outside = 0, changed = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                outside++;
                assertEquals(in[i], out[i], "pixel (" + i % NW + ", " + i / NW + ") outside the blend mask");
            } else if (in[i] != out[i]) {
                changed++;
            }
        }
        assertTrue(outside > 0.8 * m.length, "the blend mask is about the object only: " + outside + " of " + m.length + " outside");
        assertTrue(changed > OS * OS / 2, "the object is there: " + changed + " pixels changed");
        PixelBox r = result.region();
        assertTrue(r.top() <= OY && r.left() <= OX && r.top() + r.height() >= OY + OS && r.left() + r.width() >= OX + OS,
                "the region " + r + " holds the object");
    }

    @Test
    void givesTheObjectThePaintingsGrainWherePlainEnlargingLeavesItSoft() {
        NativeResult result = NativeResolution.run(TestDevices.openCl(), painting, working, 0);
        int inset = 12;
        double object = HighFrequency.meanAbsLaplacian(result.image().planes(), 3, NH, NW, OY + inset, OX + inset, OS - 2 * inset,
                OS - 2 * inset);
        PixelBox r = result.region();
        double around = HighFrequency.frame(painting.planes(), 3, NH, NW, r.top() - 40, r.left() - 40, r.height() + 80,
                r.width() + 80, 40);
        float[] enlarged = Resampler.bilinear(working.result().planes(), 3, H, W, NH, NW);
        double plain = HighFrequency.meanAbsLaplacian(enlarged, 3, NH, NW, OY + inset, OX + inset, OS - 2 * inset, OS - 2 * inset);
        assertTrue(object > around / 1.5 && object < around * 1.5,
                "re-synthesised object " + object + " vs the painting around it " + around);
        assertTrue(plain < around / 2, "plain enlarging " + plain + " vs the painting around it " + around);
    }

    @Test
    void atWorkingSizeItIsTheWorkingResult() {
        NativeResult result = NativeResolution.run(TestDevices.openCl(), working.painting(), working, 0);
        assertFalse(result.resynthesised());
        assertEquals(0, result.deviceBytes());
        int[] a = argb(result.image().toBuffered()), b = argb(working.result().toBuffered());
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], "pixel " + i);
        }
    }

    /** The object over the painting with the compositing mask, as each pass composes its result. */
    private static RgbImage composed(RgbImage object, RgbImage background, Mask blend) {
        float[] o = object.planes(), b = background.planes(), m = blend.values(), out = new float[o.length];
        for (int i = 0; i < out.length; i++) {
            float a = m[i % m.length];
            out[i] = Math.max(0f, Math.min(1f, o[i] * a + b[i] * (1 - a)));
        }
        return new RgbImage(object.height(), object.width(), out);
    }

    private static int[] argb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
