package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.ClGram;
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
import java.util.concurrent.TimeUnit;

/**
 * The Gram matrix of the style losses (Gram.gram) and its backward (Gram.gramBackward), by
 * each variant of ClGram's kernels (PLAIN, VECTOR, LOCAL), on F of C x N: relu1_1 of a 700 x 525
 * image (C small, N huge), a mid-sized layer, and relu4_1 of a small image (C large, N small).
 * F is ReLU'd noise, like VGG features; scale 1 / (C N). Work: 2 C^2 N FLOPs for either, as a
 * plain matrix product counts it; the VECTOR and LOCAL forwards compute only the blocks on or
 * above the diagonal, about half of that. Checked against the reference within 1e-3 (forward: one
 * float sum over N, up to 367500 terms, in the plain kernel) or 1e-4 (backward: sums over C) of
 * the largest |entry|.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GramBenchmark extends VariantBenchmark {

    static final KernelFamily FAMILY = new KernelFamily("gram", List.of("64x525x700", "256x150x150", "512x35x40"),
            "64x48x64", List.of(
                    new KernelOp("forward", List.of("PLAIN", "VECTOR", "LOCAL"), GramBenchmark::forward),
                    new KernelOp("backward", List.of("PLAIN", "VECTOR", "LOCAL"), GramBenchmark::backward)));

    @Param({"PLAIN", "VECTOR", "LOCAL"})
    public String variant;

    @Param({"64x525x700", "256x150x150", "512x35x40"})
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
    public void forward(Flops flops) {
        run(flops);
    }

    @Benchmark
    public void backward(Flops flops) {
        run(flops);
    }

    private static Work work(Shape s) {
        return Work.gigaflop(2.0 * s.channels() * s.channels() * s.plane());
    }

    static VariantTrial forward(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size);
        Shape g = Shape.of(1, s.channels(), s.channels());
        float scale = 1f / s.size();
        float[] f = BenchDevice.features(1, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "forward", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rf = t.reference.upload(s, f)) {
                return Expected.relative(t.referenceOutput(g, out -> t.reference.gram().gram(rf, scale, out)), 1e-3);
            }
        });
        Tensor cf = t.upload(s, f);
        Tensor out = t.output(g);
        ClGram gram = new ClGram(cl, ClGram.Variant.valueOf(variant));
        return t.trial(work(s), () -> gram.gram(cf, scale, out), out, expected);
    }

    static VariantTrial backward(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size);
        Shape g = Shape.of(1, s.channels(), s.channels());
        float scale = 1f / s.size();
        float[] f = BenchDevice.features(1, s.size());
        float[] gradGram = BenchDevice.randoms(2, g.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "backward", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rf = t.reference.upload(s, f); Tensor rg = t.reference.upload(g, gradGram)) {
                return Expected.relative(t.referenceOutput(s, out -> t.reference.gram().gramBackward(rf, rg, scale, out)), 1e-4);
            }
        });
        Tensor cf = t.upload(s, f);
        Tensor cg = t.upload(g, gradGram);
        Tensor out = t.output(s);
        ClGram gram = new ClGram(cl, ClGram.Variant.valueOf(variant));
        return t.trial(work(s), () -> gram.gramBackward(cf, cg, scale, out), out, expected);
    }
}
