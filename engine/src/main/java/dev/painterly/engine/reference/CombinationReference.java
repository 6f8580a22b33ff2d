package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Combination;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Combination}: each element's sum in double, rounded once as stored. */
public final class CombinationReference implements Combination {

    private final Precision precision;

    CombinationReference(Precision precision) {
        this.precision = precision;
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
            o[i] = precision.store(acc);
        }
    }
}
