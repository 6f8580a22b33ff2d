package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;

import java.util.Arrays;

/**
 * Pass 2's matching at the reference layer (docs/algorithm.md section 2, steps 2-4): normalised dot of
 * 3x3 patches from the pass-1 output's features to the painting's under the border rule, one round
 * of 5x5 refinement guided by the painting's colours inside the tight mask, and the used region R:
 * every painting position within Chebyshev distance 1 of a match of the tight mask.
 *
 * @param field  the refined field: for each position, the flat index of its painting match, or -1
 *               where nothing was matched (outside the tight mask's reach)
 * @param tight  the tight mask at this layer (working-size tight mask, "nearest"), as refinement saw it
 * @param region R, 1 = used
 */
record ConsistentMapping(float[] field, Mask tight, Mask region) {

    /**
     * An object too small to cover any position of the layer (tiny images) falls back to its
     * positions with any mask at all, then R to the whole map, so that the targets stay defined.
     */
    static ConsistentMapping of(Tensor a, Tensor p, RgbImage paintingRgb, Mask tight) {
        Device d = a.device();
        Shape as = a.shape();
        Shape ps = p.shape();
        Mask tightHere = tight.resizeNearest(as.height(), as.width());
        if (tightHere.count(0.1f) == 0) {
            tightHere = tight.resize(as.height(), as.width()).threshold(0f);
        }
        RgbImage guide = paintingRgb.resize(ps.height(), ps.width());
        try (Tensor an = d.allocate(as); Tensor pn = d.allocate(ps);
             Tensor nnf = d.allocate(as.withChannels(1)); Tensor refined = d.allocate(as.withChannels(1));
             Tensor guideT = d.upload(Shape.of(3, ps.height(), ps.width()), guide.planes());
             Tensor tightT = tightHere.upload(d); Tensor region = d.allocate(ps.withChannels(1));
             Tensor query = reach(tightHere).upload(d)) {
            d.matching().normalizePositions(a, an);
            d.matching().normalizePositions(p, pn);
            d.matching().matchDot(an, pn, query, nnf);
            d.matching().refineMatches(nnf, guideT, tightT, refined);
            d.matching().usedRegion(refined, tightT, region);
            Mask r = new Mask(ps.height(), ps.width(), region.toArray());
            if (r.count(0.5f) == 0) {
                float[] all = new float[r.size()];
                Arrays.fill(all, 1f);
                r = new Mask(ps.height(), ps.width(), all);
            }
            return new ConsistentMapping(refined.toArray(), tightHere, r);
        }
    }

    /**
     * The positions whose match can matter: refinement and the used region look only at positions
     * inside the tight mask and at their 5x5 neighbours, so the tight mask grown by 2 in
     * Chebyshev distance.
     */
    static Mask reach(Mask tightHere) {
        int h = tightHere.height(), w = tightHere.width();
        float[] v = tightHere.values();
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (v[y * w + x] <= 0.1f) {
                    continue;
                }
                for (int yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++) {
                    for (int xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
                        out[yy * w + xx] = 1f;
                    }
                }
            }
        }
        return new Mask(h, w, out);
    }
}
