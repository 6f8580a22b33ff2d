package dev.painterly.engine.opencl;

import dev.painterly.engine.HistogramChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Histogram;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * The histogram remapping on an OpenCL device: the merge sort of {@code histogram.cl}, every
 * channel at once, on 64-bit keys in two scratch buffers it sorts back and forth. A merge sort
 * rather than counting ranks (m^2 comparisons per channel: 3.6 s per call at 20,000 positions of
 * 64 channels on a 2-core PoCL) or a bitonic sort in local memory (30,000 keys do not fit a GPU's
 * 48 KiB); merging along the merge path, RUN outputs per work-item, reads each key about once per
 * pass (placing every key by its own binary search read log2(width) per key and pass, 0.31 s at
 * that size). Exact with ties because no two keys are equal.
 */
final class ClHistogram implements Histogram {

    static final String FILE = "histogram.cl";

    private final OpenClDevice device;
    private final int groupSize;
    private final int run;
    private final String options;

    ClHistogram(OpenClDevice device) {
        this.device = device;
        this.groupSize = (int) device.groupSize(64);
        Map<String, Integer> defines = defines(device.tuning());
        this.run = defines.get("RUN");
        this.options = KernelLibrary.options(defines);
    }

    /** The build options of histogram.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return Map.of("RUN", 32);
    }

    @Override
    public void remap(Tensor features, Tensor positions, Tensor table, Tensor out) {
        HistogramChecks.remap(features, positions, table, out);
        int m = positions.size();
        int channels = features.shape().channels();
        int n = features.shape().height() * features.shape().width();
        device.fill(out, 0);
        long[] chunks = {OpenClDevice.roundUp((m + run - 1) / run, groupSize), channels};
        long[] keys = {OpenClDevice.roundUp(m, groupSize), channels};
        long[] local = {groupSize, 1};
        // A key is a ulong: two floats of scratch.
        int floats = Math.multiplyExact(2, table.size());
        cl_mem a = device.scratch(floats);
        cl_mem b = null;
        try {
            b = device.scratch(floats);
            device.launch(device.kernel(FILE, options, "sort_runs"), chunks, local, features, positions, m, n, a);
            for (int width = run; width < m; width *= 2) {
                device.launch(device.kernel(FILE, options, "merge_runs"), chunks, local, a, b, m, width);
                cl_mem sorted = b;
                b = a;
                a = sorted;
            }
            device.launch(device.kernel(FILE, options, "remap_sorted"), keys, local, a, positions, m, n, table, out);
        } finally {
            device.releaseScratch(a);
            if (b != null) {
                device.releaseScratch(b);
            }
        }
    }
}
