package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * Linear combinations of the rows of a matrix (see {@link dev.painterly.engine.Device#copyToRow}):
 * how L-BFGS forms its direction from its history in one pass. Kernels: {@code combination.cl}.
 */
public interface Combination {

    /**
     * out = alpha x + sum over r &lt; coefficients.length of coefficients[r] rows[r], rows of x's
     * size, in one pass over the rows.
     */
    void combineRows(Tensor rows, double[] coefficients, double alpha, Tensor x, Tensor out);
}
