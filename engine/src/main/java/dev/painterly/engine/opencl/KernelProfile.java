package dev.painterly.engine.opencl;

import dev.painterly.engine.TestHooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Opt-in per-kernel timing (the test hook {@link TestHooks#PROFILE}): each launch is
 * waited for, and its wall time is added to its kernel's total, printed to stderr at exit.
 * Waiting serialises the queue, so profile only to find where time goes.
 *
 * <p>Where Linux reports per-thread CPU time ({@code /proc/self/task/<tid>/schedstat}), the CPU
 * time the process spent during each launch, over all its threads (the OpenCL runtime's workers
 * included), is added too: on a machine shared with other work, wall times grow with the load
 * while CPU times stay close to what the kernel costs.
 */
final class KernelProfile {

    static final boolean ENABLED = TestHooks.profile();

    private static final Path TASKS = Path.of("/proc/self/task");

    private final Map<String, long[]> totals = new TreeMap<>();
    private final boolean cpu = ENABLED && processCpuNanos() >= 0;

    KernelProfile() {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::print));
        }
    }

    /** CPU time of the process so far, for {@link #add}; -1 where it cannot be read. */
    long cpuNow() {
        return cpu ? processCpuNanos() : -1;
    }

    synchronized void add(String kernel, long wallNanos, long cpuNanos) {
        long[] t = totals.computeIfAbsent(kernel, k -> new long[3]);
        t[0] += wallNanos;
        t[1] += cpuNanos;
        t[2]++;
    }

    private synchronized void print() {
        System.err.println("kernel profile (total wall ms" + (cpu ? ", total CPU ms" : "") + ", launches):");
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[cpu ? 1 : 0], a.getValue()[cpu ? 1 : 0]))
                .forEach(e -> {
                    long[] t = e.getValue();
                    String cpuColumn = cpu ? String.format(" %10.1f ms", t[1] / 1e6) : "";
                    System.err.printf("  %-40s %10.1f ms%s %8d%n", e.getKey(), t[0] / 1e6, cpuColumn, t[2]);
                });
    }

    /** Sum over the process's threads of their time on a CPU (ns), or -1 where unavailable. */
    private static long processCpuNanos() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            long sum = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (IOException | RuntimeException threadGone) {
                    // A thread that ended between the listing and the read has nothing more to add.
                }
            }
            return sum;
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }
}
