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
    public void gatherColumns(Tensor source, Tensor segments, Tensor weights, Tensor out) {
        Check.columns(source, segments, weights, out);
        double[] s = data(source), g = data(segments), w = data(weights), o = data(out);
        int m = w.length, plane = source.shape().plane();
        for (int c = 0; c < source.shape().channels(); c++) {
            for (int k = 0; k < g.length; k += 3) {
                int p = (int) g[k], i = (int) g[k + 1], length = (int) g[k + 2];
                for (int j = 0; i >= 0 && j < length; j++) {
                    o[c * m + i + j] = precision.store(s[c * plane + p + j] * w[i + j]);
                }
            }
        }
    }

    @Override
    public void scatterColumns(Tensor values, Tensor segments, Tensor weights, Tensor out) {
        Check.columns(out, segments, weights, values);
        double[] v = data(values), g = data(segments), w = data(weights), o = data(out);
        int m = w.length, plane = out.shape().plane();
        for (int c = 0; c < out.shape().channels(); c++) {
            for (int k = 0; k < g.length; k += 3) {
                int p = (int) g[k], i = (int) g[k + 1], length = (int) g[k + 2];
                for (int j = 0; j < length; j++) {
                    o[c * plane + p + j] = i < 0 ? 0 : precision.store(v[c * m + i + j] * w[i + j]);
                }
            }
        }
    }
}
