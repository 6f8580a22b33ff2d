package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

import static dev.painterly.engine.reference.JavaDevice.data;

/**
 * The definition of {@link Gather}: gather and scatter move every value unchanged; the column
 * ops round each weighted value to the device's precision.
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
    public void gatherColumns(Tensor source, Tensor positions, Tensor weights, Tensor out) {
        Check.columns(source, positions, weights, out);
        double[] s = data(source), p = data(positions), w = data(weights), o = data(out);
        int m = p.length, plane = source.shape().plane();
        for (int c = 0; c < source.shape().channels(); c++) {
            for (int i = 0; i < m; i++) {
                o[c * m + i] = precision.store(s[c * plane + (int) p[i]] * w[i]);
            }
        }
    }

    @Override
    public void scatterColumns(Tensor values, Tensor slots, Tensor weights, Tensor out) {
        Check.columns(out, weights, weights, values);
        Check.maskFor(out, slots);
        double[] v = data(values), s = data(slots), w = data(weights), o = data(out);
        int m = w.length, plane = out.shape().plane();
        for (int c = 0; c < out.shape().channels(); c++) {
            for (int p = 0; p < plane; p++) {
                int i = (int) s[p];
                o[c * plane + p] = i >= 0 ? precision.store(v[c * m + i] * w[i]) : 0;
            }
        }
    }
}
