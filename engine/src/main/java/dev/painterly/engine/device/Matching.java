package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * Patch matching of passes 1 and 2 (docs/algorithm.md sections 1 and 2). Kernels: {@code matching.cl}
 * (plain) and {@code matching_tiled.cl}.
 *
 * <p>A position q = y * W + x of a map is stored as a float in a 1 x H x W tensor (exact below
 * 2^24); -1 marks "no match". Ties go to the smallest q (as when candidates are scanned in
 * increasing q and only a strictly better score replaces the best so far). The searches are
 * exhaustive, every candidate scored, with running bests per query: no op ever holds a score
 * per (query, candidate) pair.
 */
public interface Matching {

    /**
     * Pass 1's independent mapping. f is C x H x W, s is C x H2 x W2. For every p with queryMask
     * null or queryMask[p] &gt; 0, out[p] = the q of s maximising
     * sum_d &lt;f(p+d), s(q+d)&gt; / (sqrt(sum_d |f(p+d)|^2) * sqrt(sum_d |s(q+d)|^2) + 1e-9), d over
     * the 3x3 offsets for which both p+d and q+d lie inside their maps. Other positions get -1.
     */
    void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out);

    /** out[c,p] = x[c,p] / (sqrt(sum_c x[c,p]^2) + 1e-8): every position's vector to unit length. */
    void normalizePositions(Tensor x, Tensor out);

    /**
     * Pass 2's mapping on maps already normalised by {@link #normalizePositions}: a is C x H x W, p
     * is C x H2 x W2, out[x] = the q maximising sum_d &lt;a(x+d), p(q+d)&gt; over the 3x3 offsets d
     * valid for both. Border rule: a q in P's outermost column or row is a candidate only if x lies
     * in the same outermost column or row of A (qx == 0 needs x's column 0, qx == W2-1 needs
     * W-1, likewise for rows; a corner q needs both). Queries outside queryMask (when not null),
     * and queries that no candidate is allowed for (P narrower or lower than 3), get -1.
     */
    void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out);

    /**
     * One round of pass 2's 5x5 consistency refinement. nnf (1 x H x W) holds positions in a map of
     * the same H x W; guide is 3 x H x W (RGB); tightMask is 1 x H x W. For p with tightMask &gt;
     * 0.1 (compared as the float 0.1f on every device), each in-bounds neighbour p+d (d in
     * [-2,2]^2) proposes q' = NNF(p+d) - d, kept if 2 &lt;= q'x &lt; W-3 and 2 &lt;= q'y &lt; H-3. A
     * proposal's score is the mean, over the in-bounds neighbours p+e whose NNF(p+e) - e lies in
     * [0,W) x [0,H), of the Euclidean distance between guide(q') and guide(NNF(p+e) - e). out[p] =
     * the proposal of lowest score, the first in row-major d order (dy, then dx, from -2 to 2) on
     * ties. Where no proposal is kept, where p is outside the mask, and where no neighbour counts,
     * out[p] = nnf[p]. A negative NNF entry (unmatched) neither proposes nor counts.
     */
    void refineMatches(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out);

    /**
     * The used-region mask. nnf (1 x H x W) holds positions in a map of out's size H2 x W2; out[q]
     * = 1 where q is within Chebyshev distance 1 of NNF(p) for some p with tightMask[p] &gt; 0.1
     * (the float 0.1f) and NNF(p) &gt;= 0, else 0.
     */
    void usedRegion(Tensor nnf, Tensor tightMask, Tensor out);
}
