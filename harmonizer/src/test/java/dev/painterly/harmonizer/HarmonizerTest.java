package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.vgg.Vgg19Weights;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny synthetic job (64 x 48, a few iterations per pass) through both passes and the
 * post-processing on OpenCL: it finishes, changes pixels under the tight mask, leaves every pixel
 * outside the loose mask equal to the painting, and gives byte-identical results when run twice.
 */
class HarmonizerTest {

    static final int W = 64;
    static final int H = 48;

    record Job(RgbImage painting, RgbImage composite, Mask tight, Mask loose) {
    }

    static Job job() {
        Random r = new Random(7);
        int plane = W * H;
        float[] paint = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    paint[c * plane + y * W + x] = (float) (0.5 + 0.3 * Math.sin(0.3 * x + c) * Math.cos(0.2 * y)
                            + 0.1 * r.nextGaussian());
                }
            }
        }
        for (int i = 0; i < paint.length; i++) {
            paint[i] = Math.max(0, Math.min(1, paint[i]));
        }
        float[] comp = paint.clone();
        float[] tight = new float[plane];
        float[] loose = new float[plane];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean in = x >= 24 && x < 44 && y >= 14 && y < 34;
                boolean near = x >= 18 && x < 50 && y >= 8 && y < 40;
                if (in) {
                    tight[y * W + x] = 1;
                    comp[y * W + x] = 0.9f;
                    comp[plane + y * W + x] = 0.2f;
                    comp[2 * plane + y * W + x] = 0.1f;
                }
                loose[y * W + x] = near ? 1 : 0;
            }
        }
        return new Job(new RgbImage(H, W, paint), new RgbImage(H, W, comp), new Mask(H, W, tight), new Mask(H, W, loose));
    }

    static HarmonizeResult run(Device d, Job j) {
        return Harmonizer.run(d, Vgg19Weights.untrained(3), j.painting(), j.composite(), j.tight(), j.loose(),
                new HarmonizeSettings(W, 4, 4, 5, null), new HarmonizeListener() {
                });
    }

    @Test
    void bothPassesChangeTheObjectAndKeepThePaintingOutsideTheLooseMask() {
        Device d = TestDevices.openCl();
        Job j = job();
        HarmonizeResult result = run(d, j);
        int plane = W * H;
        for (RgbImage out : new RgbImage[] {result.pass1(), result.pass2(), result.postprocessed()}) {
            assertEquals(H, out.height());
            assertEquals(W, out.width());
            double changed = 0;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    float o = out.planes()[c * plane + p];
                    if (j.loose().values()[p] == 0) {
                        assertEquals(j.painting().planes()[c * plane + p], o, 1e-5, "pixel outside the loose mask");
                    }
                    if (j.tight().values()[p] == 1) {
                        changed = Math.max(changed, Math.abs(o - j.composite().planes()[c * plane + p]));
                    }
                }
            }
            assertTrue(changed > 1e-3, "pixels under the tight mask changed (max change " + changed + ")");
        }
    }

    @Test
    void sameInputsGiveIdenticalResults() {
        Device d = TestDevices.openCl();
        Job j = job();
        HarmonizeResult a = run(d, j);
        HarmonizeResult b = run(d, j);
        assertArrayEquals(a.pass1().planes(), b.pass1().planes());
        assertArrayEquals(a.pass2().planes(), b.pass2().planes());
        assertArrayEquals(a.postprocessed().planes(), b.postprocessed().planes());
    }

    @Test
    void withoutPostProcessingTheResultIsPass2() {
        Job j = job();
        HarmonizeResult result = Harmonizer.run(TestDevices.openCl(), Vgg19Weights.untrained(3), j.painting(),
                j.composite(), j.tight(), j.loose(), new HarmonizeSettings(W, 0, 0, 5, null, false, 0),
                new HarmonizeListener() {
                });
        assertNull(result.postprocessed());
        assertSame(result.pass2(), result.result());
    }

    /**
     * An object small next to the painting: each pass optimises a window of the image
     * ({@link OptimizationWindowTest} shows it computes what the whole image would), and the result
     * put back into the whole image changes the object and keeps the painting outside the loose mask.
     */
    @Test
    void aSmallObjectIsOptimisedOnAWindowAndPutBackInPlace() {
        int w = 224;
        Job j = job();
        int plane = W * H, wide = w * H;
        float[] paint = new float[3 * wide], comp = new float[3 * wide], tight = new float[wide], loose = new float[wide];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < w; x++) {
                // The small job's scene at the left, the painting mirrored to the right of it.
                int sx = x < W ? x : W - 1 - (x - W) % W;
                for (int c = 0; c < 3; c++) {
                    paint[c * wide + y * w + x] = j.painting().planes()[c * plane + y * W + sx];
                    comp[c * wide + y * w + x] = x < W ? j.composite().planes()[c * plane + y * W + x] : paint[c * wide + y * w + x];
                }
                tight[y * w + x] = x < W ? j.tight().values()[y * W + x] : 0;
                loose[y * w + x] = x < W ? j.loose().values()[y * W + x] : 0;
            }
        }
        Map<Integer, PixelBox> windows = new HashMap<>();
        HarmonizeResult result = Harmonizer.run(TestDevices.openCl(), Vgg19Weights.untrained(3), new RgbImage(H, w, paint),
                new RgbImage(H, w, comp), new Mask(H, w, tight), new Mask(H, w, loose), new HarmonizeSettings(w, 3, 3, 5, null, false, 0),
                new HarmonizeListener() {
                    @Override
                    public void optimizationWindow(int pass, PixelBox window) {
                        windows.put(pass, window);
                    }
                });
        assertTrue(windows.get(2).width() < w, "pass 2 works on a part of the image: " + windows.get(2));
        assertTrue(windows.get(1).width() <= w && windows.get(1).width() >= windows.get(2).width(), "pass 1 reaches deeper: " + windows);
        for (RgbImage out : new RgbImage[] {result.pass1(), result.pass2()}) {
            double changed = 0;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < wide; p++) {
                    float o = out.planes()[c * wide + p];
                    if (loose[p] == 0) {
                        assertEquals(paint[c * wide + p], o, 1e-5, "pixel outside the loose mask");
                    }
                    if (tight[p] == 1) {
                        changed = Math.max(changed, Math.abs(o - comp[c * wide + p]));
                    }
                }
            }
            assertTrue(changed > 1e-3, "pixels under the tight mask changed (max change " + changed + ")");
        }
    }
}
