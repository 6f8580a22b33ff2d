package dev.painterly.cli;

import java.util.Locale;

/**
 * About how long a job would take on the plain-Java backend ({@code --device java}), for the
 * advice given when there is no OpenCL device. Each L-BFGS iteration runs VGG-19 forward and
 * backward over the working image, so the time grows with pixels x iterations and shrinks with
 * the cores the backend spreads over. The constant was measured on a 2-core machine with
 * {@code time ./painterly demo --device java --size 96 --iterations 10,10}: 110 s of CPU time
 * (user) for 96x72 pixels and 20 iterations, 8.0e-4 core-seconds per pixel and iteration (with
 * {@code --size 128}: 175 s for 128x96, 7.1e-4); that puts the 192 px demo (150,150) at about an
 * hour on 2 cores, close to the hour a run of it was reported to take (issue 12).
 */
final class JavaBackendTime {

    static final double CORE_SECONDS_PER_PIXEL_ITERATION = 8e-4;

    private JavaBackendTime() {
    }

    /** Seconds for {@code pixels} (working size) times {@code iterations} (all passes) on {@code cores}. */
    static double seconds(long pixels, long iterations, int cores) {
        return CORE_SECONDS_PER_PIXEL_ITERATION * pixels * iterations / Math.max(1, cores);
    }

    /** Pixels of the working image: the longer side {@code size}, the aspect ratio kept. */
    static long workingPixels(int height, int width, int size) {
        int longer = Math.max(height, width), shorter = Math.min(height, width);
        return (long) size * Math.max(1, Math.round((double) size * shorter / longer));
    }

    /** "about 40 min", rounded as coarsely as an estimate deserves. */
    static String about(double seconds) {
        if (seconds < 60) {
            return "under a minute";
        }
        if (seconds < 3600) {
            return "about " + Math.round(seconds / 60) + " min";
        }
        if (seconds < 48 * 3600) {
            double hours = seconds / 3600;
            return "about " + (hours < 10 ? String.format(Locale.ROOT, "%.1f", hours).replace(".0", "") : Math.round(hours)) + " h";
        }
        return "about " + Math.round(seconds / 86400) + " days";
    }
}
