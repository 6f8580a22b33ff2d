package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import org.jocl.cl_kernel;

/** Elementwise ops on an OpenCL device: kernels of {@code elementwise.cl}. */
final class ClElementwise {

    static final String FILE = "elementwise.cl";

    private final OpenClDevice device;
    private final long groupSize;

    ClElementwise(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClElementwise(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.groupSize = device.groupSize(tuning == Tuning.CPU ? 64 : 256);
    }

    private void run(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, "", name);
        device.launch(k, new long[] {OpenClDevice.roundUp(n, groupSize)}, new long[] {groupSize}, args);
    }

    void fill(Tensor t, float value) {
        run("fill", t.size(), t, t.size(), value);
    }

    void copy(Tensor src, Tensor dst) {
        Check.sameSize(src, dst);
        run("copy", src.size(), src, dst, src.size());
    }

    void relu(Tensor x, Tensor out) {
        Check.sameShape(x, out);
        run("relu", x.size(), x, out, x.size());
    }

    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        Check.sameShape(x, gradOut);
        Check.sameShape(x, gradIn);
        run("relu_backward", x.size(), x, gradOut, gradIn, x.size());
    }

    void add(Tensor a, Tensor b, Tensor out) {
        Check.sameSize(a, b);
        Check.sameSize(a, out);
        run("add", a.size(), a, b, out, a.size());
    }

    void multiply(Tensor a, Tensor b, Tensor out) {
        Check.sameSize(a, b);
        Check.sameSize(a, out);
        run("multiply", a.size(), a, b, out, a.size());
    }

    void scale(Tensor a, float s, Tensor out) {
        Check.sameSize(a, out);
        run("scale", a.size(), a, s, out, a.size());
    }

    void axpy(float alpha, Tensor x, Tensor y) {
        Check.sameSize(x, y);
        run("axpy", x.size(), alpha, x, y, x.size());
    }

    void multiplyMask(Tensor x, Tensor mask, Tensor out) {
        Check.maskFor(x, mask);
        Check.sameShape(x, out);
        run("multiply_mask", x.size(), x, mask, out, x.shape().plane(), x.size());
    }

    void maskGradient(Tensor x, Tensor gradOut, Tensor gradMask) {
        Check.sameShape(x, gradOut);
        Check.maskFor(x, gradMask);
        int plane = x.shape().plane();
        run("mask_gradient", plane, x, gradOut, gradMask, x.shape().channels(), plane);
    }

    void totalVariationGradient(Tensor x, float weight, Tensor grad) {
        Check.sameShape(x, grad);
        run("total_variation_gradient", x.size(), x, weight, grad, x.shape().height(), x.shape().width(), x.size());
    }
}
