package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/** The device side of one-element values: reductions' outputs. */
final class Scalars {

    private Scalars() {
    }

    /** A one-element tensor holding v. */
    static Tensor tensor(Device d, double v) {
        Tensor t = d.allocate(Shape.vector(1));
        d.fill(t, v);
        return t;
    }
}
