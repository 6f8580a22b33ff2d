package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

/** Gather and scatter on an OpenCL device: the kernels of {@code gather.cl}, one work-item per position. */
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

    private void launch(String name, Tensor in, Tensor positions, Tensor out) {
        int m = positions.size();
        device.launch(device.kernel(FILE, "", name), new long[] {OpenClDevice.roundUp(m, groupSize)},
                new long[] {groupSize}, in, positions, m, out);
    }
}
