package dev.painterly.bench;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.ClPooling;
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
 * Pooling (memory-bound): the 2x2 max pooling of VGG and its backward, by each variant of
 * ClPooling's kernels (PLAIN, one work-item per element; ROWS, one per output row in
 * float16 steps), and the 3x3 average of the layer masks (one kernel, which JMH times under
 * PLAIN; ROWS has none for it and is reported as an error), on relu1_2 of a 700 x 525 image.
 * Work: the bytes each op must move at least once (its inputs read, its output written). Max
 * pooling must match the reference exactly; the average within 1e-6 of the largest |output|.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PoolingBenchmark extends VariantBenchmark {

    private static final List<String> VARIANTS = List.of("PLAIN", "ROWS");

    static final KernelFamily FAMILY = new KernelFamily("pooling", List.of("64x525x700"), "16x96x128", List.of(
            new KernelOp("maxPool", VARIANTS, PoolingBenchmark::maxPool),
            new KernelOp("maxPoolBackward", VARIANTS, PoolingBenchmark::maxPoolBackward),
            new KernelOp("avgPool3x3", List.of("PLAIN"), PoolingBenchmark::avgPool3x3)));

    @Param({"PLAIN", "ROWS"})
    public String variant;

    @Param({"64x525x700"})
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
    public void maxPool(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void maxPoolBackward(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void avgPool3x3(Bandwidth bandwidth) {
        run(bandwidth);
    }

    static VariantTrial maxPool(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = Check.pooled(s);
        float[] x = BenchDevice.randoms(1, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "maxPool", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x)) {
                return Expected.exact(t.referenceOutput(p, out -> t.reference.pooling().maxPool2x2(rx, out)));
            }
        });
        Tensor cx = t.upload(s, x);
        Tensor out = t.output(p);
        ClPooling pooling = new ClPooling(cl, ClPooling.Variant.valueOf(variant));
        return t.trial(Work.floats(s.size() + p.size()), () -> pooling.maxPool2x2(cx, out), out, expected);
    }

    static VariantTrial maxPoolBackward(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = Check.pooled(s);
        float[] x = BenchDevice.randoms(1, s.size()), g = BenchDevice.randoms(2, p.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "maxPoolBackward", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor rg = t.reference.upload(p, g)) {
                return Expected.exact(t.referenceOutput(s, out -> t.reference.pooling().maxPool2x2Backward(rx, rg, out)));
            }
        });
        Tensor cx = t.upload(s, x), cg = t.upload(p, g);
        Tensor out = t.output(s);
        ClPooling pooling = new ClPooling(cl, ClPooling.Variant.valueOf(variant));
        return t.trial(Work.floats(2.0 * s.size() + p.size()), () -> pooling.maxPool2x2Backward(cx, cg, out), out, expected);
    }

    static VariantTrial avgPool3x3(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size);
        float[] x = BenchDevice.randoms(1, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "avgPool3x3", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x)) {
                return Expected.relative(t.referenceOutput(s, out -> t.reference.pooling().avgPool3x3(rx, out)), 1e-6);
            }
        });
        Tensor cx = t.upload(s, x);
        Tensor out = t.output(s);
        ClPooling pooling = new ClPooling(cl, ClPooling.Variant.valueOf(variant));
        return t.trial(Work.floats(2.0 * s.size()), () -> pooling.avgPool3x3(cx, out), out, expected);
    }
}
