package dev.painterly.bench;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The post-processing ops (each has one kernel set, the plain one) with the harmonizer's settings
 * on a 3 x H x W image: the colour-guided filter (radius 2, eps 0.01), PatchMatch (7x7 patches,
 * 5 iterations, queries a centred disc of a tenth of the positions, as the post-processing's
 * query region) and patch voting (7x7, a random field). Work: the image's megapixels (these ops
 * are neither FLOP- nor bandwidth-bound in a way one count captures). Checked against the
 * reference as PostProcessKernelProperties does: PatchMatch exactly, voting within 1e-5, the
 * guided filter within (1e-6 + 1e-7 / eps) of the input's range.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PostProcessBenchmark extends VariantBenchmark {

    private static final int GUIDED_RADIUS = 2;
    private static final double GUIDED_EPS = 0.01;
    private static final int PATCH_RADIUS = 3;
    private static final int ITERATIONS = 5;

    static final KernelFamily FAMILY = new KernelFamily("post-processing", List.of("3x273x350"), "3x48x64", List.of(
            KernelOp.plain("guidedFilter", PostProcessBenchmark::guidedFilter),
            KernelOp.plain("patchMatch", PostProcessBenchmark::patchMatch),
            KernelOp.plain("vote", PostProcessBenchmark::vote)));

    @Param({"3x273x350"})
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
    public void guidedFilter() {
        run();
    }

    @Benchmark
    public void patchMatch() {
        run();
    }

    @Benchmark
    public void vote() {
        run();
    }

    /** Colours in [0, 1). */
    private static float[] colours(long seed, int n) {
        float[] v = BenchDevice.randoms(seed, n);
        for (int i = 0; i < n; i++) {
            v[i] = (v[i] + 1) / 2;
        }
        return v;
    }

    private static VariantTrial guidedFilter(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size);
        float[] guide = colours(1, s.size()), input = colours(2, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "guidedFilter", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rg = t.reference.upload(s, guide); Tensor ri = t.reference.upload(s, input)) {
                return new Expected(t.referenceOutput(s, out -> t.reference.postProcess().guidedFilter(rg, ri, GUIDED_RADIUS,
                        GUIDED_EPS, out)), 1e-6 + 1e-7 / GUIDED_EPS);
            }
        });
        Tensor cg = t.upload(s, guide), ci = t.upload(s, input);
        Tensor out = t.output(s);
        return t.trial(Work.megapixels(s.plane()), () -> cl.postProcess().guidedFilter(cg, ci, GUIDED_RADIUS, GUIDED_EPS, out), out,
                expected);
    }

    private static VariantTrial patchMatch(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = s.withChannels(1);
        float[] a = colours(1, s.size()), b = colours(2, s.size());
        float[] query = MatchingBenchmark.mask(s.height(), s.width(),
                MatchingBenchmark.disc(s.height(), s.width(), s.plane() / 10));
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "patchMatch", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor ra = t.reference.upload(s, a); Tensor rb = t.reference.upload(s, b);
                 Tensor rq = t.reference.upload(p, query)) {
                return Expected.exact(t.referenceOutput(p, out -> t.reference.postProcess().patchMatch(ra, rb, rq, PATCH_RADIUS,
                        ITERATIONS, 1, out)));
            }
        });
        Tensor ca = t.upload(s, a), cb = t.upload(s, b), cq = t.upload(p, query);
        Tensor out = t.output(p);
        return t.trial(Work.megapixels(s.plane()), () -> cl.postProcess().patchMatch(ca, cb, cq, PATCH_RADIUS, ITERATIONS, 1, out),
                out, expected);
    }

    private static VariantTrial vote(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), p = s.withChannels(1);
        float[] b = colours(1, s.size());
        float[] nnf = new float[p.size()];
        Random random = new Random(2);
        for (int i = 0; i < nnf.length; i++) {
            nnf[i] = random.nextInt(10) == 0 ? -1 : random.nextInt(p.size());
        }
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "vote", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rn = t.reference.upload(p, nnf); Tensor rb = t.reference.upload(s, b)) {
                return new Expected(t.referenceOutput(s, out -> t.reference.postProcess().vote(rn, rb, PATCH_RADIUS, out)), 1e-5);
            }
        });
        Tensor cn = t.upload(p, nnf), cb = t.upload(s, b);
        Tensor out = t.output(s);
        return t.trial(Work.megapixels(s.plane()), () -> cl.postProcess().vote(cn, cb, PATCH_RADIUS, out), out, expected);
    }
}
