package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

/** Gather and scatter on an OpenCL device: the kernels of {@code gather.cl}, one work-item per position or entry. */
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
    public void gatherColumns(Tensor source, Tensor positions, Tensor weights, Tensor out) {
        Check.columns(source, positions, weights, out);
        int m = positions.size();
        device.launch(device.kernel(FILE, "", "gather_columns"),
                new long[] {OpenClDevice.roundUp(m, groupSize), source.shape().channels()}, new long[] {groupSize, 1},
                source, positions, weights, m, source.shape().plane(), out);
    }

    @Override
    public void scatterColumns(Tensor values, Tensor slots, Tensor weights, Tensor out) {
        Check.columns(out, weights, weights, values);
        Check.maskFor(out, slots);
        int plane = out.shape().plane();
        device.launch(device.kernel(FILE, "", "scatter_columns"),
                new long[] {OpenClDevice.roundUp(plane, groupSize), out.shape().channels()}, new long[] {groupSize, 1},
                values, slots, weights, weights.size(), plane, out);
    }

    private void launch(String name, Tensor in, Tensor positions, Tensor out) {
        int m = positions.size();
        device.launch(device.kernel(FILE, "", name), new long[] {OpenClDevice.roundUp(m, groupSize)},
                new long[] {groupSize}, in, positions, m, out);
    }
}
