package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/** Max and average pooling of feature maps. Kernels: {@code pooling.cl}. */
public interface Pooling {

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
}
