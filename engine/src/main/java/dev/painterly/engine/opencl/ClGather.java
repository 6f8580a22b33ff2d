package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

/** Gather and scatter on an OpenCL device: the kernels of {@code gather.cl}, one work-item per position, or per segment and channel. */
final class ClGather implements Gather {

    static final String FILE = "gather.cl";

    private final OpenClDevice device;
    private final long groupSize;

    ClGather(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClGather(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.groupSize = device.groupSize(tuning == Tuning.CPU ? 64 : 256);
    }

    @Override
    public void gather(Tensor source, Tensor positions, Tensor out) {
        Check.positions(positions, source, out.size());
        launch("gather", source, positions, out);
    }

    @Override
    public void scatter(Tensor values, Tensor positions, Tensor out) {
        Check.positions(positions, out, values.size());
        launch("scatter", values, positions, out);
    }

    @Override
    public void gatherColumns(Tensor source, Tensor segments, Tensor out) {
        Check.columns(source, segments, out);
        launchColumns("gather_columns", count(segments), source.shape(), source, segments, count(segments), out.shape().width(),
                source.shape().plane(), out);
    }

    @Override
    public void scatterColumns(Tensor values, Tensor segments, Tensor out) {
        Check.columns(out, segments, values);
        launchColumns("scatter_columns", count(segments), out.shape(), values, segments, count(segments), values.shape().width(),
                out.shape().plane(), out);
    }

    @Override
    public void addColumnsMasked(Tensor g, Tensor values, Tensor segments, double weight, Tensor mask, Tensor out) {
        // The squared norm is not read when not normalising: any buffer stands in for it.
        addColumns(g, values, segments, values, 0, weight, mask, out);
    }

    @Override
    public void addNormalizedColumnsMasked(Tensor g, Tensor values, Tensor segments, Tensor squaredNorm, double weight,
                                           Tensor mask, Tensor out) {
        Check.size(squaredNorm, 1, "squared norm");
        addColumns(g, values, segments, squaredNorm, 1, weight, mask, out);
    }

    private void addColumns(Tensor g, Tensor values, Tensor segments, Tensor squaredNorm, int normalize, double weight,
                            Tensor mask, Tensor out) {
        Check.columns(g, segments, values);
        Check.maskFor(g, mask);
        Check.sameShape(g, out);
        launchColumns("add_columns_masked", count(segments), g.shape(), g, values, segments, count(segments), values.shape().width(),
                g.shape().plane(), squaredNorm, normalize, (float) weight, mask, out);
    }

    private static int count(Tensor segments) {
        return segments.size() / 3;
    }

    /** One work-item per (segment, channel) of the map: the segments' count is among the kernel's {@code args}. */
    private void launchColumns(String name, int count, Shape map, Object... args) {
        device.launch(device.kernel(FILE, "", name),
                new long[] {OpenClDevice.roundUp(count, groupSize), map.channels()}, new long[] {groupSize, 1}, args);
    }

    private void launch(String name, Tensor in, Tensor positions, Tensor out) {
        int m = positions.size();
        device.launch(device.kernel(FILE, "", name), new long[] {OpenClDevice.roundUp(m, groupSize)},
                new long[] {groupSize}, in, positions, m, out);
    }
}
