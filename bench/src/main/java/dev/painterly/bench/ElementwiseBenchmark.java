package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
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
 * The elementwise ops (memory-bound; each has one kernel, the plain one) on relu1_1 of a 700 x
 * 525 image: the ReLU and its backward, sum, product and scale, L-BFGS's axpy, the squared
 * error's scaled difference, pass 2's scaling by a norm on the device, the masked product of the
 * losses, the masked sum (a module's gradient joining the network's) and the mask gradient, and
 * the total-variation gradient. Work: the bytes each op must move at least once. Checked against the reference within 1e-6 of the largest |output|
 * (1e-5 for the mask gradient, a float sum over the channels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ElementwiseBenchmark extends VariantBenchmark {

    static final KernelFamily FAMILY = new KernelFamily("elementwise", List.of("64x525x700"), "16x96x128", List.of(
            op("relu", 2, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().relu(x, out)),
            op("reluBackward", 3, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().reluBackward(x, y, out)),
            op("add", 3, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().add(x, y, out)),
            op("multiply", 3, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().multiply(x, y, out)),
            op("scale", 2, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().scale(x, 0.5, out)),
            new KernelOp("axpy", List.of(KernelFamily.PLAIN), ElementwiseBenchmark::axpy),
            op("scaledDifference", 3, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().scaledDifference(x, y, 0.5, out)),
            new KernelOp("scaleByNorm", List.of(KernelFamily.PLAIN), ElementwiseBenchmark::scaleByNorm),
            op("maskMultiply", 2, 1, 1e-6, (d, x, y, m, out) -> d.elementwise().maskMultiply(x, m, out)),
            op("addMasked", 3, 1, 1e-6, (d, x, y, m, out) -> d.elementwise().addMasked(x, y, 0.5, m, out)),
            new KernelOp("addNormalizedMasked", List.of(KernelFamily.PLAIN), ElementwiseBenchmark::addNormalizedMasked),
            new KernelOp("maskMultiplyBackward", List.of(KernelFamily.PLAIN), ElementwiseBenchmark::maskMultiplyBackward),
            op("totalVariationGradient", 2, 0, 1e-6, (d, x, y, m, out) -> d.elementwise().totalVariationGradient(x, 1e-3, out))));

    @Param({"64x525x700"})
    public String size;

    @Override
    KernelFamily family() {
        return FAMILY;
    }

    @Override
    String size() {
        return size;
    }

    @Benchmark
    public void relu(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void reluBackward(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void add(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void multiply(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void scale(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void axpy(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void scaledDifference(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void scaleByNorm(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void maskMultiply(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void addMasked(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void addNormalizedMasked(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void maskMultiplyBackward(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void totalVariationGradient(Bandwidth bandwidth) {
        run(bandwidth);
    }

    /** An op of x, y (C x H x W) and mask (1 x H x W) into out (C x H x W), on either device. */
    @FunctionalInterface
    private interface Op {
        void run(Device d, Tensor x, Tensor y, Tensor mask, Tensor out);
    }

    /** An op that moves {@code maps} maps and {@code planes} mask planes, within {@code rtol} of the reference. */
    private static KernelOp op(String name, int maps, int planes, double rtol, Op op) {
        return KernelOp.plain(name, (cl, variant, size) -> {
            Shape s = BenchDevice.shape(size), p = s.withChannels(1);
            float[] x = BenchDevice.randoms(1, s.size()), y = BenchDevice.randoms(2, s.size());
            float[] m = BenchDevice.features(3, p.size());
            TrialSetup t = new TrialSetup(cl, FAMILY.name(), name, variant, size);
            Expected expected = t.expected(() -> {
                try (Tensor rx = t.reference.upload(s, x); Tensor ry = t.reference.upload(s, y);
                     Tensor rm = t.reference.upload(p, m)) {
                    return Expected.relative(t.referenceOutput(s, out -> op.run(t.reference, rx, ry, rm, out)), rtol);
                }
            });
            Tensor cx = t.upload(s, x), cy = t.upload(s, y), cm = t.upload(p, m);
            Tensor out = t.output(s);
            return t.trial(Work.floats((double) maps * s.size() + (double) planes * p.size()),
                    () -> op.run(cl, cx, cy, cm, out), out, expected);
        });
    }

    /** y += 0.5 x, in place: y is checked after the first run, and the timed runs keep adding to it. */
    private static VariantTrial axpy(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size);
        float[] x = BenchDevice.randoms(1, s.size()), y = BenchDevice.randoms(2, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "axpy", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor ry = t.reference.upload(s, y)) {
                t.reference.elementwise().axpy(0.5, rx, ry);
                return Expected.relative(Expected.widen(ry.toArray()), 1e-6);
            }
        });
        Tensor cx = t.upload(s, x), cy = t.upload(s, y);
        return t.trial(Work.floats(3.0 * s.size()), () -> cl.elementwise().axpy(0.5, cx, cy), cy, expected);
    }

    /** x scaled to norm 0.5 by a squared norm that lives on the device, as pass 2 normalises. */
    private static VariantTrial scaleByNorm(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), one = Shape.vector(1);
        float[] x = BenchDevice.randoms(1, s.size()), norm = {1234.5f};
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "scaleByNorm", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor rn = t.reference.upload(one, norm)) {
                return Expected.relative(t.referenceOutput(s, out -> t.reference.elementwise().scaleByNorm(rx, rn, 0.5, out)), 1e-6);
            }
        });
        Tensor cx = t.upload(s, x), cn = t.upload(one, norm);
        Tensor out = t.output(s);
        return t.trial(Work.floats(2.0 * s.size()), () -> cl.elementwise().scaleByNorm(cx, cn, 0.5, out), out, expected);
    }

    /** A module's gradient y, normalised by a squared norm on the device, joining x under a mask: pass 2's join. */
    private static VariantTrial addNormalizedMasked(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = s.withChannels(1), one = Shape.vector(1);
        float[] x = BenchDevice.randoms(1, s.size()), y = BenchDevice.randoms(2, s.size());
        float[] m = BenchDevice.features(3, p.size()), norm = {1234.5f};
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "addNormalizedMasked", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor ry = t.reference.upload(s, y);
                 Tensor rn = t.reference.upload(one, norm); Tensor rm = t.reference.upload(p, m)) {
                return Expected.relative(t.referenceOutput(s,
                        out -> t.reference.elementwise().addNormalizedMasked(rx, ry, rn, 0.5, rm, out)), 1e-5);
            }
        });
        Tensor cx = t.upload(s, x), cy = t.upload(s, y), cn = t.upload(one, norm), cm = t.upload(p, m);
        Tensor out = t.output(s);
        return t.trial(Work.floats(3.0 * s.size() + p.size()),
                () -> cl.elementwise().addNormalizedMasked(cx, cy, cn, 0.5, cm, out), out, expected);
    }

    private static VariantTrial maskMultiplyBackward(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = s.withChannels(1);
        float[] x = BenchDevice.randoms(1, s.size()), g = BenchDevice.randoms(2, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "maskMultiplyBackward", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor rg = t.reference.upload(s, g)) {
                return Expected.relative(t.referenceOutput(p, out -> t.reference.elementwise().maskMultiplyBackward(rx, rg, out)), 1e-5);
            }
        });
        Tensor cx = t.upload(s, x), cg = t.upload(s, g);
        Tensor out = t.output(p);
        return t.trial(Work.floats(2.0 * s.size() + p.size()), () -> cl.elementwise().maskMultiplyBackward(cx, cg, out), out, expected);
    }
}
