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
    public void gatherColumns(Tensor source, Tensor segments, Tensor weights, Tensor out) {
        Check.columns(source, segments, weights, out);
        launchColumns("gather_columns", source, segments, weights, out, source.shape());
    }

    @Override
    public void scatterColumns(Tensor values, Tensor segments, Tensor weights, Tensor out) {
        Check.columns(out, segments, weights, values);
        launchColumns("scatter_columns", values, segments, weights, out, out.shape());
    }

    /** One work-item per (segment, channel) of the map. */
    private void launchColumns(String name, Tensor in, Tensor segments, Tensor weights, Tensor out, Shape map) {
        int count = segments.size() / 3;
        device.launch(device.kernel(FILE, "", name),
                new long[] {OpenClDevice.roundUp(count, groupSize), map.channels()}, new long[] {groupSize, 1},
                in, segments, weights, count, weights.size(), map.plane(), out);
    }

    private void launch(String name, Tensor in, Tensor positions, Tensor out) {
        int m = positions.size();
        device.launch(device.kernel(FILE, "", name), new long[] {OpenClDevice.roundUp(m, groupSize)},
                new long[] {groupSize}, in, positions, m, out);
    }
}
