package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.harmonizer.HarmonizeListener;
import dev.painterly.harmonizer.LossRecord;
import dev.painterly.harmonizer.PixelBox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * When each L-BFGS iteration of a job's passes ended, and which evaluations and divergences came
 * when: enough to time the iterations after a warm-up. It reads the clock only; it never
 * downloads the image.
 */
final class PassClock implements HarmonizeListener {

    /** One pass's record: iteration end times (ns), evaluations and divergences, each at the iteration count when it came. */
    static final class Pass {
        private final List<Long> ends = new ArrayList<>();
        private final List<Integer> evaluationsAt = new ArrayList<>();
        private final List<Integer> divergencesAt = new ArrayList<>();
        private PixelBox window;

        /** The part of the image the pass optimised. */
        PixelBox window() {
            return window;
        }

        int iterations() {
            return ends.size();
        }

        /**
         * Seconds of each iteration after the first {@code warmup} (at least 1: the first
         * iteration also holds the pass's set-up), sorted; an iteration lasts from the end of the
         * one before to its own end.
         */
        double[] secondsAfter(int warmup) {
            double[] t = new double[ends.size() - warmup];
            for (int k = warmup; k < ends.size(); k++) {
                t[k - warmup] = (ends.get(k) - ends.get(k - 1)) / 1e9;
            }
            Arrays.sort(t);
            return t;
        }

        /** Mean seconds per iteration after the first {@code warmup}: the timed window's length over its iterations. */
        double meanSecondsAfter(int warmup) {
            return (ends.get(ends.size() - 1) - ends.get(warmup - 1)) / 1e9 / (ends.size() - warmup);
        }

        /** Objective evaluations made in the iterations after the first {@code warmup}. */
        long evaluationsAfter(int warmup) {
            return evaluationsAt.stream().filter(i -> i > warmup).count();
        }

        /** Divergences (each clears the L-BFGS history) after the first {@code warmup} iterations. */
        long divergencesAfter(int warmup) {
            return divergencesAt.stream().filter(i -> i > warmup).count();
        }

    }

    private final Pass[] passes = {new Pass(), new Pass()};

    Pass pass(int pass) {
        return passes[pass - 1];
    }

    @Override
    public void optimizationWindow(int pass, PixelBox window) {
        pass(pass).window = window;
    }

    @Override
    public boolean iteration(int pass, int iteration, double loss, Supplier<RgbImage> current) {
        pass(pass).ends.add(System.nanoTime());
        return false;
    }

    @Override
    public void evaluation(LossRecord record) {
        pass(record.pass()).evaluationsAt.add(record.iteration());
    }

    @Override
    public void diverged(int pass, IterationListener.Divergence divergence) {
        pass(pass).divergencesAt.add(divergence.iteration());
    }
}
