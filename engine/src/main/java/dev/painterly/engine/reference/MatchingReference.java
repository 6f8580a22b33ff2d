package dev.painterly.engine.reference;

import dev.painterly.engine.MatchingChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Matching}: exhaustive searches scoring every candidate in double. */
public final class MatchingReference implements Matching {

    private final Precision precision;

    MatchingReference(Precision precision) {
        this.precision = precision;
    }

    /**
     * The tight mask's "inside" threshold, as the float 0.1f that float32 devices compare with, so
     * that a stored 0.1f is outside on every device.
     */
    private static final double TIGHT_INSIDE = 0.1f;

    @Override
    public void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out) {
        MatchingChecks.patchMatch(f, s, queryMask, out);
        matchPatches(f, s, queryMask, out, true, false);
    }

    @Override
    public void normalizePositions(Tensor x, Tensor out) {
        MatchingChecks.normalize(x, out);
        double[] a = data(x), o = data(out);
        int c = x.shape().channels(), plane = x.shape().plane();
        for (int p = 0; p < plane; p++) {
            double squares = 0;
            for (int k = 0; k < c; k++) {
                squares += a[k * plane + p] * a[k * plane + p];
            }
            double norm = Math.sqrt(squares) + 1e-8;
            for (int k = 0; k < c; k++) {
                o[k * plane + p] = precision.store(a[k * plane + p] / norm);
            }
        }
    }

    @Override
    public void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out) {
        MatchingChecks.patchMatch(a, p, queryMask, out);
        matchPatches(a, p, queryMask, out, false, true);
    }

    /**
     * Brute-force 3x3 patch matching: for each query, a running best over every candidate in
     * increasing q (strictly greater replaces, so the smallest q wins ties). matchNcc divides by
     * the patch norms and admits every candidate; matchDot takes the plain sum under the border rule.
     */
    private static void matchPatches(Tensor queries, Tensor candidates, Tensor queryMask, Tensor out,
                                     boolean normalised, boolean borderRule) {
        PatchScores scores = new PatchScores(queries, candidates);
        double[] mask = queryMask == null ? null : data(queryMask);
        double[] o = data(out);
        int plane = candidates.shape().plane();
        IntStream.range(0, queries.shape().plane()).parallel().forEach(p -> {
            if (mask != null && !(mask[p] > 0)) {
                o[p] = -1;
                return;
            }
            double best = Double.NEGATIVE_INFINITY;
            int bestQ = -1;
            for (int q = 0; q < plane; q++) {
                if (borderRule && !scores.dotAllows(p, q)) {
                    continue;
                }
                double score = normalised ? scores.ncc(p, q) : scores.dot(p, q);
                if (score > best) {
                    best = score;
                    bestQ = q;
                }
            }
            o[p] = bestQ;
        });
    }

    /**
     * The scores the patch searches maximise, in double, between a map of queries and a map of
     * candidates (reference tensors): matchNcc's, matchDot's, and matchDot's border rule. Kernel
     * tests judge the kernels' choices of near-tied candidates by these.
     */
    public static final class PatchScores {
        private final double[][] f, s;
        private final double[] fSquares, sSquares;
        private final int h, w, h2, w2;

        public PatchScores(Tensor queries, Tensor candidates) {
            f = positionVectors(queries);
            s = positionVectors(candidates);
            fSquares = squaredNorms(f);
            sSquares = squaredNorms(s);
            h = queries.shape().height();
            w = queries.shape().width();
            h2 = candidates.shape().height();
            w2 = candidates.shape().width();
        }

        /** matchNcc's score of query p against candidate q. */
        public double ncc(int p, int q) {
            return score(p, q, true);
        }

        /** matchDot's score of query p against candidate q (the border rule aside). */
        public double dot(int p, int q) {
            return score(p, q, false);
        }

        /** matchDot's border rule: a candidate on P's outermost column or row needs the query on A's. */
        public boolean dotAllows(int p, int q) {
            int px = p % w, py = p / w, qx = q % w2, qy = q / w2;
            return (qx != 0 || px == 0) && (qx != w2 - 1 || px == w - 1)
                    && (qy != 0 || py == 0) && (qy != h2 - 1 || py == h - 1);
        }

        private double score(int p, int q, boolean normalised) {
            int py = p / w, px = p % w, qy = q / w2, qx = q % w2;
            // The offsets valid for both positions form a rectangle.
            int dy0 = Math.max(-1, Math.max(-py, -qy)), dy1 = Math.min(1, Math.min(h - 1 - py, h2 - 1 - qy));
            int dx0 = Math.max(-1, Math.max(-px, -qx)), dx1 = Math.min(1, Math.min(w - 1 - px, w2 - 1 - qx));
            double dot = 0, fSquare = 0, sSquare = 0;
            for (int dy = dy0; dy <= dy1; dy++) {
                for (int dx = dx0; dx <= dx1; dx++) {
                    int fp = (py + dy) * w + px + dx, sq = (qy + dy) * w2 + qx + dx;
                    dot += dotProduct(f[fp], s[sq]);
                    fSquare += fSquares[fp];
                    sSquare += sSquares[sq];
                }
            }
            return normalised ? dot / (Math.sqrt(fSquare) * Math.sqrt(sSquare) + 1e-9) : dot;
        }
    }

    /** v[p][c]: the channel vector of every position, since patch scores read whole vectors. */
    private static double[][] positionVectors(Tensor t) {
        double[] d = data(t);
        int c = t.shape().channels(), plane = t.shape().plane();
        double[][] v = new double[plane][c];
        for (int k = 0; k < c; k++) {
            for (int p = 0; p < plane; p++) {
                v[p][k] = d[k * plane + p];
            }
        }
        return v;
    }

    private static double[] squaredNorms(double[][] vectors) {
        double[] n = new double[vectors.length];
        for (int p = 0; p < vectors.length; p++) {
            n[p] = dotProduct(vectors[p], vectors[p]);
        }
        return n;
    }

    private static double dotProduct(double[] a, double[] b) {
        double acc = 0;
        for (int k = 0; k < a.length; k++) {
            acc += a[k] * b[k];
        }
        return acc;
    }

    @Override
    public void refineMatches(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out) {
        MatchingChecks.refine(nnf, guide, tightMask, out);
        double[] n = data(nnf), m = data(tightMask), o = data(out);
        for (int p = 0; p < n.length; p++) {
            o[p] = n[p];
            if (!(m[p] > TIGHT_INSIDE)) {
                continue;
            }
            double bestScore = Double.POSITIVE_INFINITY;
            for (int q : refineProposals(nnf, p)) {
                double score = refineScore(nnf, guide, p, q);
                if (score < bestScore) {
                    bestScore = score;
                    o[p] = q;
                }
            }
        }
    }

    /**
     * The proposals q' = NNF(p+d) - d that refineMatches keeps for p, in row-major d order: those
     * of in-bounds, matched neighbours with 2 &lt;= q'x &lt; W-3 and 2 &lt;= q'y &lt; H-3.
     */
    public static List<Integer> refineProposals(Tensor nnf, int p) {
        double[] n = data(nnf);
        int h = nnf.shape().height(), w = nnf.shape().width();
        int py = p / w, px = p % w;
        List<Integer> kept = new ArrayList<>();
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int ny = py + dy, nx = px + dx;
                if (ny < 0 || ny >= h || nx < 0 || nx >= w || n[ny * w + nx] < 0) {
                    continue;
                }
                int match = (int) n[ny * w + nx];
                int qy = match / w - dy, qx = match % w - dx;
                if (qx >= 2 && qx < w - 3 && qy >= 2 && qy < h - 3) {
                    kept.add(qy * w + qx);
                }
            }
        }
        return kept;
    }

    /**
     * refineMatches' score of proposal q for p: the mean, over the in-bounds matched neighbours
     * p+e whose NNF(p+e) - e lies in the map, of the RGB distance between guide(q) and
     * guide(NNF(p+e) - e). Every kept proposal has at least one such neighbour (its own).
     */
    public static double refineScore(Tensor nnf, Tensor guide, int p, int q) {
        double[] n = data(nnf), g = data(guide);
        int h = nnf.shape().height(), w = nnf.shape().width(), plane = h * w;
        int py = p / w, px = p % w;
        double distances = 0;
        int count = 0;
        for (int ey = -2; ey <= 2; ey++) {
            for (int ex = -2; ex <= 2; ex++) {
                int ny = py + ey, nx = px + ex;
                if (ny < 0 || ny >= h || nx < 0 || nx >= w || n[ny * w + nx] < 0) {
                    continue;
                }
                int match = (int) n[ny * w + nx];
                int ry = match / w - ey, rx = match % w - ex;
                if (ry < 0 || ry >= h || rx < 0 || rx >= w) {
                    continue;
                }
                int r = ry * w + rx;
                double red = g[q] - g[r], green = g[plane + q] - g[plane + r];
                double blue = g[2 * plane + q] - g[2 * plane + r];
                distances += Math.sqrt(red * red + green * green + blue * blue);
                count++;
            }
        }
        return distances / count;
    }

    @Override
    public void usedRegion(Tensor nnf, Tensor tightMask, Tensor out) {
        MatchingChecks.usedRegion(nnf, tightMask, out);
        double[] n = data(nnf), m = data(tightMask), o = data(out);
        int h2 = out.shape().height(), w2 = out.shape().width();
        Arrays.fill(o, 0);
        for (int p = 0; p < n.length; p++) {
            if (!(m[p] > TIGHT_INSIDE) || n[p] < 0) {
                continue;
            }
            int q = (int) n[p], qy = q / w2, qx = q % w2;
            for (int y = Math.max(0, qy - 1); y <= Math.min(h2 - 1, qy + 1); y++) {
                for (int x = Math.max(0, qx - 1); x <= Math.min(w2 - 1, qx + 1); x++) {
                    o[y * w2 + x] = 1;
                }
            }
        }
    }
}
