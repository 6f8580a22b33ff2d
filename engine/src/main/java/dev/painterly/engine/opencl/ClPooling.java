package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Pooling;
import org.jocl.cl_kernel;

/**
 * Pooling on an OpenCL device: kernels of {@code pooling.cl}, one work-item per element, or for
 * max pooling on CPUs one per output row ({@link Variant#ROWS}). Public for the benchmarks, which
 * check and then time each variant.
 */
public final class ClPooling implements Pooling {

    static final String FILE = "pooling.cl";

    /** Work-items of the max-pooling kernels: one per element (PLAIN), or one per output row (CPUs). */
    public enum Variant { PLAIN, ROWS }

    private final OpenClDevice device;
    private final long groupSize;
    private final Variant variant;

    ClPooling(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClPooling(OpenClDevice device, Tuning tuning) {
        this(device, tuning, tuning == Tuning.CPU ? Variant.ROWS : Variant.PLAIN);
    }

    public ClPooling(OpenClDevice device, Variant variant) {
        this(device, device.tuning(), variant);
    }

    private ClPooling(OpenClDevice device, Tuning tuning, Variant variant) {
        this.device = device;
        this.groupSize = device.groupSize(tuning == Tuning.CPU ? 64 : 256);
        this.variant = variant;
    }

    private void run(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, "", name);
        device.launch(k, new long[] {OpenClDevice.roundUp(n, groupSize)}, new long[] {groupSize}, args);
    }

    /** A row kernel: its work-items already hold vectors, so each is a work-group of its own. */
    private void runRows(String name, int rows, Object... args) {
        device.launch(device.kernel(FILE, "", name), new long[] {rows}, new long[] {1}, args);
    }

    @Override
    public void maxPool2x2(Tensor x, Tensor out) {
        Shape s = x.shape();
        Check.shape(out, Check.pooled(s), "max-pool output");
        Shape o = out.shape();
        if (variant == Variant.ROWS) {
            int rows = o.channels() * o.height();
            runRows("max_pool_2x2_rows", rows, x, out, s.height(), s.width(), o.height(), o.width(), rows);
            return;
        }
        run("max_pool_2x2", out.size(), x, out, s.height(), s.width(), o.height(), o.width(), out.size());
    }

    @Override
    public void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn) {
        Shape s = x.shape();
        Check.shape(gradOut, Check.pooled(s), "max-pool output gradient");
        Check.sameShape(x, gradIn);
        Shape o = gradOut.shape();
        if (variant == Variant.ROWS) {
            int rows = o.channels() * o.height();
            runRows("max_pool_2x2_backward_rows", rows, x, gradOut, gradIn, s.height(), s.width(), o.height(), o.width(),
                    rows);
            return;
        }
        run("max_pool_2x2_backward", x.size(), x, gradOut, gradIn, s.height(), s.width(), o.height(), o.width(),
                x.size());
    }

    @Override
    public void avgPool3x3(Tensor x, Tensor out) {
        Check.sameShape(x, out);
        run("avg_pool_3x3", x.size(), x, out, x.shape().height(), x.shape().width(), x.size());
    }
}
