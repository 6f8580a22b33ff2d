package dev.painterly.engine.reference;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Elementwise;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Elementwise}: one loop per op. */
public final class ElementwiseReference implements Elementwise {

    private final Precision precision;

    ElementwiseReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(x[i] + y[i]);
        }
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(x[i] * y[i]);
        }
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        double[] x = data(a), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(s * x[i]);
        }
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        double[] a = data(x), o = data(y);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(o[i] + alpha * a[i]);
        }
    }

    @Override
    public void scaledDifference(Tensor a, Tensor b, double s, Tensor out) {
        double[] x = data(a), y = data(b), o = data(out);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(s * (x[i] - y[i]));
        }
    }

    @Override
    public void scaleByNorm(Tensor a, Tensor squaredNorm, double weight, Tensor out) {
        double[] x = data(a), o = data(out);
        double factor = weight / (Math.sqrt(data(squaredNorm)[0]) + 1e-8);
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(factor * x[i]);
        }
    }

    @Override
    public void maskMultiply(Tensor x, Tensor mask, Tensor out) {
        double[] a = data(x), m = data(mask), o = data(out);
        int plane = x.shape().plane();
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store(a[i] * m[i % plane]);
        }
    }

    @Override
    public void addMasked(Tensor a, Tensor b, double weight, Tensor mask, Tensor out) {
        double[] x = data(a), y = data(b), m = data(mask), o = data(out);
        int plane = a.shape().plane();
        for (int i = 0; i < o.length; i++) {
            o[i] = precision.store((x[i] + weight * y[i]) * m[i % plane]);
        }
    }

    @Override
    public void addNormalizedMasked(Tensor a, Tensor b, Tensor squaredNorm, double weight, Tensor mask, Tensor out) {
        addMasked(a, b, weight / (Math.sqrt(data(squaredNorm)[0]) + 1e-8), mask, out);
    }

    @Override
    public void maskMultiplyBackward(Tensor x, Tensor gradOut, Tensor gradMask) {
        double[] a = data(x), g = data(gradOut), gm = data(gradMask);
        int plane = x.shape().plane(), c = x.shape().channels();
        for (int p = 0; p < plane; p++) {
            double acc = 0;
            for (int k = 0; k < c; k++) {
                acc += g[k * plane + p] * a[k * plane + p];
            }
            gm[p] = precision.store(acc);
        }
    }

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
            g[i] = precision.store(weight * acc[i]);
        }
    }
}
