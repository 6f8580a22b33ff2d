package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Gather}: every value moves unchanged. */
public final class GatherReference implements Gather {

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
}
