package dev.painterly.engine.optim;

import dev.painterly.engine.Tensor;

/** The function that {@link Lbfgs} minimises. */
@FunctionalInterface
public interface Objective {

    /**
     * Evaluates f at x and writes df/dx into {@code gradient}, a tensor of x's device and shape
     * whose whole contents must be overwritten. x must not be changed.
     *
     * @return f(x)
     */
    double evaluate(Tensor x, Tensor gradient);
}
