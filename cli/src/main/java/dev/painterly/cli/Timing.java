package dev.painterly.cli;

import java.util.Arrays;

/** Repeated wall-clock timings of a piece of work, after one warm-up run. */
final class Timing {

    private Timing() {
    }

    /** Seconds of each of {@code repeat} runs after a warm-up, sorted. */
    static double[] measure(int repeat, Runnable work) {
        work.run();
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** "HxW" into {height, width}. */
    static int[] size(String text) {
        String[] parts = text.toLowerCase().split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("size must be HxW, e.g. 384x512, got " + text);
        }
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }
}
