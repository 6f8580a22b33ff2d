package dev.painterly.engine.testing;

import org.junit.jupiter.api.Assertions;

/**
 * Float comparisons with stated tolerances. An element passes when
 * |actual - expected| &lt;= atol + rtol * |expected|; NaN (the poison) never passes.
 */
public final class Compare {

    private Compare() {
    }

    public static void close(float[] expected, float[] actual, double rtol, double atol, String what) {
        Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double err = Math.abs(a - e);
            if (!(err <= atol + rtol * Math.abs(e))) {
                Assertions.fail(String.format("%s: element %d of %d: expected %.9g, got %.9g (|err| %.3g > %.3g)",
                        what, i, expected.length, e, a, err, atol + rtol * Math.abs(e)));
            }
        }
    }

    public static void close(double[] expected, double[] actual, double rtol, double atol, String what) {
        Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double err = Math.abs(a - e);
            if (!(err <= atol + rtol * Math.abs(e))) {
                Assertions.fail(String.format("%s: element %d of %d: expected %.12g, got %.12g (|err| %.3g > %.3g)",
                        what, i, expected.length, e, a, err, atol + rtol * Math.abs(e)));
            }
        }
    }

    /** Element i passes when |actual - expected| &lt;= tolerance[i]. */
    public static void within(float[] expected, float[] actual, double[] tolerance, String what) {
        within(widen(expected), widen(actual), tolerance, what);
    }

    public static void within(double[] expected, double[] actual, double[] tolerance, String what) {
        Assertions.assertEquals(tolerance.length, expected.length, what + ": length of the expected");
        Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tolerance[i])) {
                Assertions.fail(String.format("%s: element %d of %d: expected %.9g, got %.9g (|err| %.3g > %.3g)",
                        what, i, expected.length, expected[i], actual[i], err, tolerance[i]));
            }
        }
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    public static void close(double expected, double actual, double rtol, double atol, String what) {
        double err = Math.abs(actual - expected);
        if (!(err <= atol + rtol * Math.abs(expected))) {
            Assertions.fail(String.format("%s: expected %.12g, got %.12g (|err| %.3g)", what, expected, actual, err));
        }
    }

    /** Largest absolute value, used to scale absolute tolerances to the data. */
    public static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Largest absolute value of doubles. */
    public static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
