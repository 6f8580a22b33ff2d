package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The post-processing stage on a small synthetic job (HarmonizerTest's scene) whose "pass-2
 * result" is the composite with strong random colour speckles on the object.
 */
class PostProcessTest {

    static final int W = HarmonizerTest.W;
    static final int H = HarmonizerTest.H;

    /** The composite with every channel of every object pixel moved by up to +-0.3 at random. */
    static RgbImage speckled(HarmonizerTest.Job j) {
        Random r = new Random(11);
        float[] p = j.composite().planes().clone();
        int plane = W * H;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                if (j.tight().values()[i] > 0) {
                    p[c * plane + i] = Math.max(0, Math.min(1, p[c * plane + i] + 0.6f * (r.nextFloat() - 0.5f)));
                }
            }
        }
        return new RgbImage(H, W, p);
    }

    @Test
    void keepsThePaintingWhereTheBlendMaskIsZeroAndChangesTheObject() {
        Device d = TestDevices.openCl();
        HarmonizerTest.Job j = HarmonizerTest.job();
        RgbImage pass2 = speckled(j);
        RgbImage out = PostProcess.run(d, pass2, j.composite(), j.painting(), j.tight(), 3);
        float[] blend = PostProcess.blendMask(j.tight()).values();
        int plane = W * H, outside = 0;
        double changed = 0;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float o = out.planes()[c * plane + p];
                assertTrue(o >= 0 && o <= 1, "result in [0,1]");
                if (blend[p] == 0) {
                    assertEquals(j.painting().planes()[c * plane + p], o, 0, "pixel " + p + " outside the blend mask");
                } else {
                    changed = Math.max(changed, Math.abs(o - pass2.planes()[c * plane + p]));
                }
            }
            outside += blend[p] == 0 ? 1 : 0;
        }
        assertTrue(outside > 0 && outside < plane, "the blend mask covers part of the image");
        assertTrue(changed > 0.05, "the object changed (max change " + changed + ")");
    }

    /**
     * The chroma filter and the painting's patches remove speckles. Measured as the high-frequency
     * part of the Lab chroma (a and b minus their 3x3 mean) under the object: the guided filter
     * alone (O1) cuts it at least threefold; the result, made of the painting's own patches, is
     * at most as speckled as the painting there (whose synthetic noise is strong) and at most half
     * as speckled as the input.
     */
    @Test
    void removesColourSpeckles() {
        Device d = TestDevices.openCl();
        HarmonizerTest.Job j = HarmonizerTest.job();
        RgbImage pass2 = speckled(j);
        RgbImage out = PostProcess.run(d, pass2, j.composite(), j.painting(), j.tight(), 5);
        double before = chromaSpeckle(pass2, j.tight());
        double filtered = chromaSpeckle(PostProcess.filterChroma(d, pass2, j.composite()), j.tight());
        double painting = chromaSpeckle(j.painting(), j.tight()), after = chromaSpeckle(out, j.tight());
        assertTrue(filtered * 3 < before, "chroma speckle " + before + " -> " + filtered + " after the guided filter");
        assertTrue(after <= painting && after * 2 < before,
                "chroma speckle " + before + " -> " + after + " (the painting's: " + painting + ")");
    }

    /** Mean over the object's pixels of |a - mean3x3(a)| + |b - mean3x3(b)|. */
    static double chromaSpeckle(RgbImage img, Mask tight) {
        int plane = W * H;
        float[] lab = Lab.fromRgb(img.planes(), plane);
        double sum = 0;
        int n = 0;
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                if (tight.values()[y * W + x] == 0) {
                    continue;
                }
                for (int c = 1; c < 3; c++) {
                    double mean = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            mean += lab[c * plane + (y + dy) * W + x + dx] / 9.0;
                        }
                    }
                    sum += Math.abs(lab[c * plane + y * W + x] - mean);
                }
                n++;
            }
        }
        return sum / n;
    }
}
