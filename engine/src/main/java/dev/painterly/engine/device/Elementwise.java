package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * Ops that compute each output element from the input elements at the same position (the mask
 * broadcast over channels; the total-variation gradient also reads the right and lower
 * neighbours). Kernels: {@code elementwise.cl}.
 */
public interface Elementwise {

    /** out = a + b. */
    @InPlace({"a", "b"})
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a * b. */
    @InPlace({"a", "b"})
    void multiply(Tensor a, Tensor b, Tensor out);

    /** out = s * a. */
    @InPlace("a")
    void scale(Tensor a, double s, Tensor out);

    /** y += alpha * x: in place by definition, the one op that reads its output. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** out = s * (a - b): the gradient of a squared error, in one pass. */
    void scaledDifference(Tensor a, Tensor b, double s, Tensor out);

    /**
     * out = weight * a / (sqrt(squaredNorm[0]) + 1e-8), with squaredNorm a one-element tensor a
     * reduction left on the device ({@link Reductions#dot(Tensor, Tensor, Tensor)}): normalising
     * without a host round trip.
     */
    @InPlace("a")
    void scaleByNorm(Tensor a, Tensor squaredNorm, double weight, Tensor out);

    /** out[c,y,x] = x[c,y,x] * mask[0,y,x]. */
    @InPlace("x")
    void maskMultiply(Tensor x, Tensor mask, Tensor out);

    /**
     * out[c,y,x] = (a[c,y,x] + weight * b[c,y,x]) * mask[0,y,x]: a loss module's gradient b, weighted,
     * joining the network's a at its layer.
     */
    @InPlace({"a", "b"})
    void addMasked(Tensor a, Tensor b, double weight, Tensor mask, Tensor out);

    /**
     * out[c,y,x] = (a[c,y,x] + b[c,y,x] * weight / (sqrt(squaredNorm[0]) + 1e-8)) * mask[0,y,x]:
     * {@link #addMasked} with b normalised as {@link #scaleByNorm} does it (pass 2's weighting, in
     * the same pass as the join).
     */
    @InPlace({"a", "b"})
    void addNormalizedMasked(Tensor a, Tensor b, Tensor squaredNorm, double weight, Tensor mask, Tensor out);

    /** gradMask[0,y,x] = sum_c gradOut[c,y,x] * x[c,y,x]: the mask's gradient in {@link #maskMultiply}. */
    void maskMultiplyBackward(Tensor x, Tensor gradOut, Tensor gradMask);

    /** out = max(x, 0). */
    @InPlace("x")
    void relu(Tensor x, Tensor out);

    /** gradIn = x &gt; 0 ? gradOut : 0 (x is the ReLU's input). */
    @InPlace("gradOut")
    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn);

    /**
     * The gradient of weight * 0.5 * sum over c, y &lt; H-1, x &lt; W-1 of (dx^2 + dy^2) with
     * dx = x[c,y,x] - x[c,y,x+1] and dy = x[c,y,x] - x[c,y+1,x] (docs/algorithm.md, the TV term; the
     * value itself is {@link Reductions#totalVariation}).
     */
    void totalVariationGradient(Tensor x, double weight, Tensor grad);
}
