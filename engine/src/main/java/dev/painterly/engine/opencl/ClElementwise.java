package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Elementwise;
import org.jocl.cl_kernel;

/** Elementwise ops on an OpenCL device: kernels of {@code elementwise.cl}. */
final class ClElementwise implements Elementwise {

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

    @Override
    public void relu(Tensor x, Tensor out) {
        Check.sameShape(x, out);
        run("relu", x.size(), x, out, x.size());
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        Check.sameShape(x, gradOut);
        Check.sameShape(x, gradIn);
        run("relu_backward", x.size(), x, gradOut, gradIn, x.size());
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        Check.sameSize(a, b);
        Check.sameSize(a, out);
        run("add", a.size(), a, b, out, a.size());
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        Check.sameSize(a, b);
        Check.sameSize(a, out);
        run("multiply", a.size(), a, b, out, a.size());
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        Check.sameSize(a, out);
        run("scale", a.size(), a, (float) s, out, a.size());
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        Check.sameSize(x, y);
        run("axpy", x.size(), (float) alpha, x, y, x.size());
    }

    @Override
    public void scaledDifference(Tensor a, Tensor b, double s, Tensor out) {
        Check.sameSize(a, b);
        Check.sameSize(a, out);
        run("scaled_difference", a.size(), a, b, (float) s, out, a.size());
    }

    @Override
    public void scaleByNorm(Tensor a, Tensor squaredNorm, double weight, Tensor out) {
        Check.size(squaredNorm, 1, "squared norm");
        Check.sameSize(a, out);
        run("scale_by_norm", a.size(), a, squaredNorm, (float) weight, out, a.size());
    }

    @Override
    public void maskMultiply(Tensor x, Tensor mask, Tensor out) {
        Check.maskFor(x, mask);
        Check.sameShape(x, out);
        runOverPlanes("mask_multiply", x.shape(), x, mask, out, x.shape().plane());
    }

    @Override
    public void addMasked(Tensor a, Tensor b, double weight, Tensor mask, Tensor out) {
        Check.sameShape(a, b);
        Check.maskFor(a, mask);
        Check.sameShape(a, out);
        runOverPlanes("add_masked", a.shape(), a, b, (float) weight, mask, out, a.shape().plane());
    }

    @Override
    public void addNormalizedMasked(Tensor a, Tensor b, Tensor squaredNorm, double weight, Tensor mask, Tensor out) {
        Check.sameShape(a, b);
        Check.size(squaredNorm, 1, "squared norm");
        Check.maskFor(a, mask);
        Check.sameShape(a, out);
        runOverPlanes("add_normalized_masked", a.shape(), a, b, squaredNorm, (float) weight, mask, out,
                a.shape().plane());
    }

    /** A kernel over (position, channel) work-items: dimension 0 the plane, rounded up to the group size. */
    private void runOverPlanes(String name, Shape shape, Object... args) {
        cl_kernel k = device.kernel(FILE, "", name);
        device.launch(k, new long[] {OpenClDevice.roundUp(shape.plane(), groupSize), shape.channels()},
                new long[] {groupSize, 1}, args);
    }

    @Override
    public void maskMultiplyBackward(Tensor x, Tensor gradOut, Tensor gradMask) {
        Check.sameShape(x, gradOut);
        Check.maskFor(x, gradMask);
        int plane = x.shape().plane();
        run("mask_multiply_backward", plane, x, gradOut, gradMask, x.shape().channels(), plane);
    }

    @Override
    public void totalVariationGradient(Tensor x, double weight, Tensor grad) {
        Check.sameShape(x, grad);
        run("total_variation_gradient", x.size(), x, (float) weight, grad, x.shape().height(), x.shape().width(), x.size());
    }
}
