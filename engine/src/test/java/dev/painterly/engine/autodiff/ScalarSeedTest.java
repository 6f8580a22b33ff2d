package dev.painterly.engine.autodiff;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.ops.MeanSquaredError;
import dev.painterly.engine.reference.JavaDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A loss seeded by backward(loss) or backward(loss, number) knows its gradient on the host; one
 * seeded with a tensor reads it from the device. All give the same gradients, scaled by the seed.
 */
class ScalarSeedTest {

    private final JavaDevice d = JavaDevice.exact();

    private double[] gradient(Double seed, boolean onHost) {
        try (Tensor a = d.uploadDoubles(Shape.of(1, 2, 2), new double[] {1, -2, 3, 0.5});
             Tensor b = d.uploadDoubles(Shape.of(1, 2, 2), new double[] {0, 1, 1, -1});
             Tape tape = new Tape(d)) {
            Var x = tape.leaf(a);
            Var loss = MeanSquaredError.apply(x, tape.constant(b));
            if (seed == null) {
                tape.backward(loss);
            } else if (onHost) {
                tape.backward(loss, seed);
            } else {
                try (Tensor s = d.uploadDoubles(Shape.vector(1), new double[] {seed})) {
                    tape.backward(loss, s);
                }
            }
            return d.downloadDoubles(x.grad());
        }
    }

    @Test
    void hostSeedAndDeviceSeedAgree() {
        // d/da mean((a - b)^2) = (a - b) / 2 for four elements.
        assertArrayEquals(new double[] {0.5, -1.5, 1, 0.75}, gradient(null, true), 1e-15);
        assertArrayEquals(new double[] {1.25, -3.75, 2.5, 1.875}, gradient(2.5, false), 1e-15);
        assertArrayEquals(new double[] {1.25, -3.75, 2.5, 1.875}, gradient(2.5, true), 1e-15);
    }
}
