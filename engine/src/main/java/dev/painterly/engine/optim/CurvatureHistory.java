package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * The (s, y) pairs an {@link Lbfgs} run keeps, at most a given number, oldest dropped first, and
 * the direction they give: d = -H g, H the L-BFGS inverse Hessian of the stored pairs (Nocedal
 * and Wright, algorithm 7.4) with initial scale y.s / y.y of the newest stored pair, 1 while none
 * is. Each candidate pair is written into {@link #candidateS()} and {@link #candidateY()}, and
 * {@link #direction} stores it only if y . s &gt; {@link #MIN_CURVATURE}.
 */
interface CurvatureHistory extends AutoCloseable {

    /** Pairs with y . s at or below this are not stored: they carry no usable curvature. */
    double MIN_CURVATURE = 1e-10;

    /** Makes the history of a run on vectors of one shape. */
    @FunctionalInterface
    interface Factory {
        CurvatureHistory create(Device device, Shape shape, int capacity);
    }

    /** Where the next candidate s is written; the caller may overwrite it once {@link #direction} returned. */
    Tensor candidateS();

    /** Where the next candidate y is written, likewise. */
    Tensor candidateY();

    /** Offers the candidate pair, then writes d = -H g. */
    void direction(Tensor g, Tensor d);

    /** Forgets every pair and the scale. */
    void clear();

    @Override
    void close();
}
