package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Combination;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * Linear combinations of the rows of a matrix on an OpenCL device: the kernel of
 * {@code combination.cl}. The coefficients go up in a scratch buffer.
 */
final class ClCombination implements Combination {

    static final String FILE = "combination.cl";
    /**
     * On CPUs, the floats of out a work-item owns: its run stays in the core's L2 while each row
     * goes by in one long stream (with short runs every row restarted the prefetcher).
     */
    private static final int CPU_RUN = 16384;

    private final OpenClDevice device;
    private final boolean cpu;
    private final int groupSize;
    private final int width;
    private final String options;

    ClCombination(OpenClDevice device) {
        this(device, device.tuning());
    }

    ClCombination(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.cpu = tuning == Tuning.CPU;
        // A CPU gets few long work-items, in small groups so that they spread over the cores.
        this.groupSize = (int) device.groupSize(cpu ? 4 : 256);
        Map<String, Integer> defines = defines(tuning);
        this.width = defines.get("WIDTH");
        this.options = KernelLibrary.options(defines);
    }

    /** The build options of combination.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        boolean cpu = tuning == Tuning.CPU;
        return Map.of("WIDTH", cpu ? 16 : 4, "CONTIGUOUS", cpu ? 1 : 0);
    }

    @Override
    public void combineRows(Tensor rows, double[] coefficients, double alpha, Tensor x, Tensor out) {
        Check.sameSize(x, out);
        int n = x.size();
        Check.rows(rows, coefficients.length, n);
        long vectors = Math.max(1, n / width);
        long items = cpu ? (n + CPU_RUN - 1) / CPU_RUN : vectors;
        cl_kernel k = device.kernel(FILE, options, "combine_rows");
        float[] c = new float[Math.max(1, coefficients.length)];
        for (int r = 0; r < coefficients.length; r++) {
            c[r] = (float) coefficients[r];
        }
        cl_mem buffer = device.scratch(c.length);
        try {
            device.write(buffer, c);
            device.launch(k, new long[] {OpenClDevice.roundUp(items, groupSize)}, new long[] {groupSize},
                    rows, buffer, coefficients.length, (float) alpha, x, n, out);
        } finally {
            device.releaseScratch(buffer);
        }
    }
}
