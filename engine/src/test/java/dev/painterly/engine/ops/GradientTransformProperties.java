package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The gradient-transform node rewrites the arriving gradient, which is no derivative to check by
 * finite differences; instead its result is compared with the rule computed here in double:
 * g = ((arriving + extra) * mask) normalised to unit L2 norm and scaled, then masked again (the
 * pass-2 order), then scaled (pass 1's weighting); and a module's gradient joining the network's,
 * given whole or on its columns. Tolerance: 1e-6 relative on the exact reference, 1e-4 on OpenCL
 * (float32 sums).
 */
class GradientTransformProperties {

    private static final double SCALE = -0.75;

    private static double[] expected(double[] arriving, double[] extra, double[] mask, int plane, float weight) {
        int n = extra.length;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = ((arriving == null ? 0 : arriving[i]) + extra[i]) * mask[i % plane];
        }
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            g[i] = g[i] * weight / (norm + 1e-8) * mask[i % plane] * SCALE;
        }
        return g;
    }

    private static void run(Device d, int c, int h, int w, long seed, boolean arrives, double rtol, double atol) {
        Shape s = Shape.of(c, h, w);
        double[] x = RandomTensors.uniformDoubles(seed, s.size());
        double[] arriving = RandomTensors.uniformDoubles(seed + 1, s.size());
        double[] extra = RandomTensors.uniformDoubles(seed + 2, s.size());
        double[] mask = RandomTensors.uniformDoubles(seed + 3, h * w);
        float weight = 2.5f;
        try (Tensor xt = upload(d, s, x); Tensor et = upload(d, s, extra); Tensor mt = upload(d, s.withChannels(1), mask);
             Tensor seedGrad = upload(d, s, arriving); Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            Var out = GradientTransform.apply(in, List.of(new GradientTransform.AddGradient(et),
                    new GradientTransform.Mask(mt), new GradientTransform.NormalizeAndScale(weight),
                    new GradientTransform.Mask(mt), new GradientTransform.Scale(SCALE)));
            if (arrives) {
                tape.backward(out, seedGrad);
            } else {
                tape.backward();
            }
            double[] want = expected(arrives ? arriving : null, extra, mask, h * w, weight);
            float[] got = in.grad().toArray();
            double[] gotD = new double[got.length];
            for (int i = 0; i < got.length; i++) {
                gotD[i] = got[i];
            }
            Compare.close(want, gotD, rtol, atol, "gradient transform");
        }
    }

    /**
     * The other orders: steps on a gradient that has not arrived (zero, so masking and
     * normalising it leave zero), then an add with no mask after it: ((a m) / (|a m| + 1e-8) w + e) s.
     */
    private static void runUnfused(Device d, int c, int h, int w, long seed, boolean arrives, double rtol, double atol) {
        Shape s = Shape.of(c, h, w);
        int plane = h * w;
        double[] arriving = RandomTensors.uniformDoubles(seed + 1, s.size());
        double[] extra = RandomTensors.uniformDoubles(seed + 2, s.size());
        double[] mask = RandomTensors.uniformDoubles(seed + 3, plane);
        float weight = 2.5f;
        try (Tensor xt = upload(d, s, new double[s.size()]); Tensor et = upload(d, s, extra);
             Tensor mt = upload(d, s.withChannels(1), mask); Tensor seedGrad = upload(d, s, arriving);
             Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            Var out = GradientTransform.apply(in, List.of(new GradientTransform.Mask(mt),
                    new GradientTransform.NormalizeAndScale(weight), new GradientTransform.AddGradient(et),
                    new GradientTransform.Scale(SCALE)));
            if (arrives) {
                tape.backward(out, seedGrad);
            } else {
                tape.backward();
            }
            double[] want = new double[s.size()];
            double norm = 0;
            for (int i = 0; i < want.length; i++) {
                want[i] = arrives ? arriving[i] * mask[i % plane] : 0;
                norm += want[i] * want[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < want.length; i++) {
                want[i] = (want[i] * weight / (norm + 1e-8) + extra[i]) * SCALE;
            }
            float[] got = in.grad().toArray();
            double[] gotD = new double[got.length];
            for (int i = 0; i < got.length; i++) {
                gotD[i] = got[i];
            }
            Compare.close(want, gotD, rtol, atol, "gradient transform, unfused steps");
        }
    }

    private static Tensor upload(Device d, Shape s, double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
            v[i] = f[i];
        }
        return d.upload(s, f);
    }

    @Property(tries = 30)
    void onReference(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                     @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives, @ForAll long seed) {
        run(JavaDevice.exact(), c, h, w, seed, arrives, 1e-6, 1e-9);
    }

    @Property(tries = 30)
    void unfusedStepsOnReference(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                                 @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives, @ForAll long seed) {
        runUnfused(JavaDevice.exact(), c, h, w, seed, arrives, 1e-6, 1e-9);
    }

    @Property(tries = 30)
    void unfusedStepsOnOpenCl(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                              @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives, @ForAll long seed) {
        runUnfused(TestDevices.openCl(), c, h, w, seed, arrives, 1e-4, 1e-6);
    }

    @Property(tries = 30)
    void onOpenCl(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                  @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives, @ForAll long seed) {
        run(TestDevices.openCl(), c, h, w, seed, arrives, 1e-4, 1e-6);
    }

    /**
     * A module's own gradient joining the network's: {@code AddGradient(extra, weighting), Mask}
     * gives (arriving + f extra) * mask, with f = w for Scale(w) and w / (|extra| + 1e-8) for
     * NormalizeAndScale(w), the norm being the unmasked extra's. A tiny extra (entries near 1e-9)
     * has a norm the 1e-8 is not small against, so that its place in the formula shows. On
     * {@code columns}, extra is 0 at about a third of the positions and is given as
     * {@code AddColumns} of the others: the same rule.
     */
    private static void runJoin(Device d, int c, int h, int w, long seed, boolean arrives, boolean normalized,
                                boolean tiny, boolean columns, double rtol, double atol) {
        Shape s = Shape.of(c, h, w);
        int plane = h * w;
        double[] arriving = RandomTensors.uniformDoubles(seed + 1, s.size());
        double[] extra = RandomTensors.uniformDoubles(seed + 2, s.size());
        for (int i = 0; tiny && i < extra.length; i++) {
            extra[i] *= 2e-9;
        }
        double[] taken = new double[plane];
        java.util.Random zeros = new java.util.Random(seed + 4);
        for (int p = 0; p < plane; p++) {
            taken[p] = !columns || zeros.nextInt(3) > 0 ? 1 : 0;
        }
        for (int i = 0; i < extra.length; i++) {
            extra[i] *= taken[i % plane];
        }
        double[] mask = RandomTensors.uniformDoubles(seed + 3, plane);
        float weight = -1.5f;
        try (Tensor xt = upload(d, s, new double[s.size()]); Tensor et = upload(d, s, extra);
             Tensor mt = upload(d, s.withChannels(1), mask); Tensor seedGrad = upload(d, s, arriving);
             Tensor tt = upload(d, s.withChannels(1), taken); Columns cols = Columns.of(tt);
             Tensor compact = cols.gather(et); Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            GradientTransform.Weighting weighting = normalized
                    ? new GradientTransform.NormalizeAndScale(weight) : new GradientTransform.Scale(weight);
            GradientTransform.Step add = columns ? new GradientTransform.AddColumns(compact, cols, weighting)
                    : new GradientTransform.AddGradient(et, weighting);
            Var out = GradientTransform.apply(in, List.of(add, new GradientTransform.Mask(mt)));
            if (arrives) {
                tape.backward(out, seedGrad);
            } else {
                tape.backward();
            }
            double norm = 0;
            for (double v : extra) {
                norm += v * v;
            }
            double f = normalized ? weight / (Math.sqrt(norm) + 1e-8) : weight;
            double[] want = new double[s.size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = ((arrives ? arriving[i] : 0) + f * extra[i]) * mask[i % plane];
            }
            float[] got = in.grad().toArray();
            double[] gotD = new double[got.length];
            for (int i = 0; i < got.length; i++) {
                gotD[i] = got[i];
            }
            Compare.close(want, gotD, rtol, atol, "weighted join" + (normalized ? ", normalised" : "") + (tiny ? ", tiny" : "")
                    + (columns ? ", on columns" : ""));
        }
    }

    @Property(tries = 30)
    void weightedJoinOnReference(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                                 @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives,
                                 @ForAll boolean normalized, @ForAll boolean tiny, @ForAll boolean columns,
                                 @ForAll long seed) {
        runJoin(JavaDevice.exact(), c, h, w, seed, arrives, normalized, tiny, columns, 1e-6, 1e-9);
    }

    @Property(tries = 30)
    void weightedJoinOnOpenCl(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 12) int h,
                              @ForAll @IntRange(min = 1, max = 12) int w, @ForAll boolean arrives,
                              @ForAll boolean normalized, @ForAll boolean tiny, @ForAll boolean columns,
                              @ForAll long seed) {
        runJoin(TestDevices.openCl(), c, h, w, seed, arrives, normalized, tiny, columns, 1e-4, 1e-6);
    }

    /** Added columns are only joined with the mask after them, so they cannot stand alone. */
    @Example
    void addedColumnsNeedAMaskAfterThem() {
        Device d = JavaDevice.exact();
        try (Tensor xt = d.upload(Shape.of(1, 1, 3), new float[3]); Tensor m = d.upload(Shape.of(1, 1, 3), new float[] {1, 0, 1});
             Columns cols = Columns.of(m); Tensor values = cols.gather(xt); Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            assertThrows(IllegalArgumentException.class, () -> GradientTransform.apply(in,
                    List.of(new GradientTransform.AddColumns(values, cols, new GradientTransform.Scale(1)))));
        }
    }

    /** The kernel trusts the columns to fit the gradient and the values to be theirs, so the step checks both. */
    @Example
    void addedColumnsMustBeTheGradientsAndTheirValuesTheirs() {
        Device d = JavaDevice.exact();
        try (Tensor xt = d.upload(Shape.of(1, 1, 3), new float[3]); Tensor mt = d.upload(Shape.of(1, 1, 3), new float[] {1, 1, 1});
             Tensor other = d.upload(Shape.of(1, 3, 1), new float[] {1, 0, 1}); Tensor some = d.upload(Shape.of(1, 1, 3), new float[] {1, 0, 1});
             Columns otherPlane = Columns.of(other); Columns fewer = Columns.of(some); Columns all = Columns.of(mt);
             Tensor two = fewer.gather(xt); Tensor three = all.gather(xt); Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            GradientTransform.Scale w = new GradientTransform.Scale(1);
            assertThrows(IllegalArgumentException.class, () -> GradientTransform.apply(in,
                    List.of(new GradientTransform.AddColumns(two, otherPlane, w), new GradientTransform.Mask(mt))));
            assertThrows(IllegalArgumentException.class, () -> GradientTransform.apply(in,
                    List.of(new GradientTransform.AddColumns(three, fewer, w), new GradientTransform.Mask(mt))));
        }
    }

    /** Normalising an added gradient is only fused with the mask after it, so it cannot stand alone. */
    @Example
    void aNormalisedAddNeedsAMaskAfterIt() {
        Device d = JavaDevice.exact();
        try (Tensor xt = d.upload(Shape.vector(3), new float[3]); Tensor et = d.upload(Shape.vector(3), new float[] {1, 2, 3});
             Tape tape = new Tape(d)) {
            Var in = tape.leaf(xt);
            assertThrows(IllegalArgumentException.class, () -> GradientTransform.apply(in,
                    List.of(new GradientTransform.AddGradient(et, new GradientTransform.NormalizeAndScale(1)))));
        }
    }
}
