package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * MSE(a, b) = sum of (a - b)^2 / n, with n the number of elements unless given; d/da = 2 (a - b) / n,
 * d/db = -d/da.
 */
public final class MeanSquaredError implements Node {

    private final Var a;
    private final Var b;
    private final Var out;
    private final double count;

    private MeanSquaredError(Var a, Var b, Var out, double count) {
        this.a = a;
        this.b = b;
        this.out = out;
        this.count = count;
    }

    /** The value stays on the device (no transfer until someone reads it), so a loss does not stall the queue. */
    public static Var apply(Var a, Var b) {
        return apply(a, b, a.value().size());
    }

    /**
     * The mean over {@code count} elements of which a and b hold the only ones that can differ:
     * the MSE of a whole tensor computed on the part of it that matters.
     */
    public static Var apply(Var a, Var b, double count) {
        Check.sameShape(a.value(), b.value());
        if (!(count >= a.value().size())) {
            throw new IllegalArgumentException("a mean over " + count + " elements of a tensor of " + a.value().size());
        }
        Device d = a.tape().device();
        Tensor value = d.allocate(Shape.vector(1));
        d.reductions().sumSquaredDifference(a.value(), b.value(), 1.0 / count, value);
        return a.tape().record(value, o -> new MeanSquaredError(a, b, o, count), a, b);
    }

    @Override
    public void backward() {
        double g = out.scalarGrad();
        if (g == 0) {
            return;
        }
        Device d = out.tape().device();
        double factor = 2 * g / count;
        if (b.requiresGrad()) {
            Tensor gb = d.allocate(b.shape());
            d.elementwise().scaledDifference(a.value(), b.value(), -factor, gb);
            b.accumulate(gb);
        }
        if (a.requiresGrad()) {
            Tensor ga = d.allocate(a.shape());
            d.elementwise().scaledDifference(a.value(), b.value(), factor, ga);
            a.accumulate(ga);
        }
    }
}
