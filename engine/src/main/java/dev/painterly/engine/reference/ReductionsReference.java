package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Reductions;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Reductions}: plain double sums. */
public final class ReductionsReference implements Reductions {

    ReductionsReference() {
    }

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
    public void dot(Tensor a, Tensor b, Tensor result) {
        Check.size(result, 1, "dot result");
        data(result)[0] = dot(a, b);
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
    public void sumSquaredDifference(Tensor a, Tensor b, double scale, Tensor result) {
        Check.size(result, 1, "sum result");
        data(result)[0] = scale * sumSquaredDifference(a, b);
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
}
