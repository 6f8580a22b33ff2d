package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Devices;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.Lbfgs;
import dev.painterly.engine.optim.LbfgsOptions;
import dev.painterly.engine.optim.Objective;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optimizer's own time per L-BFGS iteration with a full history: a run's wall time and the
 * process's CPU time per iteration, minus those spent in the objective, measured after the
 * history has filled. On a shared machine the CPU time is the steadier of the two: the wall time
 * grows with every other job that holds a core.
 *
 * <p>The objective is as cheap as a device objective gets, f = 0.5 sum a_i x_i^2 with g = a x
 * (one multiply; f is not computed, as the run's tolerances are off), and its curvatures a_i
 * spread over [1e-3, 1] so that every pair is stored and the run does not converge.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.painterly.bench.LbfgsBenchmark
 * [floats [history [timed iterations [repeats]]]]}, by default 1,200,000 floats (about a 3 x 547 x
 * 700 image), history 100, 20 timed iterations after the history has filled, 3 runs.
 */
public final class LbfgsBenchmark {

    private LbfgsBenchmark() {
    }

    /** The diagonal quadratic; counts its own wall and CPU time, with the device drained on entry and exit. */
    private static final class Diagonal implements Objective {

        private final Device device;
        private final Tensor curvature;
        private long nanos;
        private long cpuNanos;

        Diagonal(Device device, Tensor curvature) {
            this.device = device;
            this.curvature = curvature;
        }

        @Override
        public double evaluate(Tensor x, Tensor gradient) {
            device.finish();
            long start = System.nanoTime();
            long cpuStart = cpuNow();
            device.elementwise().multiply(curvature, x, gradient);
            device.finish();
            nanos += System.nanoTime() - start;
            cpuNanos += cpuNow() - cpuStart;
            return 0;
        }
    }

    /** CPU time of the whole process, every thread (the OpenCL driver's included). */
    private static long cpuNow() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_200_000;
        int history = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int timed = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Device device = Devices.open(null);
        System.out.println("device: " + device.name());
        float[] a = new float[n];
        float[] start = BenchDevice.randoms(2, n);
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.pow(10, -3.0 * i / n);
        }
        // One iteration more than the history to fill it (the first step stores nothing).
        int warm = history + 1;
        LbfgsOptions options = LbfgsOptions.defaults(warm + timed).withHistorySize(history).withTolerances(-1, -1);
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            try (Tensor curvature = device.upload(Shape.vector(n), a);
                 Tensor x = device.upload(Shape.vector(n), start)) {
                Diagonal objective = new Diagonal(device, curvature);
                List<long[]> marks = new ArrayList<>();
                new Lbfgs(options).minimize(x, objective, progress -> {
                    device.finish();
                    marks.add(new long[] {System.nanoTime(), objective.nanos, cpuNow(), objective.cpuNanos});
                    return false;
                });
                long[] from = marks.get(warm - 1);
                long[] to = marks.get(marks.size() - 1);
                int iterations = marks.size() - warm;
                wall[r] = ((to[0] - from[0]) - (to[1] - from[1])) / 1e6 / iterations;
                cpu[r] = ((to[2] - from[2]) - (to[3] - from[3])) / 1e6 / iterations;
                System.out.printf("run %d, per iteration outside the objective: %.2f ms wall, %.2f ms CPU"
                        + " (objective: %.2f ms wall)%n", r + 1, wall[r], cpu[r], (to[1] - from[1]) / 1e6 / iterations);
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("floats %d, history %d, %d timed iterations, median per iteration: %.2f ms wall, %.2f ms CPU%n",
                n, history, timed, wall[repeats / 2], cpu[repeats / 2]);
    }
}
