package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.OpenClDevice;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the benchmarks promise: a variant is checked against the reference before it is timed,
 * one that fails is reported and never timed, and every variant of every family passes at its
 * small size.
 */
class VariantTimingTest {

    private static final String SIZE = "2x8x8";

    private final OpenClDevice cl = TestDevices.openCl();

    /**
     * A ReLU "variant" that runs {@code wrong ? scale by 0.5 : relu}, checked against the
     * reference's ReLU, counting its runs.
     */
    private static KernelOp relu(boolean wrong, AtomicInteger runs) {
        return KernelOp.plain("relu", (cl, variant, size) -> {
            Shape s = BenchDevice.shape(size);
            float[] x = BenchDevice.randoms(1, s.size());
            TrialSetup t = new TrialSetup(cl, "test", "relu " + wrong, variant, size);
            Expected expected = t.expected(() -> {
                try (Tensor rx = t.reference.upload(s, x)) {
                    return Expected.exact(t.referenceOutput(s, out -> t.reference.elementwise().relu(rx, out)));
                }
            });
            Tensor cx = t.upload(s, x);
            Tensor out = t.output(s);
            return t.trial(Work.floats(2.0 * s.size()), () -> {
                runs.incrementAndGet();
                if (wrong) {
                    cl.elementwise().scale(cx, 0.5, out);
                } else {
                    cl.elementwise().relu(cx, out);
                }
            }, out, expected);
        });
    }

    private String report(KernelOp op, boolean[] passed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            passed[0] = VariantTiming.report(cl, op, KernelFamily.PLAIN, SIZE, 2, 3, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aVariantThatPassesIsWarmedUpAndTimed() {
        AtomicInteger runs = new AtomicInteger();
        boolean[] passed = new boolean[1];
        String line = report(relu(false, runs), passed);
        assertTrue(passed[0], line);
        assertTrue(line.contains("check=ok") && line.trim().matches(".* median_s=[0-9.]+"), line);
        assertEquals(1 + 2 + 3, runs.get(), "the check, 2 warm-up runs, 3 timed runs");
    }

    @Test
    void aVariantThatFailsItsCheckIsReportedAndNotTimed() {
        AtomicInteger runs = new AtomicInteger();
        boolean[] passed = new boolean[1];
        String line = report(relu(true, runs), passed);
        assertFalse(passed[0], line);
        assertTrue(line.contains("check=FAILED not timed: element "), line);
        assertFalse(line.contains("median_s"), line);
        assertEquals(1, runs.get(), "only the check ran");
    }

    @Test
    void theJmhSideThrowsForAVariantThatFailsItsCheck() {
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VariantTiming.checked(relu(true, runs), cl, KernelFamily.PLAIN, SIZE));
        assertTrue(e.getMessage().contains("failed its check against the reference, so it is not timed"), e.getMessage());
        assertEquals(1, runs.get());
        try (VariantTrial trial = VariantTiming.checked(relu(false, runs), cl, KernelFamily.PLAIN, SIZE)) {
            assertEquals("test", trial.family);
        }
    }

    @Test
    void everyVariantOfEveryFamilyPassesItsCheckAtItsSmallSize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int failures;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            failures = VariantTiming.report(cl, List.of(), null, true, 0, 1, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, failures, report);
        assertTrue(report.startsWith("painterly-kernels device="), report);
        long lines = report.lines().filter(l -> l.contains("check=ok")).count();
        long variants = KernelFamily.all().stream().flatMap(f -> f.ops().stream()).mapToLong(o -> o.variants().size()).sum();
        assertEquals(variants, lines, report);
    }

    @Test
    void aNamedVariantThatAnOpLacksIsAnError() {
        KernelOp avgPool = PoolingBenchmark.FAMILY.op("avgPool3x3").orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> avgPool.trial(cl, "ROWS", SIZE));
        assertTrue(e.getMessage().contains("avgPool3x3 has no variant ROWS"), e.getMessage());
    }
}
