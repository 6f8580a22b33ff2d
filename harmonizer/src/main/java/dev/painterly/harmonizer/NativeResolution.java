package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.Resampler;
import dev.painterly.engine.io.RgbImage;

/**
 * A job's result at the painting's own resolution. The optimisation runs at the working size; this
 * puts its result back into the painting as read from its file, so that every pixel the blend mask
 * leaves out is the file's own pixel, and gives the object the painting's grain at full
 * resolution.
 *
 * <p>Only the region R = the bounding box of the blend mask (enlarged to the painting's size) plus
 * the patch radius is computed; the rest of the result is the painting. In R, with m the blend mask
 * and U the working result both enlarged ("bilinear" of {@link Resampler}), P the painting and Pw
 * the working-size painting enlarged back (so P - Pw is the detail that the working size lost):
 * without re-synthesis the result is U + (P - Pw) (1 - m), the enlarged result with the painting's
 * detail restored in proportion to how much painting it shows.
 *
 * <p>Enlarging leaves the object soft in a sharp painting, so its high frequencies are
 * re-synthesised from the painting at full resolution, as in docs/algorithm.md section 3 steps 3 to 5:
 * PatchMatch (7x7 patches) of U against Pw around R, both equally soft, finds where the painting
 * looks like each part of the object at the working size (its structure: see {@link #shifted});
 * the painting's detail P - Pw there is voted onto U (the detail layer, here the painting's own),
 * and the sum is blended over P with m.
 * Step 2 (the guided filter of the chroma) is not repeated: it removed pass 2's colour artifacts
 * at working size, and enlarging adds none. The device holds only R and the painting around it
 * ({@link #SOURCE_REACH}), so the cost grows with the object, not with the painting.
 */
public final class NativeResolution {

    /** How far around R the patches may come from, in multiples of R's longer side. */
    static final int SOURCE_REACH = 1;

    /**
     * Each pixel takes the detail at the centre of its own match (a vote over a window of radius
     * 0). The smooth enlarged images match many places about equally well, so neighbouring matches
     * rarely agree, and averaging their detail over 7x7 windows (as the working-size voting does
     * with colours) cancels most of it: measured on the generated painting of NativeResolutionTest
     * with five PatchMatch iterations, radius 3 kept 14% of the painting's high-frequency energy,
     * radius 1 29%, radius 0 76%.
     */
    static final int VOTE_RADIUS = 0;

    /**
     * One PatchMatch iteration (random search and propagation once, after the random start). The
     * enlarged images are smooth, so more iterations only narrow the matches down to the
     * painting's flattest places, which have the least detail to give: measured on
     * NativeOutputTest's job (1600x1200, --size 256), the object got 97% of the high-frequency
     * energy of the painting around it with one iteration, 76% with two, 63% with five.
     */
    static final int ITERATIONS = 1;

    private NativeResolution() {
    }

    /**
     * @param painting the painting at its own size, as read from its file
     * @param result   the job's result at working size
     * @param seed     PatchMatch's seed
     */
    public static NativeResult run(Device device, RgbImage painting, HarmonizeResult result, long seed) {
        int nh = painting.height(), nw = painting.width();
        RgbImage working = result.result();
        int h = working.height(), w = working.width();
        Mask blend = result.blendMask();
        PixelBox region = region(blend, nh, nw).grown(PostProcess.PATCH_RADIUS, nh, nw);
        int top = region.top(), left = region.left(), rh = region.height(), rw = region.width(), plane = region.area();
        float[] m = Resampler.bilinear(blend.values(), 1, h, w, nh, nw, top, left, rh, rw);
        float[] u = Resampler.bilinear(working.planes(), 3, h, w, nh, nw, top, left, rh, rw);
        float[] p = region.cut(painting.planes(), 3, nh, nw);
        boolean resynthesise = result.postprocessed() != null && (nh > h || nw > w)
                && Math.min(rh, rw) > 2 * PostProcess.PATCH_RADIUS;
        float[] inside = new float[3 * plane];
        long deviceBytes = 0;
        if (resynthesise) {
            PixelBox source = region.grown(SOURCE_REACH * Math.max(rh, rw), nh, nw);
            int sh = source.height(), sw = source.width();
            float[] sharp = source.cut(painting.planes(), 3, nh, nw);
            float[] soft = Resampler.bilinear(result.painting().planes(), 3, h, w, nh, nw, source.top(), source.left(), sh, sw);
            float[] detail = new float[sharp.length];
            for (int i = 0; i < detail.length; i++) {
                detail[i] = sharp[i] - soft[i];
            }
            long before = device.stats().liveBytes();
            float[] voted;
            try (Tensor a = device.upload(Shape.of(3, rh, rw), shifted(u, m, soft, source, region));
                 Tensor b = device.upload(Shape.of(3, sh, sw), soft);
                 Tensor d = device.upload(Shape.of(3, sh, sw), detail);
                 Tensor query = PostProcess.queryRegion(new Mask(rh, rw, m)).upload(device);
                 Tensor nnf = device.allocate(Shape.of(1, rh, rw));
                 Tensor votes = device.allocate(Shape.of(3, rh, rw))) {
                device.postProcess().patchMatch(a, b, query, PostProcess.PATCH_RADIUS, ITERATIONS, seed, nnf);
                device.postProcess().vote(nnf, d, VOTE_RADIUS, votes);
                voted = votes.toArray();
                deviceBytes = device.stats().liveBytes() - before;
            }
            for (int i = 0; i < inside.length; i++) {
                float a = m[i % plane];
                inside[i] = (u[i] + voted[i]) * a + p[i] * (1 - a);
            }
        } else {
            float[] pw = Resampler.bilinear(result.painting().planes(), 3, h, w, nh, nw, top, left, rh, rw);
            for (int i = 0; i < inside.length; i++) {
                inside[i] = u[i] + (p[i] - pw[i]) * (1 - m[i % plane]);
            }
        }
        float[] out = painting.planes().clone();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < rh; y++) {
                for (int x = 0; x < rw; x++) {
                    int i = y * rw + x;
                    if (m[i] > 0) {
                        out[(c * nh + top + y) * nw + left + x] = Math.max(0f, Math.min(1f, inside[c * plane + i]));
                    }
                }
            }
        }
        return new NativeResult(new RgbImage(nh, nw, out), region, resynthesise, deviceBytes);
    }

    /**
     * What PatchMatch looks for: U with the object's mean colour moved onto the mean colour of the
     * painting around it, in proportion to m. Only the detail found is used, not the colour, so the
     * match should follow the object's structure: an object whose colours the painting never has
     * would otherwise find only the painting's most extreme, flattest places, where there is
     * little detail to take.
     */
    static float[] shifted(float[] u, float[] m, float[] soft, PixelBox source, PixelBox region) {
        int plane = region.area(), sourcePlane = source.area();
        double weight = 0;
        for (int i = 0; i < plane; i++) {
            weight += m[i];
        }
        float[] out = new float[u.length];
        for (int c = 0; c < 3; c++) {
            double object = 0, painting = 0;
            for (int i = 0; i < plane; i++) {
                object += m[i] * u[c * plane + i];
            }
            for (int i = 0; i < sourcePlane; i++) {
                painting += soft[c * sourcePlane + i];
            }
            float shift = (float) (painting / sourcePlane - object / weight);
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = u[c * plane + i] + m[i] * shift;
            }
        }
        return out;
    }

    /**
     * The bounding box of the pixels where the blend mask, resized to nh x nw, is above zero.
     * Found on a window of the resize that surely holds them (a few pixels around where the
     * working-size box lands), so that the whole mask is never resized.
     */
    static PixelBox region(Mask blend, int nh, int nw) {
        int h = blend.height(), w = blend.width();
        int y0 = h, y1 = -1, x0 = w, x1 = -1;
        float[] v = blend.values();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (v[y * w + x] > 0) {
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                }
            }
        }
        if (y1 < 0) {
            throw new IllegalArgumentException("the blend mask is empty: nothing to put back into the painting");
        }
        int top = below(y0 - 1, h, nh), bottom = above(y1 + 2, h, nh);
        int left = below(x0 - 1, w, nw), right = above(x1 + 2, w, nw);
        int wh = bottom - top, ww = right - left;
        float[] m = Resampler.bilinear(v, 1, h, w, nh, nw, top, left, wh, ww);
        int ty0 = wh, ty1 = -1, tx0 = ww, tx1 = -1;
        for (int y = 0; y < wh; y++) {
            for (int x = 0; x < ww; x++) {
                if (m[y * ww + x] > 0) {
                    ty0 = Math.min(ty0, y);
                    ty1 = Math.max(ty1, y);
                    tx0 = Math.min(tx0, x);
                    tx1 = Math.max(tx1, x);
                }
            }
        }
        return new PixelBox(top + ty0, left + tx0, ty1 - ty0 + 1, tx1 - tx0 + 1);
    }

    /**
     * A destination index at or before every one that source index s of an axis of n samples
     * resized to nn maps to, under either rule (corner-aligned when enlarging, cells of n/nn when
     * shrinking), with two destination cells to spare; cut to [0, nn].
     */
    static int below(int s, int n, int nn) {
        double d = Math.min(aligned(s, n, nn), (double) s * nn / n) - 2 * Math.max(1, (double) nn / n);
        return (int) Math.max(0, Math.min(nn, Math.floor(d)));
    }

    /** As {@link #below}, at or after. */
    static int above(int s, int n, int nn) {
        double d = Math.max(aligned(s, n, nn), (double) s * nn / n) + 2 * Math.max(1, (double) nn / n);
        return (int) Math.max(0, Math.min(nn, Math.ceil(d)));
    }

    private static double aligned(int s, int n, int nn) {
        return n > 1 ? (double) s * (nn - 1) / (n - 1) : 0;
    }
}
