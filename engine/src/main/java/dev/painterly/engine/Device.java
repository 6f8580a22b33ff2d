package dev.painterly.engine;

/**
 * Where tensors live and ops run: an OpenCL device, or the plain-Java reference. Every op writes
 * its whole output (no op reads what its output held before, except {@link #axpy}); outputs are
 * allocated by the caller. Shapes are checked by the caller ({@link Check}) before an op is
 * called. Scalar reductions return a double to the host.
 *
 * <p>Conventions: feature maps are C x H x W. Convolution weights are a vector laid out
 * [out][in][3][3] (PyTorch's order), biases a vector [out]. Masks are 1 x H x W and are broadcast
 * over channels. Host scalars (fill values, scale factors) are doubles: float32 devices round
 * them, the exact reference keeps them.
 */
public interface Device extends AutoCloseable {

    /** A short human-readable name, e.g. "pthread-skylake-avx512 (Portable Computing Language)". */
    String name();

    /** Allocates an uninitialised tensor. */
    Tensor allocate(Shape shape);

    /** Allocates a tensor and copies {@code data} (length = shape size) into it: one upload. */
    Tensor upload(Shape shape, float[] data);

    /** Overwrites an existing tensor with host data (length = tensor size): one upload. */
    void write(Tensor t, float[] data);

    /** Copies a tensor to the host: one download. */
    float[] download(Tensor t);

    /** Called by {@link Tensor#close()}; releases the device memory at once. */
    void release(Object memory, int floats);

    DeviceStats stats();

    /** Waits until every queued operation has finished (a no-op on synchronous devices). */
    void finish();

    @Override
    void close();

    // ---- memory -----------------------------------------------------------------------------

    void fill(Tensor t, double value);

    void copy(Tensor src, Tensor dst);

    // ---- convolution 3x3, stride 1, zero padding 1 -------------------------------------------

    /** out[o,y,x] = bias[o] + sum_{i,dy,dx} w[o,i,dy,dx] * in[i, y+dy-1, x+dx-1]; bias may be null. */
    void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** gradIn[i,y,x] = sum_{o,dy,dx} w[o,i,dy,dx] * gradOut[o, y-dy+1, x-dx+1]. */
    void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput);

    /**
     * gradW[o,i,dy,dx] = sum_{y,x} gradOut[o,y,x] * in[i, y+dy-1, x+dx-1];
     * gradBias[o] = sum_{y,x} gradOut[o,y,x] (skipped when gradBias is null).
     */
    void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias);

    // ---- activations and pooling ------------------------------------------------------------

    /** out = max(x, 0). */
    void relu(Tensor x, Tensor out);

    /** gradIn = x > 0 ? gradOut : 0 (x is the ReLU's input). */
    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn);

    /**
     * 2x2 max pooling, stride 2, ceil mode: out is C x ceil(H/2) x ceil(W/2); a window that
     * overhangs the edge takes the max over its in-bounds elements.
     */
    void maxPool2x2(Tensor x, Tensor out);

    /**
     * Routes each gradOut element to the position of its window's maximum; on ties, the first in
     * row-major order within the window. Every other element of gradIn is 0.
     */
    void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn);

    /**
     * 3x3 average, stride 1, zero padding 1, always divided by 9. The operator is self-adjoint,
     * so it is also its own backward.
     */
    void avgPool3x3(Tensor x, Tensor out);

    // ---- elementwise --------------------------------------------------------------------------

    /** out = a + b. */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a * b. */
    void multiply(Tensor a, Tensor b, Tensor out);

    /** out = s * a. */
    void scale(Tensor a, double s, Tensor out);

    /** y += alpha * x (in place: the one op that reads its output). */
    void axpy(double alpha, Tensor x, Tensor y);

    /** out[c,y,x] = x[c,y,x] * mask[0,y,x]. */
    void multiplyMask(Tensor x, Tensor mask, Tensor out);

    /** gradMask[0,y,x] = sum_c gradOut[c,y,x] * x[c,y,x]: the mask's gradient in multiplyMask. */
    void maskGradient(Tensor x, Tensor gradOut, Tensor gradMask);

    // ---- Gram matrix and total variation ----------------------------------------------------

    /** out[i,j] = scale * sum_p f[i,p] f[j,p] for f of shape C x H x W; out has shape 1 x C x C. */
    void gram(Tensor f, double scale, Tensor out);

    /** gradF[i,p] = scale * sum_j (gradGram[i,j] + gradGram[j,i]) f[j,p]. */
    void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF);

    /**
     * The gradient of weight * 0.5 * sum over c, y &lt; H-1, x &lt; W-1 of (dx^2 + dy^2) with
     * dx = x[c,y,x] - x[c,y,x+1] and dy = x[c,y,x] - x[c,y+1,x] (ALGORITHM.md, the TV term).
     */
    void totalVariationGradient(Tensor x, double weight, Tensor grad);

    // ---- reductions (to the host) --------------------------------------------------------------

    /** sum of all elements. */
    double sum(Tensor x);

    /** sum of a * b. */
    double dot(Tensor a, Tensor b);

    /** sum of |x|: the L1 norm. */
    double sumAbs(Tensor x);

    /** sum of (a - b)^2. */
    double sumSquaredDifference(Tensor a, Tensor b);

    /** 0.5 * sum of (dx^2 + dy^2) as in {@link #totalVariationGradient}, unweighted. */
    double totalVariation(Tensor x);
}
