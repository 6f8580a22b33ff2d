package dev.painterly.engine.opencl;

import dev.painterly.engine.HistogramChecks;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Histogram;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * The histogram remapping on an OpenCL device: a sort of {@code histogram.cl} of every channel at
 * once, on 64-bit keys in two scratch buffers it sorts back and forth. A merge sort
 * rather than counting ranks (m^2 comparisons per channel: 3.6 s per call at 20,000 positions of
 * 64 channels on a 2-core PoCL) or a bitonic sort in local memory (30,000 keys do not fit a GPU's
 * 48 KiB). Exact with ties because no two keys are equal. Two variants: along the merge path, RUN
 * outputs per work-item, each key read about once per pass (placing every key by its own binary
 * search read log2(width) per key and pass, 0.31 s at that size), for GPUs; one work-item per
 * channel sorting it by a stable radix sort and writing its ranks' entries, for CPUs, which have
 * few cores to fill and mispredict a merge's comparisons.
 */
public final class ClHistogram implements Histogram {

    static final String FILE = "histogram.cl";

    /** How the keys are sorted: by many work-items per channel along the merge path, or one per channel by a radix sort. */
    public enum Variant { MERGE_PATH, RADIX }

    private final OpenClDevice device;
    private final int groupSize;
    private final int run;
    private final String options;
    private final Variant variant;

    public ClHistogram(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClHistogram(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.groupSize = (int) device.groupSize(64);
        Map<String, Integer> defines = defines(tuning);
        this.run = defines.get("RUN");
        this.options = KernelLibrary.options(defines);
        this.variant = tuning == Tuning.CPU ? Variant.RADIX : Variant.MERGE_PATH;
    }

    /** The build options of histogram.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return Map.of("RUN", 32, "RADIX_BITS", 11);
    }

    @Override
    public void remap(Tensor features, Tensor positions, Tensor table, Tensor out) {
        remap(features, positions, table, out, variant);
    }

    /** {@link #remap(Tensor, Tensor, Tensor, Tensor)} by the given variant. */
    public void remap(Tensor features, Tensor positions, Tensor table, Tensor out, Variant how) {
        HistogramChecks.remap(features, positions, table, out);
        int m = positions.size();
        int channels = features.shape().channels();
        int n = features.shape().height() * features.shape().width();
        if (m < n) {
            // Positions are distinct: when there are n of them, the remap writes every entry.
            device.fill(out, 0);
        }
        // A key is a ulong: two floats of scratch.
        int floats = Math.multiplyExact(2, table.size());
        cl_mem a = device.scratch(floats);
        cl_mem b = null;
        try {
            b = device.scratch(floats);
            if (how == Variant.RADIX) {
                device.launch(device.kernel(FILE, options, "radix_remap_channel"), new long[] {channels}, new long[] {1},
                        features, positions, m, n, a, b, table, out);
            } else {
                long[] local = {groupSize, 1};
                long[] chunks = {OpenClDevice.roundUp((m + run - 1) / run, groupSize), channels};
                device.launch(device.kernel(FILE, options, "sort_runs"), chunks, local, features, positions, m, n, a);
                for (int width = run; width < m; width *= 2) {
                    device.launch(device.kernel(FILE, options, "merge_runs"), chunks, local, a, b, m, width);
                    cl_mem sorted = b;
                    b = a;
                    a = sorted;
                }
                device.launch(device.kernel(FILE, options, "remap_sorted"), new long[] {OpenClDevice.roundUp(m, groupSize), channels}, local, a, positions, m, n, table, out);
            }
        } finally {
            device.releaseScratch(a);
            if (b != null) {
                device.releaseScratch(b);
            }
        }
    }
}
