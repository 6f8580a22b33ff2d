package dev.painterly.engine.opencl;

import java.util.Map;
import java.util.TreeMap;

/**
 * Opt-in per-kernel timing (system property {@code painterly.profile=true}): each launch is
 * waited for, and its wall time is added to its kernel's total, printed to stderr at exit.
 * Waiting serialises the queue, so profile only to find where time goes.
 */
final class KernelProfile {

    static final boolean ENABLED = Boolean.getBoolean("painterly.profile");

    private final Map<String, long[]> totals = new TreeMap<>();

    KernelProfile() {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::print));
        }
    }

    synchronized void add(String kernel, long nanos) {
        long[] t = totals.computeIfAbsent(kernel, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    private synchronized void print() {
        System.err.println("kernel profile (total ms, launches):");
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> System.err.printf("  %-40s %10.1f ms %8d%n", e.getKey(), e.getValue()[0] / 1e6, e.getValue()[1]));
    }
}
