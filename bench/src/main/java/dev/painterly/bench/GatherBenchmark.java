package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.ops.Columns;
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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Gather and scatter (memory-bound; one kernel each, the plain one) as a pass moves the pixels
 * its loose mask lets change to and from L-BFGS's vector: by default the 28 % of a 682 x 700 RGB
 * image that example 0's loose mask covers. Their column versions as the loss modules read a
 * layer's map where its mask is not 0, and pass 2's join of a module's gradient on those columns
 * with the network's: a relu1_1-sized map of a 700 px pass-2 window (64 x 416 x 544) with 40 % of
 * its positions covered. Every op runs at both default
 * sizes. Sizes are C x H x W : percent of the entries, chosen at random in ascending order (for
 * the column ops: of the plane's positions, a centred disc, since a mask's support comes in runs
 * along its rows).
 * Work: the floats moved, each position read and each value read and written once (the column
 * ops: each column value read and written, and scatterColumns' whole output written; the join:
 * the map read and written, the columns and the mask read). Checked against the reference:
 * exactly where the values move unchanged, within 1e-5 of the largest for the join.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GatherBenchmark extends VariantBenchmark {

    static final KernelFamily FAMILY = new KernelFamily("gather", List.of("3x682x700:28", "64x416x544:40"),
            "3x96x128:30", List.of(KernelOp.plain("gather", GatherBenchmark::gather),
                    KernelOp.plain("scatter", GatherBenchmark::scatter),
                    KernelOp.plain("gatherColumns", GatherBenchmark::gatherColumns),
                    KernelOp.plain("scatterColumns", GatherBenchmark::scatterColumns),
                    KernelOp.plain("addNormalizedColumnsMasked", GatherBenchmark::addNormalizedColumnsMasked)));

    /** C x H x W : percent. */
    @Param({"3x682x700:28", "64x416x544:40"})
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
    public void gather(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void scatter(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void gatherColumns(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void scatterColumns(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void addNormalizedColumnsMasked(Bandwidth bandwidth) {
        run(bandwidth);
    }

    private static VariantTrial gather(OpenClDevice cl, String variant, String size) {
        Shape s = shape(size);
        float[] positions = positions(s.size(), percent(size));
        Shape m = Shape.vector(positions.length);
        float[] source = BenchDevice.randoms(1, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "gather", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rs = t.reference.upload(s, source); Tensor rp = t.reference.upload(m, positions)) {
                return new Expected(t.referenceOutput(m, out -> t.reference.gather().gather(rs, rp, out)), 0);
            }
        });
        Tensor cs = t.upload(s, source), cp = t.upload(m, positions);
        Tensor out = t.output(m);
        return t.trial(Work.floats(3.0 * positions.length), () -> cl.gather().gather(cs, cp, out), out, expected);
    }

    private static VariantTrial scatter(OpenClDevice cl, String variant, String size) {
        Shape s = shape(size);
        float[] positions = positions(s.size(), percent(size));
        Shape m = Shape.vector(positions.length);
        float[] values = BenchDevice.randoms(1, positions.length), base = BenchDevice.randoms(2, s.size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "scatter", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rv = t.reference.upload(m, values); Tensor rp = t.reference.upload(m, positions)) {
                return new Expected(t.referenceOutput(s, out -> {
                    t.reference.write(out, base);
                    t.reference.gather().scatter(rv, rp, out);
                }), 0);
            }
        });
        Tensor cv = t.upload(m, values), cp = t.upload(m, positions);
        // Scatter writes only its positions: the rest of the output is the base it starts from.
        Tensor out = t.upload(s, base);
        return t.trial(Work.floats(3.0 * positions.length), () -> cl.gather().scatter(cv, cp, out), out, expected);
    }

    private static VariantTrial gatherColumns(OpenClDevice cl, String variant, String size) {
        Disc disc = Disc.of(size);
        float[] source = BenchDevice.randoms(1, disc.map().size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "gatherColumns", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rs = t.reference.upload(disc.map(), source); Tensor rg = t.reference.upload(disc.segmentShape(), disc.segments())) {
                return new Expected(t.referenceOutput(disc.compact(), out -> t.reference.gather().gatherColumns(rs, rg, out)), 0);
            }
        });
        Tensor cs = t.upload(disc.map(), source), cg = t.upload(disc.segmentShape(), disc.segments());
        Tensor out = t.output(disc.compact());
        return t.trial(Work.floats(2.0 * disc.compact().size()), () -> cl.gather().gatherColumns(cs, cg, out), out, expected);
    }

    private static VariantTrial scatterColumns(OpenClDevice cl, String variant, String size) {
        Disc disc = Disc.of(size);
        float[] values = BenchDevice.randoms(1, disc.compact().size());
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "scatterColumns", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rv = t.reference.upload(disc.compact(), values); Tensor rg = t.reference.upload(disc.segmentShape(), disc.segments())) {
                return new Expected(t.referenceOutput(disc.map(), out -> t.reference.gather().scatterColumns(rv, rg, out)), 0);
            }
        });
        Tensor cv = t.upload(disc.compact(), values), cg = t.upload(disc.segmentShape(), disc.segments());
        Tensor out = t.output(disc.map());
        return t.trial(Work.floats(disc.compact().size() + (double) disc.map().size()),
                () -> cl.gather().scatterColumns(cv, cg, out), out, expected);
    }

    /** Pass 2's join: g read, out written (the objective's out is g), mask and values read. */
    private static VariantTrial addNormalizedColumnsMasked(OpenClDevice cl, String variant, String size) {
        Disc disc = Disc.of(size);
        Shape plane = disc.map().withChannels(1);
        float[] g = BenchDevice.randoms(1, disc.map().size()), values = BenchDevice.randoms(2, disc.compact().size());
        float[] mask = BenchDevice.features(3, plane.size()), norm = {12.5f};
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "addNormalizedColumnsMasked", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor ra = t.reference.upload(disc.map(), g); Tensor rv = t.reference.upload(disc.compact(), values);
                 Tensor rg = t.reference.upload(disc.segmentShape(), disc.segments());
                 Tensor rm = t.reference.upload(plane, mask); Tensor rn = t.reference.upload(Shape.vector(1), norm)) {
                return Expected.relative(t.referenceOutput(disc.map(),
                        out -> t.reference.gather().addNormalizedColumnsMasked(ra, rv, rg, rn, 0.7, rm, out)), 1e-5);
            }
        });
        Tensor ca = t.upload(disc.map(), g), cv = t.upload(disc.compact(), values);
        Tensor cg = t.upload(disc.segmentShape(), disc.segments()), cm = t.upload(plane, mask);
        Tensor cn = t.upload(Shape.vector(1), norm), out = t.output(disc.map());
        return t.trial(Work.floats(2.0 * disc.map().size() + disc.compact().size() + plane.size()),
                () -> cl.gather().addNormalizedColumnsMasked(ca, cv, cg, cn, 0.7, cm, out), out, expected);
    }

    /**
     * The column ops' input: a C x H x W map whose plane a centred disc (an ellipse on a
     * non-square plane) covers to about percent %, at least one position, as a mask's support;
     * its segments, and how many columns they take.
     */
    private record Disc(Shape map, float[] segments, int count) {

        static Disc of(String size) {
            Shape s = shape(size);
            int height = s.height(), width = s.width();
            float[] mask = new float[height * width];
            double r2 = percent(size) / 100.0 / Math.PI * 4;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double u = (2.0 * y + 1) / height - 1, v = (2.0 * x + 1) / width - 1;
                    mask[y * width + x] = u * u + v * v <= r2 ? 1 : 0;
                }
            }
            mask[(height / 2) * width + width / 2] = 1;
            return new Disc(s, Columns.segments(mask), Columns.taken(mask));
        }

        /** C x 1 x count: the columns side by side. */
        Shape compact() {
            return Shape.of(map.channels(), 1, count);
        }

        Shape segmentShape() {
            return Shape.vector(segments.length);
        }
    }

    private static Shape shape(String size) {
        if (!size.matches("[^:]+:([1-9][0-9]?|100)")) {
            throw new IllegalArgumentException("gather sizes are CxHxW:percent (1 to 100), e.g. 3x96x128:30, got " + size);
        }
        return BenchDevice.shape(size.split(":")[0]);
    }

    private static int percent(String size) {
        return Integer.parseInt(size.split(":")[1]);
    }

    /** About percent % of the indices below n (at least one), ascending, at random but the same for a size. */
    private static float[] positions(int n, int percent) {
        Random random = new Random(3);
        float[] all = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(100) < percent) {
                all[m++] = i;
            }
        }
        if (m == 0) {
            all[m++] = 0;
        }
        return Arrays.copyOf(all, m);
    }
}
