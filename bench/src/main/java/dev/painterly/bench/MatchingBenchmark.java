package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.ClMatching;
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

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The patch searches of both passes (Matching.matchNcc, Matching.matchDot) of a map against a map of
 * the same size, with the queries a disc at the centre, by each variant of ClMatching's kernels:
 * PLAIN (matching.cl, one work-item per query) and TILED (matching_tiled.cl). The sizes, C x H x
 * W : queries, are pass 1's at relu3_1, relu4_1 and relu5_1 of example 5 at 700 px. Work: 2 x 9 x
 * C FLOPs per (query, candidate) pair, as a direct 3x3 patch product counts it; the tiled kernel
 * computes each pixel's dot products once for all the queries around it and does about a quarter
 * to a fifth of that, so its GFLOP/s (and fraction of peak) are effective figures that can exceed
 * the device's.
 *
 * <p>The check: the reference searches for {@link #SAMPLE} of the queries, spread over the disc
 * (every query is searched on its own, so a sample costs the reference a fraction of the whole),
 * and the variant's matches at those positions must be the very same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MatchingBenchmark extends VariantBenchmark {

    /** Queries the reference checks. */
    static final int SAMPLE = 16;

    static final KernelFamily FAMILY = new KernelFamily("matching",
            List.of("256x175x137:2755", "512x88x69:919", "512x44x35:342"), "64x40x48:200", List.of(
                    new KernelOp("matchNcc", List.of("PLAIN", "TILED"), (cl, v, s) -> trial(cl, v, s, true)),
                    new KernelOp("matchDot", List.of("PLAIN", "TILED"), (cl, v, s) -> trial(cl, v, s, false))));

    @Param({"PLAIN", "TILED"})
    public String variant;

    /** C x H x W : queries. */
    @Param({"256x175x137:2755", "512x88x69:919", "512x44x35:342"})
    public String size;

    @Override
    KernelFamily family() {
        return FAMILY;
    }

    @Override
    String variant() {
        return variant;
    }

    @Override
    String size() {
        return size;
    }

    @Benchmark
    public void matchNcc(Flops flops) {
        run(flops);
    }

    @Benchmark
    public void matchDot(Flops flops) {
        run(flops);
    }

    /** The positions of a mask of exactly n ones, those nearest the centre, nearest first. */
    static int[] disc(int h, int w, int n) {
        return IntStream.range(0, h * w).boxed()
                .sorted(Comparator.comparingDouble(p -> Math.hypot(p / w - h / 2.0, p % w - w / 2.0)))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /** A 1 x H x W mask of ones at {@code positions}. */
    static float[] mask(int h, int w, int[] positions) {
        float[] m = new float[h * w];
        for (int p : positions) {
            m[p] = 1;
        }
        return m;
    }

    private static VariantTrial trial(OpenClDevice cl, String variant, String size, boolean ncc) {
        if (!size.matches("[^:]+:[1-9][0-9]*")) {
            throw new IllegalArgumentException("matching sizes are CxHxW:queries, e.g. 64x40x48:200, got " + size);
        }
        String[] parts = size.split(":");
        Shape s = BenchDevice.shape(parts[0]);
        int queries = Math.min(Integer.parseInt(parts[1]), s.plane());
        int h = s.height(), w = s.width();
        Shape plane = s.withChannels(1);
        int[] disc = disc(h, w, queries);
        int checked = Math.min(SAMPLE, queries);
        int[] sample = IntStream.range(0, checked).map(i -> disc[(int) ((long) i * queries / checked)]).toArray();
        float[] f = BenchDevice.features(1, s.size()), other = BenchDevice.features(2, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), ncc ? "matchNcc" : "matchDot", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rf = t.reference.upload(s, f); Tensor rs = t.reference.upload(s, other);
                 Tensor rm = t.reference.upload(plane, mask(h, w, sample))) {
                double[] found = t.referenceOutput(plane, out -> {
                    if (ncc) {
                        t.reference.matching().matchNcc(rf, rs, rm, out);
                    } else {
                        t.reference.matching().matchDot(rf, rs, rm, out);
                    }
                });
                double[] values = new double[found.length];
                Arrays.fill(values, Double.NaN);
                for (int p : sample) {
                    values[p] = found[p];
                }
                return Expected.exact(values);
            }
        });
        Tensor cf = t.upload(s, f), cs = t.upload(s, other), cm = t.upload(plane, mask(h, w, disc));
        Tensor out = t.output(plane);
        ClMatching matching = new ClMatching(cl);
        ClMatching.Variant v = ClMatching.Variant.valueOf(variant);
        Runnable run = ncc ? () -> matching.matchNcc(cf, cs, cm, out, v) : () -> matching.matchDot(cf, cs, cm, out, v);
        return t.trial(Work.gigaflop(2.0 * 9 * s.channels() * queries * s.plane()), run, out, expected);
    }
}
