package dev.painterly.bench;

import dev.painterly.engine.opencl.OpenClDevice;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one place that checks a kernel variant against the Java reference, warms it up, times it
 * and reports it, as llm.c's dev/cuda programs do with each version of a kernel: a variant that
 * fails its check is reported and not timed. {@code painterly bench kernels} runs {@link #report}
 * directly; the JMH suite checks through {@link #checked} and leaves warm-up and timing to JMH.
 * The end-to-end timings of {@code painterly bench} ({@code vgg}, {@code match}) use {@link #time}.
 */
public final class VariantTiming {

    private VariantTiming() {
    }

    /** Seconds of each of {@code repeats} runs of {@code work} after {@code warmups} untimed ones, sorted. */
    public static double[] time(int warmups, int repeats, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t;
    }

    public static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The names of the op families, for {@code painterly bench kernels --family}. */
    public static List<String> families() {
        return KernelFamily.all().stream().map(KernelFamily::name).toList();
    }

    /**
     * A trial of {@code variant} of {@code op}, set up and checked; when the check fails the
     * trial is closed and an IllegalStateException says why, so nothing times it.
     */
    static VariantTrial checked(KernelOp op, OpenClDevice cl, String variant, String size) {
        VariantTrial trial = op.trial(cl, variant, size);
        Optional<String> failure = trial.check();
        if (failure.isPresent()) {
            trial.close();
            throw new IllegalStateException(trial.name() + " failed its check against the reference, so it is not timed: "
                    + failure.get());
        }
        return trial;
    }

    /**
     * Checks and times every variant of every op of the named families (all when empty), at
     * {@code size} if not null (one family only), else at each family's small size when
     * {@code small}, else at its default sizes; prints the device, then one line per variant, to
     * {@code out}.
     *
     * @return the number of variants that failed their check
     */
    public static int report(OpenClDevice cl, List<String> familyNames, String size, boolean small, int warmups,
                             int repeats, PrintStream out) {
        List<KernelFamily> families = familyNames.isEmpty() ? KernelFamily.all()
                : familyNames.stream().map(n -> KernelFamily.named(n).orElseThrow(() -> new IllegalArgumentException(
                        "unknown family " + n + "; the families: " + String.join(", ", families())))).toList();
        if (size != null && families.size() != 1) {
            throw new IllegalArgumentException("give --size with exactly one --family (sizes are written per family)");
        }
        if (size != null) {
            // A malformed size fails here, before any output (the reference's result is kept for the first trial).
            KernelOp first = families.get(0).ops().get(0);
            first.trial(cl, first.variants().get(0), size).close();
        }
        out.printf("painterly-kernels device=\"%s\"%n", cl.name());
        int failures = 0;
        for (KernelFamily family : families) {
            List<String> sizes = size != null ? List.of(size) : small ? List.of(family.small()) : family.sizes();
            for (String s : sizes) {
                for (KernelOp op : family.ops()) {
                    for (String variant : op.variants()) {
                        failures += report(cl, op, variant, s, warmups, repeats, out) ? 0 : 1;
                    }
                }
            }
        }
        return failures;
    }

    /** Checks, warms up, times and reports one variant; false when it failed its check. */
    static boolean report(OpenClDevice cl, KernelOp op, String variant, String size, int warmups, int repeats,
                                  PrintStream out) {
        String kind = op.isPlain(variant) ? "plain" : "fast";
        try (VariantTrial trial = op.trial(cl, variant, size)) {
            String head = String.format("painterly-kernel family=%s op=%s variant=%s kind=%s size=%s", trial.family,
                    trial.op, trial.variant, kind, trial.size);
            Optional<String> failure = trial.check();
            if (failure.isPresent()) {
                out.println(head + " check=FAILED not timed: " + failure.get());
                return false;
            }
            double[] t = time(warmups, repeats, trial::run);
            double median = median(t);
            out.printf("%s check=ok %s=%.2f best_s=%.5f median_s=%.5f%n", head, trial.work.rateKey(),
                    trial.work.amount() / median, t[0], median);
            return true;
        }
    }
}
