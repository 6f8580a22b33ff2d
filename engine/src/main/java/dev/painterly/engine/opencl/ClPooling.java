package dev.painterly.engine.opencl;

import dev.painterly.engine.Tensor;

/** Pooling on an OpenCL device. */
final class ClPooling {

    private final OpenClDevice device;

    ClPooling(OpenClDevice device) {
        this.device = device;
    }

    void maxPool(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("TODO");
    }

    void maxPoolBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        throw new UnsupportedOperationException("TODO");
    }

    void avgPool3x3(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("TODO");
    }
}
