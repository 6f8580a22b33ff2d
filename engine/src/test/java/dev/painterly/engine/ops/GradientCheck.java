package dev.painterly.engine.ops;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.RandomTensors;
import org.junit.jupiter.api.Assertions;

import java.util.Random;
import java.util.function.Function;

/**
 * Checks an op's analytic gradient (the tape's backward on the Java reference in double
 * precision) against central finite differences of its forward, also in double.
 *
 * <p>The scalar checked is f(inputs) = sum(r * op(inputs)) for a random projection r, so the
 * backward is seeded with r and one run checks the whole vector-Jacobian product. With step
 * h = 1e-6 in double, the difference quotient is accurate to about 1e-9 relative (truncation
 * h^2 * f''' is ~1e-12; rounding is ~1e-16 * |f| / h). The tolerance, |analytic - numeric| &lt;=
 * 1e-5 * |numeric| + 1e-7 * scale, is loose only to stay robust when a random input lands near
 * a kink (ReLU at 0, a near-tie in max pooling); the exact reference rounds nothing.
 */
final class GradientCheck {

    static final double STEP = 1e-6;
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-7;

    private final JavaDevice device = JavaDevice.exact();
    private final Shape[] shapes;
    private final double[][] values;
    private final boolean[] needsGrad;
    private final Function<Var[], Var> op;

    private GradientCheck(Shape[] shapes, double[][] values, boolean[] needsGrad, Function<Var[], Var> op) {
        this.shapes = shapes;
        this.values = values;
        this.needsGrad = needsGrad;
        this.op = op;
    }

    /** Inputs uniform in [-1, 1) from the seed; every input needs a gradient. */
    static void check(long seed, Function<Var[], Var> op, Shape... shapes) {
        double[][] values = new double[shapes.length][];
        boolean[] needs = new boolean[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            values[i] = RandomTensors.uniformDoubles(seed + 31L * i, shapes[i].size());
            needs[i] = true;
        }
        check(seed, values, needs, op, shapes);
    }

    static void check(long seed, double[][] values, boolean[] needsGrad, Function<Var[], Var> op, Shape... shapes) {
        new GradientCheck(shapes, values, needsGrad, op).run(seed);
    }

    private void run(long seed) {
        double[] r;
        double[][] analytic = new double[shapes.length][];
        try (Tape tape = new Tape(device)) {
            Var[] vars = inputs(tape, values);
            Var out = op.apply(vars);
            r = RandomTensors.uniformDoubles(seed ^ 0x5DEECE66DL, out.shape().size());
            try (Tensor seedGrad = device.uploadDoubles(out.shape(), r)) {
                tape.backward(out, seedGrad);
            }
            for (int i = 0; i < vars.length; i++) {
                Tensor g = vars[i].grad();
                analytic[i] = g == null ? new double[shapes[i].size()] : device.downloadDoubles(g);
            }
            closeInputs(vars);
        }
        double scale = 1;
        for (double v : r) {
            scale = Math.max(scale, Math.abs(v));
        }
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
                double plus = projected(r);
                values[i][j] = saved - STEP;
                double minus = projected(r);
                values[i][j] = saved;
                double numeric = (plus - minus) / (2 * STEP);
                double err = Math.abs(analytic[i][j] - numeric);
                if (!(err <= RTOL * Math.abs(numeric) + ATOL * scale)) {
                    Assertions.fail(String.format("input %d %s element %d: analytic %.10g vs finite difference %.10g",
                            i, shapes[i], j, analytic[i][j], numeric));
                }
            }
        }
    }

    /** f = sum(r * op(values)) evaluated on a fresh tape. */
    private double projected(double[] r) {
        try (Tape tape = new Tape(device)) {
            Var[] vars = inputs(tape, values);
            Var out = op.apply(vars);
            double[] y = out.shape().size() == 1 ? new double[] {out.scalar()} : device.downloadDoubles(out.value());
            closeInputs(vars);
            double f = 0;
            for (int k = 0; k < y.length; k++) {
                f += r[k] * y[k];
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
