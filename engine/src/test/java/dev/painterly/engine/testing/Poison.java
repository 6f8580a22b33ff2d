package dev.painterly.engine.testing;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * Output tensors for kernel tests, pre-filled with a poison value (NaN), so that an element the
 * kernel never writes fails the comparison.
 */
public final class Poison {

    public static final float VALUE = Float.NaN;

    private Poison() {
    }

    public static Tensor output(Device device, Shape shape) {
        Tensor t = device.allocate(shape);
        device.fill(t, VALUE);
        return t;
    }
}
