package dev.painterly.engine.device;

import dev.painterly.engine.PatchMatchRules;
import dev.painterly.engine.Tensor;

/**
 * Post-processing (docs/algorithm.md section 3). Kernels: {@code post_process.cl}.
 *
 * <p>Images are C x H x W planes, colours in [0,1]. A nearest-neighbour field (NNF) is stored as
 * the matching ops store positions: q = y * W2 + x as a float in a 1 x H x W tensor, -1 for
 * none. A "window of radius r" around x is the set of positions within Chebyshev distance r of
 * x that lie inside the map (clipped at the borders, never padded).
 */
public interface PostProcess {

    /**
     * He et al.'s guided filter with a colour guide, each channel of input filtered on its own.
     * guide is 3 x H x W, input and out C x H x W. With mean(f) the average of f over the window
     * of radius r of each position: Sigma = mean(I I^T) - mean(I) mean(I)^T (3 x 3, I = guide),
     * and for each channel p: a = (Sigma + eps Id)^-1 (mean(I p) - mean(I) mean(p)), b = mean(p)
     * - a . mean(I); then out = mean(a) . I + mean(b). eps must be positive.
     */
    void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out);

    /**
     * PatchMatch (Barnes et al. 2009): an approximate nearest-neighbour field of the patches of a
     * (C x H x W, 1 &lt;= C &lt;= 4) among those of b (C x H2 x W2, both sides at least 2r+1), into
     * nnf (1 x H x W). Deterministic: every device computes the same field. When queryMask (1 x H
     * x W) is not null, the positions p with queryMask[p] &lt;= 0 are left out: nnf[p] = -1, and
     * they propose nothing to their neighbours.
     *
     * <p>Colours are first quantised to levels v' = rint(clamp(v, 0, 1) * 255), v as a float, so
     * that distances are exact integers on every device. The patch of p is the set D(p) of the
     * offsets d in [-r, r]^2 with p + d inside a (a rectangle, clipped at a's borders). A q of b
     * is admissible for p when q + d lies inside b for every d in D(p); clamp(p, q) clamps q's
     * coordinates into that range. dist(p, q) = sum over d in D(p) and channels of (a'(p+d) -
     * b'(q+d))^2. A candidate replaces the current q only when strictly closer.
     *
     * <p>Random numbers are {@link PatchMatchRules#below} with key {@link PatchMatchRules#key}
     * (seed) and the position p = y * W + x. Initialisation: q = (lo_x + rand mod (hi_x - lo_x +
     * 1), likewise y) over p's admissible range, streams {@link PatchMatchRules#initStream}. Each
     * iteration i = 1..iterations then runs, per position independently, a random search: for
     * j = 0, 1, ... while R = max(W2, H2) &gt;&gt; j is at least 1, the candidate clamp(p, q + (u_x -
     * R, u_y - R)) with u drawn below 2R+1 from streams {@link PatchMatchRules#searchStream}(i,
     * j, axis); and then the propagation passes of steps k = 8, 4, 2, 1 ({@link
     * PatchMatchRules#step}), each reading the field as it was before the pass (all positions at
     * once, as in jump flooding): the candidates clamp(p, NNF(p+e) - e) for e = (-k, 0), (k, 0),
     * (0, -k), (0, k) in that order, for each p+e inside a that is not left out.
     */
    void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, long seed, Tensor nnf);

    /**
     * Patch voting: out (C x H x W) at x is the mean, over the positions p of the window of radius
     * r around x with nnf[p] &gt;= 0 and NNF(p) + (x - p) inside b (C x H2 x W2), of b at NNF(p) +
     * (x - p): each matched patch puts its pixels where the query patch lies. Positions without a
     * vote get 0.
     */
    void vote(Tensor nnf, Tensor b, int radius, Tensor out);
}
