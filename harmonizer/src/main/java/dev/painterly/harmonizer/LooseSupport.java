package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.FloatPositions;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.optim.Lbfgs;
import dev.painterly.engine.optim.LbfgsResult;
import dev.painterly.engine.optim.Objective;

/**
 * The entries of a pass's image that can change: the three channels of every pixel of its window
 * where the loose mask is not 0. The objective multiplies the image's gradient by the mask, so
 * the gradient is 0 everywhere else and no step ever moves those entries. L-BFGS therefore runs
 * on these entries alone: its vectors, and the history rows it reads twice each iteration, are
 * this long rather than the window's length (28 % of the image for example 0's object). Each
 * evaluation scatters the iterate into the window and gathers the gradient from it; the iterates
 * are those of L-BFGS on the whole window, up to the order in which float sums add the zeros. A
 * non-finite gradient outside the support, which the mask would have turned into NaN there, is
 * not seen; it cannot arise without the loss or the gradient inside being non-finite too.
 *
 * <p>A window of more than 2^24 entries (float positions would not be exact), or a mask that is
 * nowhere or everywhere 0, leaves L-BFGS on the whole window.
 */
final class LooseSupport implements AutoCloseable {

    private final Tensor positions;

    private LooseSupport(Tensor positions) {
        this.positions = positions;
    }

    /** The support of the loose mask cut to a pass's window, for an image of 3 channels of its size. */
    static LooseSupport of(Device device, Mask looseCut) {
        float[] m = looseCut.values();
        int plane = m.length;
        if (3L * plane > FloatPositions.MAX) {
            return new LooseSupport(null);
        }
        int count = 0;
        for (float v : m) {
            if (v != 0) {
                count++;
            }
        }
        if (count == plane || count == 0) {
            return new LooseSupport(null);
        }
        float[] p = new float[3 * count];
        int k = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                if (m[i] != 0) {
                    p[k++] = c * plane + i;
                }
            }
        }
        return new LooseSupport(device.upload(Shape.vector(p.length), p));
    }

    /**
     * Minimises the objective over the support, x (the window) updated in place: after each
     * evaluation x holds the iterate just evaluated, so a listener that reads x at an evaluated
     * iteration reads that iterate (the passes allow restarts, so every iteration is evaluated);
     * when the run returns, x holds its last iterate. If it throws, x holds the last evaluated one.
     */
    LbfgsResult minimize(Lbfgs lbfgs, Tensor x, Objective objective, IterationListener listener) {
        if (positions == null) {
            return lbfgs.minimize(x, objective, listener);
        }
        Device d = x.device();
        Gather g = d.gather();
        Shape compact = positions.shape();
        try (Tensor v = d.allocate(compact); Tensor gradient = d.allocate(x.shape())) {
            g.gather(x, positions, v);
            Objective onSupport = (iterate, grad) -> {
                g.scatter(iterate, positions, x);
                double loss = objective.evaluate(x, gradient);
                g.gather(gradient, positions, grad);
                return loss;
            };
            LbfgsResult result = lbfgs.minimize(v, onSupport, listener);
            g.scatter(v, positions, x);
            return result;
        }
    }

    @Override
    public void close() {
        if (positions != null) {
            positions.close();
        }
    }
}
