package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Devices;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The optimizer's own time per iteration with a full history of 100, the vector-free form
 * ({@link VectorFreeHistory}) against the plain two-loop recursion ({@link TwoLoopHistory}, kept in
 * test sources as the reference), alternated three times in one process, on the diagonal
 * quadratic of bench's LbfgsBenchmark. A timing, not a test: run it by hand (bench/RESULTS.md
 * gives the command); its argument is the vector length.
 */
public final class HistoryTiming {

    private HistoryTiming() {
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]), history = 100, timed = 20;
        Device device = Devices.open(null);
        float[] a = new float[n], start = new float[n];
        Random r = new Random(2);
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.pow(10, -3.0 * i / n);
            start[i] = 2 * r.nextFloat() - 1;
        }
        int warm = history + 1;
        LbfgsOptions options = LbfgsOptions.defaults(warm + timed).withHistorySize(history).withTolerances(-1, -1);
        for (int round = 0; round < 3; round++) {
            for (String kind : new String[] {"vector-free", "two-loop"}) {
                try (Tensor curvature = device.upload(Shape.vector(n), a); Tensor x = device.upload(Shape.vector(n), start)) {
                    long[] obj = new long[2];
                    Objective f = (xx, g) -> {
                        device.finish();
                        long s = System.nanoTime(), c = cpu();
                        device.elementwise().multiply(curvature, xx, g);
                        device.finish();
                        obj[0] += System.nanoTime() - s;
                        obj[1] += cpu() - c;
                        return 0;
                    };
                    List<long[]> marks = new ArrayList<>();
                    Lbfgs l = kind.equals("two-loop") ? new Lbfgs(options, TwoLoopHistory::new) : new Lbfgs(options);
                    l.minimize(x, f, p -> {
                        device.finish();
                        marks.add(new long[] {System.nanoTime(), obj[0], cpu(), obj[1]});
                        return false;
                    });
                    long[] from = marks.get(warm - 1), to = marks.get(marks.size() - 1);
                    int it = marks.size() - warm;
                    System.out.printf("round %d %-11s n=%d: %.1f ms wall, %.1f ms CPU per iteration outside the objective (load %s)%n",
                            round + 1, kind, n, ((to[0] - from[0]) - (to[1] - from[1])) / 1e6 / it,
                            ((to[2] - from[2]) - (to[3] - from[3])) / 1e6 / it, loadavg());
                }
            }
        }
        System.exit(0);
    }

    private static String loadavg() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
