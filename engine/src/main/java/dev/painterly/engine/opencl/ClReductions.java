package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Reductions;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reductions to the host on an OpenCL device: kernels of {@code reductions.cl}. A kernel leaves
 * one float partial per work-group (per group and result, for {@code dots}) in a scratch buffer;
 * the host downloads the partials and adds them in double. The group count is capped so that
 * download stays small.
 */
final class ClReductions implements Reductions {

    static final String FILE = "reductions.cl";
    /** The fewest vectors a work-item reads before another group is worth starting. */
    private static final int MIN_VECTORS_PER_ITEM = 16;
    /**
     * dots on CPUs: groups of one work-item, each with a run of at least this many floats of every
     * row, so that each row is read in long streams and the vectors' runs (three of them) stay in
     * the core's L2 while the rows go by; at most {@link #MAX_CPU_DOTS_GROUPS} groups.
     */
    private static final int CPU_DOTS_RUN = 16384;
    private static final int MAX_CPU_DOTS_GROUPS = 64;
    /** reductions.cl's BLOCK: vectors of terms added plainly before each compensated step. */
    private static final int BLOCK = 8;
    /** dots takes at most this many vectors (VECTORS in reductions.cl). */
    private static final int MAX_VECTORS = 3;

    private final OpenClDevice device;
    private final int groupSize;
    private final int maxGroups;
    private final int width;
    private final boolean cpu;
    private final String options;

    ClReductions(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClReductions(OpenClDevice device, Tuning tuning) {
        this.device = device;
        // PoCL runs a group as a loop over its work-items on one core, so a CPU wants a few groups
        // per core, each work-item streaming through its own run in wide vectors; a GPU wants
        // enough full groups to cover its compute units, adjacent work-items reading adjacent floats.
        Map<String, Integer> defines = new TreeMap<>(defines(tuning));
        this.cpu = tuning == Tuning.CPU;
        this.groupSize = (int) device.groupSize(defines.get("GROUP_SIZE"));
        defines.put("GROUP_SIZE", groupSize);
        this.maxGroups = cpu ? 16 : 256;
        this.width = defines.get("WIDTH");
        this.options = KernelLibrary.options(defines);
    }

    /**
     * The build options of reductions.cl under a tuning (what its {@code #ifndef} defaults must
     * match); {@link #dots} passes its own GROUP_SIZE and VECTORS.
     */
    static Map<String, Integer> defines(Tuning tuning) {
        boolean cpu = tuning == Tuning.CPU;
        return Map.of("GROUP_SIZE", cpu ? 64 : 256, "WIDTH", cpu ? 16 : 4, "CONTIGUOUS", cpu ? 1 : 0,
                "BLOCK", BLOCK, "VECTORS", MAX_VECTORS);
    }

    /** Groups for n elements: each work-item reads at least MIN_VECTORS_PER_ITEM vectors, within the cap. */
    private int groups(int n) {
        long perGroup = (long) groupSize * width * MIN_VECTORS_PER_ITEM;
        return (int) Math.max(1, Math.min(maxGroups, (n + perGroup - 1) / perGroup));
    }

    /** Runs a kernel of {@code groups} groups of {@code size} and returns its {@code count} partials, downloaded. */
    private float[] partials(cl_kernel k, int groups, int size, int count, Object... args) {
        cl_mem partials = device.scratch(count);
        try {
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = partials;
            device.launch(k, new long[] {(long) groups * size}, new long[] {size}, all);
            float[] host = new float[count];
            device.read(partials, host, count);
            return host;
        } finally {
            device.releaseScratch(partials);
        }
    }

    /** Runs a one-result reduction kernel over n terms; args are the kernel's arguments before the partials. */
    private double reduce(String name, int n, Object... args) {
        int groups = groups(n);
        double total = 0;
        for (float p : partials(device.kernel(FILE, options, name), groups, groupSize, groups, args)) {
            total += p;
        }
        return total;
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
    public void dot(Tensor a, Tensor b, Tensor result) {
        Check.sameSize(a, b);
        reduceOnDevice("reduce_dot", a.size(), 1, result, a, b, a.size());
    }

    /** A one-result reduction over n terms whose sum times scale stays in result[0]: partials, then one group adds them. */
    private void reduceOnDevice(String name, int n, double scale, Tensor result, Object... args) {
        Check.size(result, 1, "reduction result");
        int groups = groups(n);
        cl_mem partials = device.scratch(groups);
        try {
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = partials;
            device.launch(device.kernel(FILE, options, name), new long[] {(long) groups * groupSize},
                    new long[] {groupSize}, all);
            device.launch(device.kernel(FILE, options, "sum_partials"), new long[] {groupSize}, new long[] {groupSize},
                    partials, groups, (float) scale, result);
        } finally {
            // The queue is in order: a later user of this scratch runs after both kernels.
            device.releaseScratch(partials);
        }
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
    public void sumSquaredDifference(Tensor a, Tensor b, double scale, Tensor result) {
        Check.sameSize(a, b);
        reduceOnDevice("reduce_squared_difference", a.size(), scale, result, a, b, a.size());
    }

    @Override
    public double totalVariation(Tensor x) {
        int h = x.shape().height(), w = x.shape().width();
        return 0.5 * reduce("reduce_total_variation", x.size(), x, h, w, x.size());
    }

    /** One launch, the vectors compiled in as VECTORS. */
    @Override
    public double[][] dots(Tensor rows, int count, Tensor... vectors) {
        Check.dotsOperands(rows, count, vectors);
        int q = vectors.length;
        int n = vectors[0].size();
        int size = cpu ? 1 : groupSize;
        int groups = cpu ? (int) Math.max(1, Math.min(MAX_CPU_DOTS_GROUPS, n / CPU_DOTS_RUN)) : groups(n);
        int results = (count + q) * q;
        Map<String, Integer> defines = new TreeMap<>(defines(cpu ? Tuning.CPU : Tuning.GPU));
        defines.put("GROUP_SIZE", size);
        defines.put("VECTORS", q);
        cl_kernel k = device.kernel(FILE, KernelLibrary.options(defines), "dots");
        Tensor u1 = q > 1 ? vectors[1] : vectors[0];
        Tensor u2 = q > 2 ? vectors[2] : vectors[0];
        float[] host = partials(k, groups, size, results * groups, rows, count, n, vectors[0], u1, u2);
        double[][] out = new double[q][count + q];
        for (int r = 0; r < count + q; r++) {
            for (int v = 0; v < q; v++) {
                double total = 0;
                int at = (r * q + v) * groups;
                for (int g = 0; g < groups; g++) {
                    total += host[at + g];
                }
                out[v][r] = total;
            }
        }
        return out;
    }
}
