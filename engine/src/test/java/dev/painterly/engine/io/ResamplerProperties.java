package dev.painterly.engine.io;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the resampler guarantees for any sizes: constants kept, mass kept, no overshoot when shrinking. */
class ResamplerProperties {

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Property
    void aConstantStaysConstant(@ForAll @IntRange(min = 1, max = 3) int channels,
                                @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                @ForAll @IntRange(min = 1, max = 40) int nh, @ForAll @IntRange(min = 1, max = 40) int nw,
                                @ForAll @IntRange(min = -1000, max = 1000) int hundredths) {
        float v = hundredths / 100f;
        float[] src = new float[channels * h * w];
        Arrays.fill(src, v);
        for (float o : Resampler.bilinear(src, channels, h, w, nh, nw)) {
            assertEquals(v, o, 1e-6f);
        }
        for (float o : Resampler.nearest(src, channels, h, w, nh, nw)) {
            assertEquals(v, o, 0f);
        }
    }

    @Property
    void anIntegerShrinkScalesTheSumByTheAreaRatio(@ForAll @IntRange(min = 1, max = 20) int nh,
                                                   @ForAll @IntRange(min = 1, max = 20) int nw,
                                                   @ForAll @IntRange(min = 1, max = 6) int fy,
                                                   @ForAll @IntRange(min = 1, max = 6) int fx, @ForAll long seed) {
        int h = nh * fy, w = nw * fx;
        float[] src = random(seed, 2 * h * w);
        float[] out = Resampler.bilinear(src, 2, h, w, nh, nw);
        for (int c = 0; c < 2; c++) {
            double in = 0, res = 0, magnitude = 0;
            for (int i = 0; i < h * w; i++) {
                in += src[c * h * w + i];
                magnitude += Math.abs(src[c * h * w + i]);
            }
            for (int i = 0; i < nh * nw; i++) {
                res += out[c * nh * nw + i];
            }
            // Only the final rounding of each output to float may differ.
            assertEquals(in, res * fy * fx, 1e-6 * magnitude + 1e-9, "channel " + c);
        }
    }

    @Property
    void shrinkingStaysWithinItsSourceCells(@ForAll @IntRange(min = 1, max = 40) int h,
                                            @ForAll @IntRange(min = 1, max = 40) int w,
                                            @ForAll @IntRange(min = 1, max = 40) int nh,
                                            @ForAll @IntRange(min = 1, max = 40) int nw, @ForAll long seed) {
        int sh = Math.max(h, nh), sw = Math.max(w, nw);
        float[] src = random(seed, sh * sw);
        float[] out = Resampler.bilinear(src, 1, sh, sw, nh, nw);
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                // Cell y covers [y*sh/nh, (y+1)*sh/nh): the samples floor(start) .. ceil(end)-1.
                for (int sy = y * sh / nh; sy < ceilDiv((y + 1) * sh, nh); sy++) {
                    for (int sx = x * sw / nw; sx < ceilDiv((x + 1) * sw, nw); sx++) {
                        lo = Math.min(lo, src[sy * sw + sx]);
                        hi = Math.max(hi, src[sy * sw + sx]);
                    }
                }
                float o = out[y * nw + x];
                assertTrue(o >= lo - 1e-6f && o <= hi + 1e-6f, o + " outside [" + lo + ", " + hi + "] at " + y + "," + x);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Property
    void equalSizeIsTheIdentity(@ForAll @IntRange(min = 1, max = 3) int channels,
                                @ForAll @IntRange(min = 1, max = 30) int h, @ForAll @IntRange(min = 1, max = 30) int w,
                                @ForAll long seed) {
        float[] src = random(seed, channels * h * w);
        assertArrayEquals(src, Resampler.bilinear(src, channels, h, w, h, w), 0f);
        assertArrayEquals(src, Resampler.nearest(src, channels, h, w, h, w), 0f);
    }

    @Property
    void enlargingKeepsTheFourCorners(@ForAll @IntRange(min = 1, max = 20) int h, @ForAll @IntRange(min = 1, max = 20) int w,
                                      @ForAll @IntRange(min = 0, max = 20) int dh, @ForAll @IntRange(min = 0, max = 20) int dw,
                                      @ForAll long seed) {
        int nh = h + dh, nw = w + dw;
        float[] src = random(seed, h * w);
        float[] out = Resampler.bilinear(src, 1, h, w, nh, nw);
        assertEquals(src[0], out[0], 0f);
        assertEquals(src[w - 1], out[nw - 1], 0f);
        assertEquals(src[(h - 1) * w], out[(nh - 1) * nw], 0f);
        assertEquals(src[h * w - 1], out[nh * nw - 1], 0f);
    }

    @Property
    void nearestReturnsOnlyValuesOfTheSameChannel(@ForAll @IntRange(min = 1, max = 30) int h,
                                                  @ForAll @IntRange(min = 1, max = 30) int w,
                                                  @ForAll @IntRange(min = 1, max = 30) int nh,
                                                  @ForAll @IntRange(min = 1, max = 30) int nw, @ForAll long seed) {
        float[] src = random(seed, 2 * h * w);
        float[] out = Resampler.nearest(src, 2, h, w, nh, nw);
        for (int c = 0; c < 2; c++) {
            Set<Float> values = new HashSet<>();
            for (int i = 0; i < h * w; i++) {
                values.add(src[c * h * w + i]);
            }
            for (int i = 0; i < nh * nw; i++) {
                assertTrue(values.contains(out[c * nh * nw + i]), "channel " + c + " index " + i);
            }
        }
    }

    @Property
    void aWindowIsExactlyThatPartOfTheWholeResize(@ForAll @IntRange(min = 1, max = 3) int channels,
                                                   @ForAll @IntRange(min = 1, max = 30) int h, @ForAll @IntRange(min = 1, max = 30) int w,
                                                   @ForAll @IntRange(min = 1, max = 60) int nh, @ForAll @IntRange(min = 1, max = 60) int nw,
                                                   @ForAll long seed) {
        Random r = new Random(seed);
        int top = r.nextInt(nh), left = r.nextInt(nw);
        int wh = 1 + r.nextInt(nh - top), ww = 1 + r.nextInt(nw - left);
        float[] src = random(seed, channels * h * w);
        float[] whole = Resampler.bilinear(src, channels, h, w, nh, nw);
        float[] window = Resampler.bilinear(src, channels, h, w, nh, nw, top, left, wh, ww);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < wh; y++) {
                for (int x = 0; x < ww; x++) {
                    assertEquals(whole[(c * nh + top + y) * nw + left + x], window[(c * wh + y) * ww + x], 0f);
                }
            }
        }
    }
}
