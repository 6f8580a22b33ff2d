package dev.painterly.engine.reference;

import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceStats;
import dev.painterly.engine.MemoryLedger;
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
}
