package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The features order images as their description says. */
class StyleFeaturesTest {

    static RgbImage of(int h, int w, java.util.function.IntBinaryOperator grey255) {
        float[] p = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = grey255.applyAsInt(x, y) / 255f;
                for (int c = 0; c < 3; c++) {
                    p[(c * h + y) * w + x] = v;
                }
            }
        }
        return new RgbImage(h, w, p);
    }

    @Test
    void flatAreasWithFewStraightContoursRankAboveEvenTexture() {
        Random r = new Random(3);
        RgbImage texture = of(200, 300, (x, y) -> 100 + r.nextInt(60));
        RgbImage blocks = of(200, 300, (x, y) -> x < 120 ? 40 : y < 90 ? 200 : 120);
        StyleFeatures t = StyleFeatures.of(texture);
        StyleFeatures b = StyleFeatures.of(blocks);
        assertTrue(b.concentration() > t.concentration());
        assertTrue(b.coherence() > t.coherence());
        assertTrue(b.score() > t.score());
    }

    @Test
    void aFlatImageHasNoEdgesAndNoOrientation() {
        StyleFeatures flat = StyleFeatures.of(of(50, 60, (x, y) -> 128));
        assertEquals(0.0, flat.concentration());
        assertEquals(0.0, flat.coherence());
        assertEquals("edge_concentration=0.0000 orientation_coherence=0.0000", flat.pairs());
    }

    @Test
    void largePaintingsAreMeasuredAtTheAnalysisSize() {
        RgbImage stripes = of(1024, 1536, (x, y) -> (x / 64) % 2 == 0 ? 50 : 200);
        RgbImage small = stripes.resize(StyleFeatures.ANALYSIS_SIZE * 2 / 3, StyleFeatures.ANALYSIS_SIZE);
        assertEquals(StyleFeatures.of(small).score(), StyleFeatures.of(stripes).score(), 0.05);
    }
}
