package dev.painterly.engine.testing;

import java.util.Random;

/** Seeded random data for property tests (jqwik supplies the seeds and shapes). */
public final class RandomTensors {

    private RandomTensors() {
    }

    /** Uniform in [-1, 1). */
    public static float[] uniform(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return v;
    }

    /** Uniform in [0, 1): masks. */
    public static float[] unit(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    public static double[] uniformDoubles(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return v;
    }
}
