package dev.painterly.engine.opencl;

import dev.painterly.engine.Tensor;

/** 3x3 convolution on an OpenCL device. */
final class ClConvolution {

    private final OpenClDevice device;

    ClConvolution(OpenClDevice device) {
        this.device = device;
    }

    void forward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        throw new UnsupportedOperationException("TODO conv3x3 kernel");
    }

    void backwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput) {
        throw new UnsupportedOperationException("TODO conv3x3 backward input");
    }

    void backwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        throw new UnsupportedOperationException("TODO conv3x3 backward weight");
    }
}
