package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Reductions;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.Map;

/**
 * Reductions to the host on an OpenCL device: kernels of {@code reductions.cl}. A kernel leaves
 * one float partial per work-group in a scratch buffer; the host downloads the partials and adds
 * them in double. The group count is capped so that download stays a few hundred floats.
 */
final class ClReductions implements Reductions {

    static final String FILE = "reductions.cl";

    private final OpenClDevice device;
    private final int groupSize;
    private final int maxGroups;
    private final String options;

    ClReductions(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClReductions(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.groupSize = (int) device.groupSize(groupSize(tuning));
        this.maxGroups = groupSize(tuning);
        this.options = KernelLibrary.options(Map.of("GROUP_SIZE", groupSize));
    }

    /**
     * Work-items per group, and the most groups: PoCL runs a group as a loop on one core, so a CPU
     * wants few small groups; a GPU wants enough full groups to cover its compute units.
     */
    private static int groupSize(Tuning tuning) {
        return tuning == Tuning.CPU ? 64 : 256;
    }

    /** The build options of reductions.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return Map.of("GROUP_SIZE", groupSize(tuning));
    }

    /** Runs a reduction kernel over n terms; args are the kernel's arguments before the partials. */
    private double reduce(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, options, name);
        int groups = (int) Math.min(maxGroups, (n + (long) groupSize - 1) / groupSize);
        cl_mem partials = device.scratch(groups);
        try {
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = partials;
            device.launch(k, new long[] {(long) groups * groupSize}, new long[] {groupSize}, all);
            float[] host = new float[groups];
            device.read(partials, host, groups);
            double total = 0;
            for (float p : host) {
                total += p;
            }
            return total;
        } finally {
            device.releaseScratch(partials);
        }
    }

    @Override
    public double sum(Tensor x) {
        return reduce("reduce_sum", x.size(), x, x.size());
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        Check.sameSize(a, b);
        return reduce("reduce_dot", a.size(), a, b, a.size());
    }

    @Override
    public double sumAbs(Tensor x) {
        return reduce("reduce_abs", x.size(), x, x.size());
    }

    @Override
    public double sumSquaredDifference(Tensor a, Tensor b) {
        Check.sameSize(a, b);
        return reduce("reduce_squared_difference", a.size(), a, b, a.size());
    }

    @Override
    public double totalVariation(Tensor x) {
        int h = x.shape().height(), w = x.shape().width();
        return 0.5 * reduce("reduce_total_variation", x.size(), x, h, w, x.size());
    }
}
