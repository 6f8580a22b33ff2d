package dev.painterly.engine.testing;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import org.junit.jupiter.api.Assertions;

import java.util.Random;
import java.util.function.Function;

/**
 * The one finite-difference checker: a function built from tape ops (one op, a chain, or a loss
 * module of the harmonizer) has its analytic gradient (the tape's backward on the Java reference in
 * double precision) compared with central finite differences of its forward, also in double.
 *
 * <p>The scalar checked is f(inputs) = sum(r * out(inputs)) for a random projection r, so the
 * backward is seeded with r and one run checks the whole vector-Jacobian product. A one-element
 * output (a loss) is seeded with 1 through {@link Tape#backward(Var)}, the way the job seeds it.
 * With step h = 1e-6 in double, the difference quotient is accurate to about 1e-9 relative
 * (truncation h^2 * f''' is ~1e-12; rounding is ~1e-16 * |f| / h). The tolerance is
 * |analytic - numeric| &lt;= 1e-5 * |numeric| + 1e-7 * max|r| * max|analytic| + 1e-8 * sum|r * out|: relative
 * to the element, to the largest gradient element (so that a loss with tiny gradients is checked as
 * strictly as one with large ones), and a hundred times the rounding of the quotient. It is loose
 * only to stay robust when a random input lands near a kink (ReLU at 0, a near-tie in max pooling);
 * the exact reference rounds nothing.
 */
public final class GradientCheck {

    static final double STEP = 1e-6;
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-7;
    static final double ROUNDING = 1e-8;

    private final JavaDevice device;
    private final Shape[] shapes;
    private final double[][] values;
    private final boolean[] needsGrad;
    private final Function<Var[], Var> op;

    private GradientCheck(JavaDevice device, Shape[] shapes, double[][] values, boolean[] needsGrad,
                          Function<Var[], Var> op) {
        this.device = device;
        this.shapes = shapes;
        this.values = values;
        this.needsGrad = needsGrad;
        this.op = op;
    }

    /** On a fresh exact reference; inputs uniform in [-1, 1) from the seed; every input needs a gradient. */
    public static void check(long seed, Function<Var[], Var> op, Shape... shapes) {
        check(JavaDevice.exact(), seed, op, shapes);
    }

    /**
     * On {@code device} (an exact reference that also holds the tensors {@code op} closes over,
     * such as a loss module's target and mask); inputs uniform in [-1, 1), all needing a gradient.
     */
    public static void check(JavaDevice device, long seed, Function<Var[], Var> op, Shape... shapes) {
        double[][] values = new double[shapes.length][];
        boolean[] needs = new boolean[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            values[i] = RandomTensors.uniformDoubles(seed + 31L * i, shapes[i].size());
            needs[i] = true;
        }
        check(device, seed, values, needs, op, shapes);
    }

    /** With given input values, only those with {@code needsGrad} being checked (the others are constants). */
    public static void check(JavaDevice device, long seed, double[][] values, boolean[] needsGrad,
                             Function<Var[], Var> op, Shape... shapes) {
        new GradientCheck(device, shapes, values, needsGrad, op).run(seed);
    }

    private void run(long seed) {
        double[] r;
        double[][] analytic = new double[shapes.length][];
        try (Tape tape = new Tape(device)) {
            Var[] vars = inputs(tape, values);
            Var out = op.apply(vars);
            if (out.shape().size() == 1) {
                r = new double[] {1};
                tape.backward(out);
            } else {
                r = RandomTensors.uniformDoubles(seed ^ 0x5DEECE66DL, out.shape().size());
                try (Tensor seedGrad = device.uploadDoubles(out.shape(), r)) {
                    tape.backward(out, seedGrad);
                }
            }
            for (int i = 0; i < vars.length; i++) {
                Tensor g = vars[i].grad();
                analytic[i] = g == null ? new double[shapes[i].size()] : device.downloadDoubles(g);
            }
            closeInputs(vars);
        }
        double largestR = 0, largestGradient = 0;
        for (double v : r) {
            largestR = Math.max(largestR, Math.abs(v));
        }
        for (int i = 0; i < shapes.length; i++) {
            if (needsGrad[i]) {
                for (double v : analytic[i]) {
                    largestGradient = Math.max(largestGradient, Math.abs(v));
                }
            }
        }
        double atol = ATOL * largestR * largestGradient + ROUNDING * projected(r, true);
        Random pick = new Random(seed);
        for (int i = 0; i < shapes.length; i++) {
            if (!needsGrad[i]) {
                continue;
            }
            int n = shapes[i].size();
            // Every element for small inputs; a random sample of 200 for large ones.
            int checks = Math.min(n, 200);
            for (int k = 0; k < checks; k++) {
                int j = n <= 200 ? k : pick.nextInt(n);
                double saved = values[i][j];
                values[i][j] = saved + STEP;
                double plus = projected(r, false);
                values[i][j] = saved - STEP;
                double minus = projected(r, false);
                values[i][j] = saved;
                double numeric = (plus - minus) / (2 * STEP);
                double err = Math.abs(analytic[i][j] - numeric);
                if (!(err <= RTOL * Math.abs(numeric) + atol)) {
                    Assertions.fail(String.format("input %d %s element %d: analytic %.10g vs finite difference %.10g",
                            i, shapes[i], j, analytic[i][j], numeric));
                }
            }
        }
    }

    /** f = sum(r * out(values)) evaluated on a fresh tape, or sum(|r * out(values)|), the scale of its rounding. */
    private double projected(double[] r, boolean magnitude) {
        try (Tape tape = new Tape(device)) {
            Var[] vars = inputs(tape, values);
            Var out = op.apply(vars);
            double[] y = out.shape().size() == 1 ? new double[] {out.scalar()} : device.downloadDoubles(out.value());
            closeInputs(vars);
            double f = 0;
            for (int k = 0; k < y.length; k++) {
                f += magnitude ? Math.abs(r[k] * y[k]) : r[k] * y[k];
            }
            return f;
        }
    }

    private Var[] inputs(Tape tape, double[][] vals) {
        Var[] vars = new Var[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            Tensor t = device.uploadDoubles(shapes[i], vals[i]);
            vars[i] = needsGrad[i] ? tape.leaf(t) : tape.constant(t);
        }
        return vars;
    }

    private static void closeInputs(Var[] vars) {
        for (Var v : vars) {
            v.value().close();
        }
    }
}
