package dev.painterly.engine.opencl;

import dev.painterly.engine.PatchMatchRules;
import dev.painterly.engine.PostProcessChecks;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.PostProcess;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Map;

/** The post-processing ops on an OpenCL device: kernels of {@code post_process.cl}. */
final class ClPostProcess implements PostProcess {

    static final String FILE = "post_process.cl";

    /** Every kernel here runs one work-item per position (or element), as ClMatching's do. */
    private static final long GROUP_SIZE = 64;

    /** Planes of guided_products' stack before the per-channel ones: I (3) and its products (6). */
    private static final int GUIDE_PLANES = 9;

    /** The build options of post_process.cl. */
    static final Map<String, Integer> DEFINES = Map.of("GUIDE_PLANES", GUIDE_PLANES);

    private final OpenClDevice device;

    ClPostProcess(OpenClDevice device) {
        this.device = device;
    }

    private void run(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, KernelLibrary.options(DEFINES), name);
        long group = device.groupSize(GROUP_SIZE);
        device.launch(k, new long[] {OpenClDevice.roundUp(n, group)}, new long[] {group}, args);
    }

    @Override
    public void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out) {
        PostProcessChecks.guidedFilter(guide, input, radius, eps, out);
        Shape s = input.shape();
        int c = s.channels(), n = s.plane(), planes = GUIDE_PLANES + 4 * c;
        cl_mem stack = device.scratch(planes * n);
        try {
            cl_mem other = device.scratch(planes * n);
            try {
                run("guided_products", n, guide, input, stack, c, n);
                boxMean(stack, other, planes, s, radius);
                run("guided_coefficients", n, stack, other, c, n, (float) eps);
                boxMean(other, stack, 4 * c, s, radius);
                run("guided_output", n, other, guide, out, c, n);
            } finally {
                device.releaseScratch(other);
            }
        } finally {
            device.releaseScratch(stack);
        }
    }

    /** Window means of the first {@code planes} planes of x, in place; work holds the row sums. */
    private void boxMean(cl_mem x, cl_mem work, int planes, Shape s, int radius) {
        int n = planes * s.plane();
        run("box_rows", n, x, work, n, s.width(), radius);
        run("box_columns", n, work, x, n, s.height(), s.width(), radius);
    }

    @Override
    public void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, long seed, Tensor nnf) {
        PostProcessChecks.patchMatch(a, b, queryMask, radius, iterations, nnf);
        Shape as = a.shape(), bs = b.shape();
        int n = as.plane(), key = PatchMatchRules.key(seed);
        Object[] geometry = {as.channels(), as.height(), as.width(), bs.height(), bs.width(), radius};
        cl_mem[] buffers = new cl_mem[6];
        try {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = device.scratch(i == 1 ? bs.plane() : n);
            }
            cl_mem packedA = buffers[0], packedB = buffers[1];
            cl_mem q = buffers[2], dist = buffers[3], q2 = buffers[4], dist2 = buffers[5];
            run("pm_pack", n, a, packedA, as.channels(), n);
            run("pm_pack", bs.plane(), b, packedB, bs.channels(), bs.plane());
            // Without a mask the kernel never reads its mask argument; nnf stands in for it.
            Tensor mask = queryMask == null ? nnf : queryMask;
            run("pm_init", n, concat(new Object[] {packedA, packedB, mask, queryMask == null ? 0 : 1, q, dist, key},
                    geometry));
            for (int i = 1; i <= iterations; i++) {
                run("pm_search", n, concat(new Object[] {packedA, packedB, q, dist, key, i}, geometry));
                for (int pass = 0; pass < PatchMatchRules.PROPAGATION_PASSES; pass++) {
                    run("pm_propagate", n, concat(new Object[] {packedA, packedB, q, dist, q2, dist2,
                            PatchMatchRules.step(pass)}, geometry));
                    cl_mem t = q;
                    q = q2;
                    q2 = t;
                    t = dist;
                    dist = dist2;
                    dist2 = t;
                }
            }
            run("pm_output", n, q, nnf, n);
        } finally {
            for (cl_mem m : buffers) {
                if (m != null) {
                    device.releaseScratch(m);
                }
            }
        }
    }

    private static Object[] concat(Object[] head, Object[] tail) {
        Object[] all = new Object[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Override
    public void vote(Tensor nnf, Tensor b, int radius, Tensor out) {
        PostProcessChecks.vote(nnf, b, radius, out);
        Shape as = nnf.shape(), bs = b.shape();
        run("vote", as.plane(), nnf, b, out, bs.channels(), as.height(), as.width(), bs.height(), bs.width(), radius);
    }
}
