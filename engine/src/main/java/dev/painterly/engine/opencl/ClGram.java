package dev.painterly.engine.opencl;

import dev.painterly.engine.Tensor;

/** Gram matrices on an OpenCL device. */
final class ClGram {

    private final OpenClDevice device;

    ClGram(OpenClDevice device) {
        this.device = device;
    }

    void forward(Tensor f, float scale, Tensor out) {
        throw new UnsupportedOperationException("TODO");
    }

    void backward(Tensor f, Tensor gradGram, float scale, Tensor gradF) {
        throw new UnsupportedOperationException("TODO");
    }
}
