package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.ClHistogram;
import dev.painterly.engine.opencl.OpenClDevice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The histogram loss's remap (one sort per channel, all channels at once): by default at
 * relu1_1 of a 700 px job, 64 x 350 x 263 with 20,000 masked positions, and as the loss now calls
 * it, on the compact columns of those positions, 64 x 1 x 20000, every position remapped (no
 * zeroing pass). Sizes are C x H x W : positions. Features are ReLU-like (half of them 0, so ties abound); the positions are a random
 * subset, ascending as a mask's; the table is random. Work: the C m keys sorted, as millions.
 * Each variant of {@link ClHistogram}'s sort is checked exactly against the reference's sort.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HistogramBenchmark extends VariantBenchmark {

    private static final List<String> VARIANTS = List.of("MERGE_PATH", "RADIX");

    static final KernelFamily FAMILY = new KernelFamily("histogram", List.of("64x350x263:20000", "64x1x20000:20000"), "8x48x64:1000",
            List.of(new KernelOp("remap", VARIANTS, HistogramBenchmark::remap)));

    /** ClHistogram's sorts: many work-items per channel along the merge path, or one per channel by a radix sort. */
    @Param({"MERGE_PATH", "RADIX"})
    public String variant;

    /** C x H x W : positions. */
    @Param({"64x350x263:20000", "64x1x20000:20000"})
    public String size;

    @Override
    String variant() {
        return variant;
    }

    @Override
    KernelFamily family() {
        return FAMILY;
    }

    @Override
    String size() {
        return size;
    }

    @Benchmark
    public void remap() {
        run();
    }

    private static VariantTrial remap(OpenClDevice cl, String variant, String size) {
        if (!size.matches("[^:]+:[1-9][0-9]*")) {
            throw new IllegalArgumentException("histogram sizes are CxHxW:positions, e.g. 8x48x64:1000, got " + size);
        }
        String[] parts = size.split(":");
        Shape s = BenchDevice.shape(parts[0]);
        int n = s.height() * s.width();
        int m = Integer.parseInt(parts[1]);
        if (m > n) {
            throw new IllegalArgumentException(m + " positions do not fit in " + s.height() + " x " + s.width()
                    + ": give at most " + n);
        }
        float[] features = BenchDevice.features(1, s.size());
        float[] positions = positions(n, m, new Random(2));
        float[] table = BenchDevice.randoms(3, s.channels() * m);
        Shape p = Shape.vector(m), t = Shape.vector(s.channels() * m);
        TrialSetup setup = new TrialSetup(cl, FAMILY.name(), "remap", variant, size);
        Expected expected = setup.expected(() -> {
            try (Tensor rf = setup.reference.upload(s, features); Tensor rp = setup.reference.upload(p, positions);
                 Tensor rt = setup.reference.upload(t, table)) {
                return Expected.exact(setup.referenceOutput(s, out -> setup.reference.histogram().remap(rf, rp, rt, out)));
            }
        });
        Tensor cf = setup.upload(s, features), cp = setup.upload(p, positions), ct = setup.upload(t, table);
        Tensor out = setup.output(s);
        ClHistogram histogram = new ClHistogram(cl);
        ClHistogram.Variant how = ClHistogram.Variant.valueOf(variant);
        return setup.trial(Work.keys((double) s.channels() * m),
                () -> histogram.remap(cf, cp, ct, out, how), out, expected);
    }

    /** m of the n indices, drawn at random, ascending. */
    private static float[] positions(int n, int m, Random random) {
        boolean[] chosen = new boolean[n];
        for (int left = m; left > 0; ) {
            int i = random.nextInt(n);
            if (!chosen[i]) {
                chosen[i] = true;
                left--;
            }
        }
        float[] out = new float[m];
        for (int i = 0, k = 0; i < n; i++) {
            if (chosen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
