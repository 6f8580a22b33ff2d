package dev.painterly.engine.opencl;

import dev.painterly.engine.Tensor;

/** Reductions to the host on an OpenCL device. */
final class ClReductions {

    private final OpenClDevice device;

    ClReductions(OpenClDevice device) {
        this.device = device;
    }

    double sum(Tensor x) {
        throw new UnsupportedOperationException("TODO");
    }

    double dot(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("TODO");
    }

    double sumAbs(Tensor x) {
        throw new UnsupportedOperationException("TODO");
    }

    double sumSquaredDifference(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("TODO");
    }

    double totalVariation(Tensor x) {
        throw new UnsupportedOperationException("TODO");
    }
}
