package dev.painterly.engine.reference;

import dev.painterly.engine.MatchingChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Matching;

import java.util.Arrays;
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
        double[][] f = positionVectors(queries), s = positionVectors(candidates);
        double[] fSquares = squaredNorms(f), sSquares = squaredNorms(s);
        double[] mask = queryMask == null ? null : data(queryMask);
        double[] o = data(out);
        int h = queries.shape().height(), w = queries.shape().width();
        int h2 = candidates.shape().height(), w2 = candidates.shape().width();
        IntStream.range(0, h * w).parallel().forEach(p -> {
            if (mask != null && !(mask[p] > 0)) {
                o[p] = -1;
                return;
            }
            int py = p / w, px = p % w;
            double best = Double.NEGATIVE_INFINITY;
            int bestQ = -1;
            for (int q = 0; q < h2 * w2; q++) {
                int qy = q / w2, qx = q % w2;
                if (borderRule && !borderAllowed(px, py, w, h, qx, qy, w2, h2)) {
                    continue;
                }
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
                double score = normalised ? dot / (Math.sqrt(fSquare) * Math.sqrt(sSquare) + 1e-9) : dot;
                if (score > best) {
                    best = score;
                    bestQ = q;
                }
            }
            o[p] = bestQ;
        });
    }

    /** matchDot's border rule: a candidate on P's outermost column or row needs the query on A's. */
    private static boolean borderAllowed(int px, int py, int w, int h, int qx, int qy, int w2, int h2) {
        return (qx != 0 || px == 0) && (qx != w2 - 1 || px == w - 1)
                && (qy != 0 || py == 0) && (qy != h2 - 1 || py == h - 1);
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
        double[] n = data(nnf), g = data(guide), m = data(tightMask), o = data(out);
        int h = nnf.shape().height(), w = nnf.shape().width(), plane = h * w;
        for (int p = 0; p < plane; p++) {
            o[p] = n[p];
            if (!(m[p] > TIGHT_INSIDE)) {
                continue;
            }
            int py = p / w, px = p % w;
            // guide(NNF(p+e) - e): the colour each neighbour's match implies at p.
            double[][] implied = new double[25][];
            int count = 0;
            for (int ey = -2; ey <= 2; ey++) {
                for (int ex = -2; ex <= 2; ex++) {
                    int ny = py + ey, nx = px + ex;
                    if (ny < 0 || ny >= h || nx < 0 || nx >= w || n[ny * w + nx] < 0) {
                        continue;
                    }
                    int match = (int) n[ny * w + nx];
                    int ry = match / w - ey, rx = match % w - ex;
                    if (ry >= 0 && ry < h && rx >= 0 && rx < w) {
                        int r = ry * w + rx;
                        implied[count++] = new double[] {g[r], g[plane + r], g[2 * plane + r]};
                    }
                }
            }
            if (count == 0) {
                continue;
            }
            double bestScore = Double.POSITIVE_INFINITY;
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    int ny = py + dy, nx = px + dx;
                    if (ny < 0 || ny >= h || nx < 0 || nx >= w || n[ny * w + nx] < 0) {
                        continue;
                    }
                    int match = (int) n[ny * w + nx];
                    int qy = match / w - dy, qx = match % w - dx;
                    if (qx < 2 || qx >= w - 3 || qy < 2 || qy >= h - 3) {
                        continue;
                    }
                    int q = qy * w + qx;
                    double distances = 0;
                    for (int i = 0; i < count; i++) {
                        double r = g[q] - implied[i][0], gr = g[plane + q] - implied[i][1];
                        double b = g[2 * plane + q] - implied[i][2];
                        distances += Math.sqrt(r * r + gr * gr + b * b);
                    }
                    double score = distances / count;
                    if (score < bestScore) {
                        bestScore = score;
                        o[p] = q;
                    }
                }
            }
        }
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
