package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

import static dev.painterly.engine.reference.JavaDevice.data;

/**
 * The definition of {@link Gather}: the gathers and scatters move every value unchanged; the
 * joins round each sum's product with the mask to the device's precision.
 */
public final class GatherReference implements Gather {

    private final Precision precision;

    GatherReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void gather(Tensor source, Tensor positions, Tensor out) {
        Check.positions(positions, source, out.size());
        double[] s = data(source), p = data(positions), o = data(out);
        for (int i = 0; i < p.length; i++) {
            o[i] = s[(int) p[i]];
        }
    }

    @Override
    public void scatter(Tensor values, Tensor positions, Tensor out) {
        Check.positions(positions, out, values.size());
        double[] v = data(values), p = data(positions), o = data(out);
        for (int i = 0; i < p.length; i++) {
            o[(int) p[i]] = v[i];
        }
    }

    @Override
    public void gatherColumns(Tensor source, Tensor segments, Tensor out) {
        Check.columns(source, segments, out);
        double[] s = data(source), g = data(segments), o = data(out);
        int m = out.shape().width(), plane = source.shape().plane();
        for (int c = 0; c < source.shape().channels(); c++) {
            for (int k = 0; k < g.length; k += 3) {
                int p = (int) g[k], i = (int) g[k + 1], length = (int) g[k + 2];
                for (int j = 0; i >= 0 && j < length; j++) {
                    o[c * m + i + j] = s[c * plane + p + j];
                }
            }
        }
    }

    @Override
    public void scatterColumns(Tensor values, Tensor segments, Tensor out) {
        Check.columns(out, segments, values);
        double[] v = data(values), g = data(segments), o = data(out);
        int m = values.shape().width(), plane = out.shape().plane();
        for (int c = 0; c < out.shape().channels(); c++) {
            for (int k = 0; k < g.length; k += 3) {
                int p = (int) g[k], i = (int) g[k + 1], length = (int) g[k + 2];
                for (int j = 0; j < length; j++) {
                    o[c * plane + p + j] = i < 0 ? 0 : v[c * m + i + j];
                }
            }
        }
    }

    @Override
    public void addColumnsMasked(Tensor g, Tensor values, Tensor segments, double weight, Tensor mask, Tensor out) {
        Check.columns(g, segments, values);
        Check.maskFor(g, mask);
        Check.sameShape(g, out);
        double[] a = data(g), v = data(values), s = data(segments), mk = data(mask), o = data(out);
        int m = values.shape().width(), plane = g.shape().plane();
        for (int c = 0; c < g.shape().channels(); c++) {
            for (int k = 0; k < s.length; k += 3) {
                int p = (int) s[k], i = (int) s[k + 1], length = (int) s[k + 2];
                for (int j = 0; j < length; j++) {
                    double own = i < 0 ? 0 : weight * v[c * m + i + j];
                    o[c * plane + p + j] = precision.store((a[c * plane + p + j] + own) * mk[p + j]);
                }
            }
        }
    }

    @Override
    public void addNormalizedColumnsMasked(Tensor g, Tensor values, Tensor segments, Tensor squaredNorm, double weight,
                                           Tensor mask, Tensor out) {
        Check.size(squaredNorm, 1, "squared norm");
        addColumnsMasked(g, values, segments, weight / (Math.sqrt(data(squaredNorm)[0]) + 1e-8), mask, out);
    }
}
