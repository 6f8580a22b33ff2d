package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** MSE(a, b) = mean of (a - b)^2; d/da = 2 (a - b) / n, d/db = -d/da. */
public final class MeanSquaredError implements Node {

    private final Var a;
    private final Var b;
    private final Var out;

    private MeanSquaredError(Var a, Var b, Var out) {
        this.a = a;
        this.b = b;
        this.out = out;
    }

    /** The value stays on the device (no transfer until someone reads it), so a loss does not stall the queue. */
    public static Var apply(Var a, Var b) {
        Check.sameShape(a.value(), b.value());
        Device d = a.tape().device();
        Tensor value = d.allocate(Shape.vector(1));
        d.reductions().sumSquaredDifference(a.value(), b.value(), 1.0 / a.value().size(), value);
        return a.tape().record(value, o -> new MeanSquaredError(a, b, o), a, b);
    }

    @Override
    public void backward() {
        double g = out.scalarGrad();
        if (g == 0) {
            return;
        }
        Device d = out.tape().device();
        double factor = 2 * g / a.value().size();
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
