package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Var;

/** The device side of one-element values: reductions' outputs and their gradients. */
final class Scalars {

    private Scalars() {
    }

    /** A one-element tensor holding v. */
    static Tensor tensor(Device d, double v) {
        Tensor t = d.allocate(Shape.vector(1));
        d.fill(t, v);
        return t;
    }

    /** The gradient that reached a scalar output, as a double (0 when none reached it). */
    static double grad(Var out) {
        return out.grad() == null ? 0 : out.tape().device().reductions().sum(out.grad());
    }
}
