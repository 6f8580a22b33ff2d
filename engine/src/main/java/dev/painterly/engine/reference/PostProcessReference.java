package dev.painterly.engine.reference;

import dev.painterly.engine.PatchMatchRules;
import dev.painterly.engine.PostProcessChecks;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.PostProcess;

import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

import static dev.painterly.engine.reference.JavaDevice.data;

/**
 * The definition of {@link PostProcess}, on the reference's double storage: the Tensor methods
 * check shapes and call the array methods below, whose {@code store} rounds what is stored as the
 * device does.
 */
public final class PostProcessReference implements PostProcess {

    /** Colour levels of patchMatch's quantisation (PostProcess.patchMatch). */
    static final float LEVELS = 255f;

    private final Precision precision;

    PostProcessReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out) {
        PostProcessChecks.guidedFilter(guide, input, radius, eps, out);
        guidedFilter(data(guide), data(input), input.shape(), radius, eps, data(out), precision::store);
    }

    @Override
    public void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, long seed, Tensor nnf) {
        PostProcessChecks.patchMatch(a, b, queryMask, radius, iterations, nnf);
        patchMatch(data(a), a.shape(), data(b), b.shape(), queryMask == null ? null : data(queryMask), radius,
                iterations, seed, data(nnf));
    }

    @Override
    public void vote(Tensor nnf, Tensor b, int radius, Tensor out) {
        PostProcessChecks.vote(nnf, b, radius, out);
        vote(data(nnf), nnf.shape(), data(b), b.shape(), radius, data(out), precision::store);
    }

    // ---- guided filter ------------------------------------------------------------------------------

    /** Means over the clipped window of radius r of each of n planes of h x w, by separable sums. */
    static double[] boxMean(double[] x, int planes, int h, int w, int r) {
        int plane = h * w;
        double[] rows = new double[planes * plane];
        double[] out = new double[planes * plane];
        for (int k = 0; k < planes; k++) {
            int base = k * plane;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int sx = Math.max(0, xx - r); sx <= Math.min(w - 1, xx + r); sx++) {
                        acc += x[base + y * w + sx];
                    }
                    rows[base + y * w + xx] = acc;
                }
            }
            for (int y = 0; y < h; y++) {
                int y0 = Math.max(0, y - r), y1 = Math.min(h - 1, y + r);
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int sy = y0; sy <= y1; sy++) {
                        acc += rows[base + sy * w + xx];
                    }
                    int count = (y1 - y0 + 1) * (Math.min(w - 1, xx + r) - Math.max(0, xx - r) + 1);
                    out[base + y * w + xx] = acc / count;
                }
            }
        }
        return out;
    }

    /** Products I_i I_j of the guide's planes, in the order 00, 01, 02, 11, 12, 22. */
    private static final int[][] PAIRS = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};

    static void guidedFilter(double[] guide, double[] input, Shape s, int r, double eps, double[] out,
                             DoubleUnaryOperator store) {
        int h = s.height(), w = s.width(), n = s.plane();
        double[] meanI = boxMean(guide, 3, h, w, r);
        double[] products = new double[6 * n];
        for (int k = 0; k < 6; k++) {
            for (int p = 0; p < n; p++) {
                products[k * n + p] = guide[PAIRS[k][0] * n + p] * guide[PAIRS[k][1] * n + p];
            }
        }
        double[] meanII = boxMean(products, 6, h, w, r);
        for (int c = 0; c < s.channels(); c++) {
            // Planes: p, I_0 p, I_1 p, I_2 p.
            double[] withP = new double[4 * n];
            for (int p = 0; p < n; p++) {
                double v = input[c * n + p];
                withP[p] = v;
                for (int i = 0; i < 3; i++) {
                    withP[(1 + i) * n + p] = guide[i * n + p] * v;
                }
            }
            double[] means = boxMean(withP, 4, h, w, r);
            // Planes: a_0, a_1, a_2, b.
            double[] coefficients = new double[4 * n];
            for (int p = 0; p < n; p++) {
                double[] m = {meanI[p], meanI[n + p], meanI[2 * n + p]};
                double[] sigma = new double[6];
                for (int k = 0; k < 6; k++) {
                    sigma[k] = meanII[k * n + p] - m[PAIRS[k][0]] * m[PAIRS[k][1]];
                }
                double meanP = means[p];
                double[] cov = new double[3];
                for (int i = 0; i < 3; i++) {
                    cov[i] = means[(1 + i) * n + p] - m[i] * meanP;
                }
                double[] a = solveSymmetric(sigma[0] + eps, sigma[1], sigma[2], sigma[3] + eps, sigma[4], sigma[5] + eps, cov);
                for (int i = 0; i < 3; i++) {
                    coefficients[i * n + p] = a[i];
                }
                coefficients[3 * n + p] = meanP - a[0] * m[0] - a[1] * m[1] - a[2] * m[2];
            }
            double[] meanCoefficients = boxMean(coefficients, 4, h, w, r);
            for (int p = 0; p < n; p++) {
                double v = meanCoefficients[3 * n + p];
                for (int i = 0; i < 3; i++) {
                    v += meanCoefficients[i * n + p] * guide[i * n + p];
                }
                out[c * n + p] = store.applyAsDouble(v);
            }
        }
    }

    /**
     * M^-1 v for the symmetric M = [[m00, m01, m02], [m01, m11, m12], [m02, m12, m22]], by the
     * adjugate (the kernel uses the same formula).
     */
    static double[] solveSymmetric(double m00, double m01, double m02, double m11, double m12, double m22, double[] v) {
        double i00 = m11 * m22 - m12 * m12;
        double i01 = m02 * m12 - m01 * m22;
        double i02 = m01 * m12 - m02 * m11;
        double i11 = m00 * m22 - m02 * m02;
        double i12 = m01 * m02 - m00 * m12;
        double i22 = m00 * m11 - m01 * m01;
        double det = m00 * i00 + m01 * i01 + m02 * i02;
        return new double[] {
            (i00 * v[0] + i01 * v[1] + i02 * v[2]) / det,
            (i01 * v[0] + i11 * v[1] + i12 * v[2]) / det,
            (i02 * v[0] + i12 * v[1] + i22 * v[2]) / det,
        };
    }

    // ---- PatchMatch ---------------------------------------------------------------------------------

    /** Each position's quantised colour levels, 8 bits per channel, channel 0 in the low byte. */
    static int[] pack(double[] x, Shape s) {
        int n = s.plane();
        int[] packed = new int[n];
        for (int c = 0; c < s.channels(); c++) {
            for (int p = 0; p < n; p++) {
                float v = (float) x[c * n + p];
                int level = (int) Math.rint(Math.min(Math.max(v, 0f), 1f) * LEVELS);
                packed[p] |= level << (8 * c);
            }
        }
        return packed;
    }

    /** The search of one call: both images packed, and each query's patch rectangle and admissible range. */
    private record Search(int[] a, int[] b, int channels, int h, int w, int h2, int w2, int r, int key) {

        int dx0(int px) {
            return -Math.min(r, px);
        }

        int dx1(int px) {
            return Math.min(r, w - 1 - px);
        }

        int dy0(int py) {
            return -Math.min(r, py);
        }

        int dy1(int py) {
            return Math.min(r, h - 1 - py);
        }

        /** q (as y * w2 + x) with its coordinates clamped into p's admissible range. */
        int clamp(int p, int qx, int qy) {
            int px = p % w, py = p / w;
            int x = Math.min(Math.max(qx, -dx0(px)), w2 - 1 - dx1(px));
            int y = Math.min(Math.max(qy, -dy0(py)), h2 - 1 - dy1(py));
            return y * w2 + x;
        }

        /**
         * dist(p, q), or some partial sum at least {@code bound} once a row has brought the sum
         * there: the caller then rejects q as it would have with the full sum.
         */
        int distance(int p, int q, int bound) {
            int px = p % w, py = p / w, qx = q % w2, qy = q / w2;
            int x0 = dx0(px), x1 = dx1(px);
            int sum = 0;
            for (int dy = dy0(py); dy <= dy1(py); dy++) {
                int ar = (py + dy) * w + px, br = (qy + dy) * w2 + qx;
                for (int dx = x0; dx <= x1; dx++) {
                    int u = a[ar + dx], v = b[br + dx];
                    for (int c = 0; c < channels; c++) {
                        int d = ((u >>> (8 * c)) & 0xff) - ((v >>> (8 * c)) & 0xff);
                        sum += d * d;
                    }
                }
                if (sum >= bound) {
                    return sum;
                }
            }
            return sum;
        }
    }

    /** PostProcess.patchMatch; queryMask may be null (every position searched). */
    static void patchMatch(double[] a, Shape as, double[] b, Shape bs, double[] queryMask, int r, int iterations,
                           long seed, double[] nnf) {
        Search s = new Search(pack(a, as), pack(b, bs), as.channels(), as.height(), as.width(), bs.height(), bs.width(),
                r, PatchMatchRules.key(seed));
        int n = as.plane();
        int[] q = new int[n], dist = new int[n];
        IntStream.range(0, n).parallel().forEach(p -> {
            if (queryMask != null && !(queryMask[p] > 0)) {
                q[p] = -1;
                return;
            }
            int px = p % s.w(), py = p / s.w();
            int lox = -s.dx0(px), hix = s.w2() - 1 - s.dx1(px);
            int loy = -s.dy0(py), hiy = s.h2() - 1 - s.dy1(py);
            int qx = lox + PatchMatchRules.below(s.key(), PatchMatchRules.initStream(0), p, hix - lox + 1);
            int qy = loy + PatchMatchRules.below(s.key(), PatchMatchRules.initStream(1), p, hiy - loy + 1);
            q[p] = qy * s.w2() + qx;
            dist[p] = s.distance(p, q[p], Integer.MAX_VALUE);
        });
        int[] q2 = new int[n], dist2 = new int[n];
        for (int i = 1; i <= iterations; i++) {
            int iteration = i;
            IntStream.range(0, n).parallel().forEach(p -> search(s, iteration, p, q, dist));
            for (int pass = 0; pass < PatchMatchRules.PROPAGATION_PASSES; pass++) {
                int k = PatchMatchRules.step(pass);
                IntStream.range(0, n).parallel().forEach(p -> propagate(s, k, p, q, dist, q2, dist2));
                System.arraycopy(q2, 0, q, 0, n);
                System.arraycopy(dist2, 0, dist, 0, n);
            }
        }
        for (int p = 0; p < n; p++) {
            nnf[p] = q[p];
        }
    }

    /** Random search at p, in place: radii max(w2, h2) halving down to 1. */
    private static void search(Search s, int iteration, int p, int[] q, int[] dist) {
        int best = q[p], bestDist = dist[p];
        if (best < 0) {
            return;
        }
        for (int j = 0; (Math.max(s.w2(), s.h2()) >> j) >= 1; j++) {
            int radius = Math.max(s.w2(), s.h2()) >> j;
            int ux = PatchMatchRules.below(s.key(), PatchMatchRules.searchStream(iteration, j, 0), p, 2 * radius + 1);
            int uy = PatchMatchRules.below(s.key(), PatchMatchRules.searchStream(iteration, j, 1), p, 2 * radius + 1);
            int candidate = s.clamp(p, best % s.w2() + ux - radius, best / s.w2() + uy - radius);
            if (candidate != best) {
                int d = s.distance(p, candidate, bestDist);
                if (d < bestDist) {
                    best = candidate;
                    bestDist = d;
                }
            }
        }
        q[p] = best;
        dist[p] = bestDist;
    }

    /** One jump-flooding propagation pass of step k at p: reads q and dist, writes q2 and dist2. */
    private static void propagate(Search s, int k, int p, int[] q, int[] dist, int[] q2, int[] dist2) {
        int px = p % s.w(), py = p / s.w();
        int best = q[p], bestDist = dist[p];
        int[][] offsets = {{-k, 0}, {k, 0}, {0, -k}, {0, k}};
        for (int[] e : offsets) {
            int nx = px + e[0], ny = py + e[1];
            if (best < 0 || nx < 0 || nx >= s.w() || ny < 0 || ny >= s.h() || q[ny * s.w() + nx] < 0) {
                continue;
            }
            int m = q[ny * s.w() + nx];
            int candidate = s.clamp(p, m % s.w2() - e[0], m / s.w2() - e[1]);
            if (candidate != best) {
                int d = s.distance(p, candidate, bestDist);
                if (d < bestDist) {
                    best = candidate;
                    bestDist = d;
                }
            }
        }
        q2[p] = best;
        dist2[p] = bestDist;
    }

    // ---- voting -------------------------------------------------------------------------------------

    static void vote(double[] nnf, Shape as, double[] b, Shape bs, int r, double[] out, DoubleUnaryOperator store) {
        int h = as.height(), w = as.width(), h2 = bs.height(), w2 = bs.width(), n = as.plane(), n2 = bs.plane();
        int channels = bs.channels();
        IntStream.range(0, n).parallel().forEach(x -> {
            int xx = x % w, xy = x / w;
            double[] acc = new double[channels];
            int count = 0;
            for (int ey = Math.max(-r, -xy); ey <= Math.min(r, h - 1 - xy); ey++) {
                for (int ex = Math.max(-r, -xx); ex <= Math.min(r, w - 1 - xx); ex++) {
                    double m = nnf[(xy + ey) * w + xx + ex];
                    if (m < 0) {
                        continue;
                    }
                    int sx = (int) m % w2 - ex, sy = (int) m / w2 - ey;
                    if (sx < 0 || sx >= w2 || sy < 0 || sy >= h2) {
                        continue;
                    }
                    for (int c = 0; c < channels; c++) {
                        acc[c] += b[c * n2 + sy * w2 + sx];
                    }
                    count++;
                }
            }
            for (int c = 0; c < channels; c++) {
                out[c * n + x] = count == 0 ? 0 : store.applyAsDouble(acc[c] / count);
            }
        });
    }
}
