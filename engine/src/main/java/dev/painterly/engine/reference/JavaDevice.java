package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceMemoryLimit;
import dev.painterly.engine.DeviceStats;
import dev.painterly.engine.MatchingChecks;
import dev.painterly.engine.MemoryLedger;
import dev.painterly.engine.PostProcessChecks;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.util.stream.IntStream;

/**
 * The plain-Java reference: the readable definition of every op, which the OpenCL kernels are
 * tested against. Every sum accumulates in double. Storage is double; in float32 mode (the
 * default, selected as {@code --device java}) every stored value is rounded to float so that it
 * behaves like a float32 device, and in exact mode (for finite-difference gradient checks) nothing
 * is rounded.
 */
public final class JavaDevice implements Device {

    private final boolean float32;
    private final MemoryLedger ledger = new MemoryLedger();

    private JavaDevice(boolean float32) {
        this.float32 = float32;
    }

    /** The reference as a float32 device. */
    public static JavaDevice float32() {
        return new JavaDevice(true);
    }

    /** The reference in full double precision, for gradient checks. */
    public static JavaDevice exact() {
        return new JavaDevice(false);
    }

    @Override
    public String name() {
        return float32 ? "java (reference, float32)" : "java (reference, double)";
    }

    private double store(double v) {
        return float32 ? (float) v : v;
    }

    /** The storage of a tensor of this device. */
    public static double[] data(Tensor t) {
        return (double[]) t.memory();
    }

    @Override
    public Tensor allocate(Shape shape) {
        DeviceMemoryLimit.check(ledger, 4L * shape.size(), name());
        ledger.allocated(4L * shape.size());
        return new Tensor(this, shape, new double[shape.size()]);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload of " + data.length + " floats into " + shape);
        }
        Tensor t = allocate(shape);
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        ledger.uploaded(4L * data.length);
        return t;
    }

    @Override
    public void write(Tensor t, float[] data) {
        if (data.length != t.size()) {
            throw new IllegalArgumentException("write of " + data.length + " floats into " + t.shape());
        }
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        ledger.uploaded(4L * data.length);
    }

    /** Uploads doubles without rounding (exact mode keeps them; float32 mode rounds). */
    public Tensor uploadDoubles(Shape shape, double[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload of " + data.length + " values into " + shape);
        }
        Tensor t = allocate(shape);
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = store(data[i]);
        }
        ledger.uploaded(8L * data.length);
        return t;
    }

    @Override
    public float[] download(Tensor t) {
        double[] d = data(t);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        ledger.downloaded(4L * d.length);
        return out;
    }

    /** Downloads without rounding. */
    public double[] downloadDoubles(Tensor t) {
        ledger.downloaded(8L * t.size());
        return data(t).clone();
    }

    @Override
    public void release(Object memory, int floats) {
        ledger.released(4L * floats);
    }

    @Override
    public DeviceStats stats() {
        return ledger.snapshot();
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public void fill(Tensor t, double value) {
        java.util.Arrays.fill(data(t), store(value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    // ---- convolution ------------------------------------------------------------------------------

    @Override
    public void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        double[] in = data(input), w = data(weight), out = data(output);
        double[] b = bias == null ? null : data(bias);
        int ci = input.shape().channels(), h = input.shape().height(), wd = input.shape().width();
        int co = output.shape().channels();
        IntStream.range(0, co).parallel().forEach(o -> {
            double[] acc = new double[h * wd];
            java.util.Arrays.fill(acc, b == null ? 0 : b[o]);
            for (int i = 0; i < ci; i++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double k = w[((o * ci + i) * 3 + dy) * 3 + dx];
                        for (int y = 0; y < h; y++) {
                            int sy = y + dy - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            int row = (i * h + sy) * wd;
                            for (int x = 0; x < wd; x++) {
                                int sx = x + dx - 1;
                                if (sx >= 0 && sx < wd) {
                                    acc[y * wd + x] += k * in[row + sx];
                                }
                            }
                        }
                    }
                }
            }
            for (int p = 0; p < h * wd; p++) {
                out[o * h * wd + p] = store(acc[p]);
            }
        });
    }

    @Override
    public void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput) {
        double[] g = data(gradOutput), w = data(weight), gi = data(gradInput);
        int co = gradOutput.shape().channels(), h = gradOutput.shape().height(), wd = gradOutput.shape().width();
        int ci = gradInput.shape().channels();
        IntStream.range(0, ci).parallel().forEach(i -> {
            double[] acc = new double[h * wd];
            for (int o = 0; o < co; o++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double k = w[((o * ci + i) * 3 + dy) * 3 + dx];
                        for (int y = 0; y < h; y++) {
                            int sy = y - dy + 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            int row = (o * h + sy) * wd;
                            for (int x = 0; x < wd; x++) {
                                int sx = x - dx + 1;
                                if (sx >= 0 && sx < wd) {
                                    acc[y * wd + x] += k * g[row + sx];
                                }
                            }
                        }
                    }
                }
            }
            for (int p = 0; p < h * wd; p++) {
                gi[i * h * wd + p] = store(acc[p]);
            }
        });
    }

    @Override
    public void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        double[] in = data(input), g = data(gradOutput), gw = data(gradWeight);
        int ci = input.shape().channels(), h = input.shape().height(), wd = input.shape().width();
        int co = gradOutput.shape().channels();
        IntStream.range(0, co).parallel().forEach(o -> {
            for (int i = 0; i < ci; i++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double acc = 0;
                        for (int y = 0; y < h; y++) {
                            int sy = y + dy - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int x = 0; x < wd; x++) {
                                int sx = x + dx - 1;
                                if (sx >= 0 && sx < wd) {
                                    acc += g[(o * h + y) * wd + x] * in[(i * h + sy) * wd + sx];
                                }
                            }
                        }
                        gw[((o * ci + i) * 3 + dy) * 3 + dx] = store(acc);
                    }
                }
            }
        });
        if (gradBias != null) {
            double[] gb = data(gradBias);
            for (int o = 0; o < co; o++) {
                double acc = 0;
                for (int p = 0; p < h * wd; p++) {
                    acc += g[o * h * wd + p];
                }
                gb[o] = store(acc);
            }
        }
    }

    // ---- activations and pooling -------------------------------------------------------------------

    @Override
    public void relu(Tensor x, Tensor out) {
        double[] a = data(x), o = data(out);
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.max(a[i], 0);
        }
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        double[] a = data(x), g = data(gradOut), gi = data(gradIn);
        for (int i = 0; i < a.length; i++) {
            gi[i] = a[i] > 0 ? g[i] : 0;
        }
    }

    /** Index (within the input) of the max of the 2x2 window of output (c, oy, ox); first on ties. */
    private static int argmaxOfWindow(double[] a, int c, int h, int w, int oy, int ox) {
        int best = -1;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int y = 2 * oy + dy, x = 2 * ox + dx;
                if (y < h && x < w) {
                    int idx = (c * h + y) * w + x;
                    if (best < 0 || a[idx] > a[best]) {
                        best = idx;
                    }
                }
            }
        }
        return best;
    }

    @Override
    public void maxPool2x2(Tensor x, Tensor out) {
        double[] a = data(x), o = data(out);
        Shape s = x.shape();
        int oh = out.shape().height(), ow = out.shape().width();
        for (int c = 0; c < s.channels(); c++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    o[(c * oh + oy) * ow + ox] = a[argmaxOfWindow(a, c, s.height(), s.width(), oy, ox)];
                }
            }
        }
    }

    @Override
    public void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn) {
        double[] a = data(x), g = data(gradOut), gi = data(gradIn);
        Shape s = x.shape();
        int oh = gradOut.shape().height(), ow = gradOut.shape().width();
        java.util.Arrays.fill(gi, 0);
        for (int c = 0; c < s.channels(); c++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    gi[argmaxOfWindow(a, c, s.height(), s.width(), oy, ox)] = g[(c * oh + oy) * ow + ox];
                }
            }
        }
    }

    @Override
    public void avgPool3x3(Tensor x, Tensor out) {
        double[] a = data(x), o = data(out);
        Shape s = x.shape();
        int h = s.height(), w = s.width();
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int sy = Math.max(0, y - 1); sy <= Math.min(h - 1, y + 1); sy++) {
                        for (int sx = Math.max(0, xx - 1); sx <= Math.min(w - 1, xx + 1); sx++) {
                            acc += a[(c * h + sy) * w + sx];
                        }
                    }
                    o[(c * h + y) * w + xx] = store(acc / 9.0);
                }
            }
        }
    }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = store(x[i] + y[i]);
        }
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = store(x[i] * y[i]);
        }
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        double[] x = data(a), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = store(s * x[i]);
        }
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] a = data(x), o = data(y);
        for (int i = 0; i < o.length; i++) {
            o[i] = store(o[i] + alpha * a[i]);
        }
    }

    @Override
    public void multiplyMask(Tensor x, Tensor mask, Tensor out) {
        double[] a = data(x), m = data(mask), o = data(out);
        int plane = x.shape().plane();
        for (int i = 0; i < o.length; i++) {
            o[i] = store(a[i] * m[i % plane]);
        }
    }

    @Override
    public void maskGradient(Tensor x, Tensor gradOut, Tensor gradMask) {
        double[] a = data(x), g = data(gradOut), gm = data(gradMask);
        int plane = x.shape().plane(), c = x.shape().channels();
        for (int p = 0; p < plane; p++) {
            double acc = 0;
            for (int k = 0; k < c; k++) {
                acc += g[k * plane + p] * a[k * plane + p];
            }
            gm[p] = store(acc);
        }
    }

    // ---- Gram and total variation -------------------------------------------------------------------

    @Override
    public void gram(Tensor f, double scale, Tensor out) {
        double[] a = data(f), o = data(out);
        int c = f.shape().channels(), n = f.shape().plane();
        IntStream.range(0, c).parallel().forEach(i -> {
            for (int j = 0; j < c; j++) {
                double acc = 0;
                for (int p = 0; p < n; p++) {
                    acc += a[i * n + p] * a[j * n + p];
                }
                o[i * c + j] = store(scale * acc);
            }
        });
    }

    @Override
    public void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF) {
        double[] a = data(f), g = data(gradGram), o = data(gradF);
        int c = f.shape().channels(), n = f.shape().plane();
        IntStream.range(0, c).parallel().forEach(i -> {
            for (int p = 0; p < n; p++) {
                double acc = 0;
                for (int j = 0; j < c; j++) {
                    acc += (g[i * c + j] + g[j * c + i]) * a[j * n + p];
                }
                o[i * n + p] = store(scale * acc);
            }
        });
    }

    @Override
    public void totalVariationGradient(Tensor x, double weight, Tensor grad) {
        double[] a = data(x), g = data(grad);
        Shape s = x.shape();
        int h = s.height(), w = s.width();
        double[] acc = new double[g.length];
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h - 1; y++) {
                for (int xx = 0; xx < w - 1; xx++) {
                    int i = (c * h + y) * w + xx;
                    double dx = a[i] - a[i + 1];
                    double dy = a[i] - a[i + w];
                    acc[i] += dx + dy;
                    acc[i + 1] -= dx;
                    acc[i + w] -= dy;
                }
            }
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = store(weight * acc[i]);
        }
    }

    // ---- rows of a matrix ------------------------------------------------------------------------

    @Override
    public void copyToRow(Tensor x, Tensor rows, int row) {
        Check.rows(rows, row + 1, x.size());
        System.arraycopy(data(x), 0, data(rows), row * x.size(), x.size());
    }

    @Override
    public double[][] dots(Tensor rows, int count, Tensor... vectors) {
        Check.dotsOperands(rows, count, vectors);
        double[] m = data(rows);
        int n = vectors[0].size();
        double[][] out = new double[vectors.length][count + vectors.length];
        for (int k = 0; k < vectors.length; k++) {
            double[] v = data(vectors[k]);
            for (int r = 0; r < count + vectors.length; r++) {
                double[] row = r < count ? m : data(vectors[r - count]);
                int offset = r < count ? r * n : 0;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += v[i] * row[offset + i];
                }
                out[k][r] = acc;
            }
        }
        return out;
    }

    @Override
    public void combineRows(Tensor rows, double[] coefficients, double alpha, Tensor x, Tensor out) {
        Check.sameSize(x, out);
        int n = x.size();
        Check.rows(rows, coefficients.length, n);
        double[] m = data(rows), a = data(x), o = data(out);
        for (int i = 0; i < n; i++) {
            double acc = alpha * a[i];
            for (int r = 0; r < coefficients.length; r++) {
                acc += coefficients[r] * m[r * n + i];
            }
            o[i] = store(acc);
        }
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    public double sum(Tensor x) {
        double acc = 0;
        for (double v : data(x)) {
            acc += v;
        }
        return acc;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        double[] x = data(a), y = data(b);
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            acc += x[i] * y[i];
        }
        return acc;
    }

    @Override
    public double sumAbs(Tensor x) {
        double acc = 0;
        for (double v : data(x)) {
            acc += Math.abs(v);
        }
        return acc;
    }

    @Override
    public double sumSquaredDifference(Tensor a, Tensor b) {
        double[] x = data(a), y = data(b);
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            acc += d * d;
        }
        return acc;
    }

    @Override
    public double totalVariation(Tensor x) {
        double[] a = data(x);
        Shape s = x.shape();
        int h = s.height(), w = s.width();
        double acc = 0;
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h - 1; y++) {
                for (int xx = 0; xx < w - 1; xx++) {
                    int i = (c * h + y) * w + xx;
                    double dx = a[i] - a[i + 1];
                    double dy = a[i] - a[i + w];
                    acc += dx * dx + dy * dy;
                }
            }
        }
        return 0.5 * acc;
    }

    // ---- matching ---------------------------------------------------------------------------------

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
                o[k * plane + p] = store(a[k * plane + p] / norm);
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
        java.util.Arrays.fill(o, 0);
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

    // ---- post-processing, in PostProcessReference ----------------------------------------------

    @Override
    public void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out) {
        PostProcessChecks.guidedFilter(guide, input, radius, eps, out);
        PostProcessReference.guidedFilter(data(guide), data(input), input.shape(), radius, eps, data(out), this::store);
    }

    @Override
    public void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, long seed, Tensor nnf) {
        PostProcessChecks.patchMatch(a, b, queryMask, radius, iterations, nnf);
        PostProcessReference.patchMatch(data(a), a.shape(), data(b), b.shape(), queryMask == null ? null : data(queryMask),
                radius, iterations, seed, data(nnf));
    }

    @Override
    public void vote(Tensor nnf, Tensor b, int radius, Tensor out) {
        PostProcessChecks.vote(nnf, b, radius, out);
        PostProcessReference.vote(data(nnf), nnf.shape(), data(b), b.shape(), radius, data(out), this::store);
    }
}
