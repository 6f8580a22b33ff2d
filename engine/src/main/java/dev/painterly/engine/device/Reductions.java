package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/** Reductions of whole tensors to one number on the host, in double. Kernels: {@code reductions.cl}. */
public interface Reductions {

    /** sum of all elements. */
    double sum(Tensor x);

    /** sum of a * b. */
    double dot(Tensor a, Tensor b);

    /** sum of |x|: the L1 norm. */
    double sumAbs(Tensor x);

    /** sum of (a - b)^2. */
    double sumSquaredDifference(Tensor a, Tensor b);

    /** 0.5 * sum of (dx^2 + dy^2) as in {@link Elementwise#totalVariationGradient}, unweighted. */
    double totalVariation(Tensor x);
}
