package dev.painterly.engine;

/**
 * Where tensors live and ops run: an OpenCL device, or the plain-Java reference. Every op writes
 * its whole output (no op reads what its output held before, except {@link #axpy}); outputs are
 * allocated by the caller. Shapes are checked by the caller ({@link Check}) before an op is
 * called. Scalar reductions return a double to the host.
 *
 * <p>Conventions: feature maps are C x H x W. Convolution weights are a vector laid out
 * [out][in][3][3] (PyTorch's order), biases a vector [out]. Masks are 1 x H x W and are broadcast
 * over channels. Host scalars (fill values, scale factors) are doubles: float32 devices round
 * them, the exact reference keeps them.
 */
public interface Device extends AutoCloseable {

    /** A short human-readable name, e.g. "pthread-skylake-avx512 (Portable Computing Language)". */
    String name();

    /** Allocates an uninitialised tensor. */
    Tensor allocate(Shape shape);

    /** Allocates a tensor and copies {@code data} (length = shape size) into it: one upload. */
    Tensor upload(Shape shape, float[] data);

    /** Overwrites an existing tensor with host data (length = tensor size): one upload. */
    void write(Tensor t, float[] data);

    /** Copies a tensor to the host: one download. */
    float[] download(Tensor t);

    /** Called by {@link Tensor#close()}; releases the device memory at once. */
    void release(Object memory, int floats);

    DeviceStats stats();

    /** Waits until every queued operation has finished (a no-op on synchronous devices). */
    void finish();

    @Override
    void close();

    // ---- memory -----------------------------------------------------------------------------

    void fill(Tensor t, double value);

    void copy(Tensor src, Tensor dst);

    // ---- convolution 3x3, stride 1, zero padding 1 -------------------------------------------

    /** out[o,y,x] = bias[o] + sum_{i,dy,dx} w[o,i,dy,dx] * in[i, y+dy-1, x+dx-1]; bias may be null. */
    void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** gradIn[i,y,x] = sum_{o,dy,dx} w[o,i,dy,dx] * gradOut[o, y-dy+1, x-dx+1]. */
    void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput);

    /**
     * gradW[o,i,dy,dx] = sum_{y,x} gradOut[o,y,x] * in[i, y+dy-1, x+dx-1];
     * gradBias[o] = sum_{y,x} gradOut[o,y,x] (skipped when gradBias is null).
     */
    void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias);

    // ---- activations and pooling ------------------------------------------------------------

    /** out = max(x, 0). */
    void relu(Tensor x, Tensor out);

    /** gradIn = x > 0 ? gradOut : 0 (x is the ReLU's input). */
    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn);

    /**
     * 2x2 max pooling, stride 2, ceil mode: out is C x ceil(H/2) x ceil(W/2); a window that
     * overhangs the edge takes the max over its in-bounds elements.
     */
    void maxPool2x2(Tensor x, Tensor out);

    /**
     * Routes each gradOut element to the position of its window's maximum; on ties, the first in
     * row-major order within the window. Every other element of gradIn is 0.
     */
    void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn);

    /**
     * 3x3 average, stride 1, zero padding 1, always divided by 9. The operator is self-adjoint,
     * so it is also its own backward.
     */
    void avgPool3x3(Tensor x, Tensor out);

    // ---- elementwise --------------------------------------------------------------------------

    /** out = a + b. */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a * b. */
    void multiply(Tensor a, Tensor b, Tensor out);

    /** out = s * a. */
    void scale(Tensor a, double s, Tensor out);

    /** y += alpha * x (in place: the one op that reads its output). */
    void axpy(double alpha, Tensor x, Tensor y);

    /** out[c,y,x] = x[c,y,x] * mask[0,y,x]. */
    void multiplyMask(Tensor x, Tensor mask, Tensor out);

    /** gradMask[0,y,x] = sum_c gradOut[c,y,x] * x[c,y,x]: the mask's gradient in multiplyMask. */
    void maskGradient(Tensor x, Tensor gradOut, Tensor gradMask);

    // ---- Gram matrix and total variation ----------------------------------------------------

    /** out[i,j] = scale * sum_p f[i,p] f[j,p] for f of shape C x H x W; out has shape 1 x C x C. */
    void gram(Tensor f, double scale, Tensor out);

    /** gradF[i,p] = scale * sum_j (gradGram[i,j] + gradGram[j,i]) f[j,p]. */
    void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF);

    /**
     * The gradient of weight * 0.5 * sum over c, y &lt; H-1, x &lt; W-1 of (dx^2 + dy^2) with
     * dx = x[c,y,x] - x[c,y,x+1] and dy = x[c,y,x] - x[c,y+1,x] (ALGORITHM.md, the TV term).
     */
    void totalVariationGradient(Tensor x, double weight, Tensor grad);

    // ---- reductions (to the host) --------------------------------------------------------------

    /** sum of all elements. */
    double sum(Tensor x);

    /** sum of a * b. */
    double dot(Tensor a, Tensor b);

    /** sum of |x|: the L1 norm. */
    double sumAbs(Tensor x);

    /** sum of (a - b)^2. */
    double sumSquaredDifference(Tensor a, Tensor b);

    /** 0.5 * sum of (dx^2 + dy^2) as in {@link #totalVariationGradient}, unweighted. */
    double totalVariation(Tensor x);

    // ---- rows of a matrix (L-BFGS's history) -----------------------------------------------------
    //
    // A matrix of rows of n floats is any tensor of at least count * n elements, row r being its
    // elements [r n, (r + 1) n). One matrix holding many vectors lets one kernel read them all.

    /** Row {@code row} of {@code rows} = x, rows' rows being of x's size. */
    void copyToRow(Tensor x, Tensor rows, int row);

    /**
     * The dot products of 1 to 3 vectors of n floats with rows 0 .. count-1 of {@code rows} and
     * with one another, in one pass over the rows: out[k][r] = v_k . rows[r] for r &lt; count and
     * out[k][count + j] = v_k . v_j.
     */
    double[][] dots(Tensor rows, int count, Tensor... vectors);

    /**
     * out = alpha x + sum over r &lt; coefficients.length of coefficients[r] rows[r], rows of x's
     * size, in one pass over the rows.
     */
    void combineRows(Tensor rows, double[] coefficients, double alpha, Tensor x, Tensor out);

    // ---- matching (ALGORITHM.md sections 1 and 2) ----------------------------------------------
    //
    // A position q = y * W + x of a map is stored as a float in a 1 x H x W tensor (exact below
    // 2^24); -1 marks "no match". Ties go to the smallest q (as when candidates are scanned in
    // increasing q and only a strictly better score replaces the best so far). The searches are
    // exhaustive, every candidate scored, with running bests per query: no op ever holds a score
    // per (query, candidate) pair.

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

    // ---- post-processing (ALGORITHM.md section 3) ---------------------------------------------
    //
    // Images are C x H x W planes, colours in [0,1]. A nearest-neighbour field (NNF) is stored as
    // the matching ops store positions: q = y * W2 + x as a float in a 1 x H x W tensor, -1 for
    // none. A "window of radius r" around x is the set of positions within Chebyshev distance r of
    // x that lie inside the map (clipped at the borders, never padded).

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
