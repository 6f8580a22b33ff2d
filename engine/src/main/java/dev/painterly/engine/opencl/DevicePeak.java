package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.util.Map;

/**
 * Measures an OpenCL device's practical float32 peak with {@code peak_fma.cl} (independent FMA
 * chains in registers), so that benchmarks can report a kernel's fraction of what the device can
 * do rather than of a nominal figure (clocks under virtualisation and turbo are unreliable).
 */
public final class DevicePeak {

    static final String FILE = "peak_fma.cl";
    static final int CHAINS = 8;
    static final int ROUNDS = 4096;

    private DevicePeak() {
    }

    static int vectorWidth(OpenClDevice d) {
        return vectorWidth(d.tuning());
    }

    private static int vectorWidth(Tuning tuning) {
        return tuning == Tuning.CPU ? 16 : 1;
    }

    /** The build options of peak_fma.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return Map.of("VEC", vectorWidth(tuning), "CHAINS", CHAINS, "ROUNDS", ROUNDS);
    }

    static String options(OpenClDevice d) {
        return KernelLibrary.options(defines(d.tuning()));
    }

    /** Runs the kernel over {@code items} work-items writing into out (items floats). */
    static void run(OpenClDevice d, Tensor out, float seed, float m, float c) {
        d.launch(d.kernel(FILE, options(d), "peak_fma"), new long[] {out.size()}, null, out, seed, m, c);
    }

    /** Best GFLOP/s over a few runs. */
    public static double gflops(OpenClDevice d) {
        int items = Math.max(64, d.info().computeUnits() * (d.tuning() == Tuning.CPU ? 64 : 4096));
        double flops = 2.0 * items * CHAINS * ROUNDS * vectorWidth(d);
        double best = 0;
        try (Tensor out = d.allocate(Shape.vector(items))) {
            run(d, out, 0.5f, 0.999f, 0.001f);
            d.finish();
            for (int rep = 0; rep < 5; rep++) {
                long t0 = System.nanoTime();
                run(d, out, 0.5f, 0.999f, 0.001f);
                d.finish();
                best = Math.max(best, flops / ((System.nanoTime() - t0) / 1e9) / 1e9);
            }
        }
        return best;
    }
}
