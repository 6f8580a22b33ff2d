package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * Reductions of whole tensors to one number, on the host in double, or (the overloads with a
 * result tensor) left on the device for the next kernel, with no wait.
 * Kernels: {@code reductions.cl}.
 */
public interface Reductions {

    /** sum of all elements. */
    double sum(Tensor x);

    /** sum of a * b. */
    double dot(Tensor a, Tensor b);

    /** result[0] = sum of a * b, on the device: nothing is read back, so the queue keeps running. */
    void dot(Tensor a, Tensor b, Tensor result);

    /** sum of |x|: the L1 norm. */
    double sumAbs(Tensor x);

    /** sum of (a - b)^2. */
    double sumSquaredDifference(Tensor a, Tensor b);

    /**
     * result[0] = scale * sum of (a - b)^2, on the device: a loss's value (scale 1/n for a mean),
     * read once the evaluation is queued.
     */
    void sumSquaredDifference(Tensor a, Tensor b, double scale, Tensor result);

    /** 0.5 * sum of (dx^2 + dy^2) as in {@link Elementwise#totalVariationGradient}, unweighted. */
    double totalVariation(Tensor x);

    /**
     * The dot products of 1 to 3 vectors of n floats with rows 0 .. count-1 of {@code rows} (a
     * matrix of rows, see {@link dev.painterly.engine.Device#copyToRow}) and with one another, in
     * one pass over the rows: out[k][r] = v_k . rows[r] for r &lt; count and out[k][count + j] =
     * v_k . v_j.
     */
    double[][] dots(Tensor rows, int count, Tensor... vectors);
}
