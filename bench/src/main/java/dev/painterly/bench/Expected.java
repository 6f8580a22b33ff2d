package dev.painterly.bench;

import java.util.Optional;

/**
 * The Java reference's result of an op and how close a variant's must come: every element within
 * {@code atol}, NaN (the poison an output holds before its first run) never passing. An expected
 * NaN marks an element not checked (matching checks a sample of its queries).
 */
record Expected(double[] values, double atol) {

    /** Within {@code rtol} of the largest |value|: for results whose rounding scales with their size. */
    static Expected relative(double[] values, double rtol) {
        double max = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return new Expected(values, rtol * max);
    }

    static Expected exact(double[] values) {
        return new Expected(values, 0);
    }

    /** Empty when {@code actual} passes, else the first element that does not. */
    Optional<String> compare(double[] actual) {
        if (actual.length != values.length) {
            return Optional.of("length " + actual.length + ", expected " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            double e = values[i], a = actual[i];
            if (!Double.isNaN(e) && !(Math.abs(a - e) <= atol)) {
                return Optional.of(String.format("element %d of %d: expected %.9g, got %.9g (|err| %.3g > %.3g)", i,
                        values.length, e, a, Math.abs(a - e), atol));
            }
        }
        return Optional.empty();
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
