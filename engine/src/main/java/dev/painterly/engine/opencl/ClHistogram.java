package dev.painterly.engine.opencl;

import dev.painterly.engine.HistogramChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Histogram;
import org.jocl.cl_kernel;

/**
 * The histogram remapping on an OpenCL device: the counting-rank kernel of {@code histogram.cl}.
 * Counting (m^2 comparisons per channel, every one independent) rather than sorting: it is exact
 * with ties by construction, needs no local memory beyond one tile of keys (a sort of 30,000 keys
 * does not fit a GPU's 48 KiB), and runs in one launch where a bitonic sort in global memory takes
 * about log2(m)^2 / 2 of them.
 */
final class ClHistogram implements Histogram {

    static final String FILE = "histogram.cl";
    /** Keys per tile: one work-group's worth; wide groups let PoCL vectorise across work-items. */
    private static final int GROUP = 256;

    private final OpenClDevice device;
    private final int groupSize;

    ClHistogram(OpenClDevice device) {
        this.device = device;
        this.groupSize = (int) device.groupSize(GROUP);
    }

    @Override
    public void remap(Tensor features, Tensor positions, Tensor table, Tensor out) {
        HistogramChecks.remap(features, positions, table, out);
        int m = positions.size();
        int n = features.shape().height() * features.shape().width();
        device.fill(out, 0);
        if (m == 0) {
            return;
        }
        cl_kernel k = device.kernel(FILE, "", "remap_ranks");
        device.launch(k, new long[] {OpenClDevice.roundUp(m, groupSize), features.shape().channels()},
                new long[] {groupSize, 1}, features, positions, m, n, table, out,
                new OpenClDevice.Local((long) groupSize * Integer.BYTES));
    }
}
