package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceOutOfMemoryException;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.harmonizer.HarmonizeListener;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import dev.painterly.harmonizer.Harmonizer;
import dev.painterly.harmonizer.LossRecord;
import dev.painterly.harmonizer.NativeResolution;
import dev.painterly.harmonizer.NativeResult;
import dev.painterly.harmonizer.NumericalFailureException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs harmonization jobs for a command: progress lines, {@code --save-every} snapshots, interrupt
 * checkpoints, the loss log and plot, a notice for each divergence, and a run that fails part-way
 * turned into one message that says what to do. A loss or gradient that stops being finite ends
 * the job with its last good image saved as OUT.partial.png, the same file an interrupt saves to;
 * OUT.png is only ever a finished result.
 */
final class JobRunner {

    private final Device device;
    private final JobWeights weights;
    private final InterruptHandler interrupts;
    private final PrintStream progressOut;
    private final boolean terminal;
    private final PrintStream notices;

    /** A runner that shows progress on stdout (rewritten in place on a terminal) and notices on stderr. */
    JobRunner(Device device, JobWeights weights, InterruptHandler interrupts) {
        this(device, weights, interrupts, System.out, System.console() != null, System.err);
    }

    /**
     * A runner that shows progress on {@code progressOut} (rewritten in place if {@code terminal})
     * and divergence notices on {@code notices}: a job among several at once keeps its progress
     * to itself and tags its notices.
     */
    JobRunner(Device device, JobWeights weights, InterruptHandler interrupts, PrintStream progressOut, boolean terminal,
              PrintStream notices) {
        this.device = device;
        this.weights = weights;
        this.interrupts = interrupts;
        this.progressOut = progressOut;
        this.terminal = terminal;
        this.notices = notices;
    }

    /**
     * Harmonizes one job whose result goes to {@code out}; the caller writes the results and then
     * calls {@link InterruptHandler#jobDone()}.
     *
     * @param saveEvery  also write the current image every that many iterations (null: never)
     * @param plotLosses whether to draw the loss curves, OUT.losses.png, once the job has finished
     * @param lossLog    where each evaluation is logged as it happens ({@link LossLog}; null: nowhere)
     */
    HarmonizeResult run(JobInputs inputs, HarmonizeSettings settings, Path out, Integer saveEvery, boolean plotLosses,
                        Path lossLog) throws IOException {
        return run(inputs, settings, List.of(settings.styleLevel()), out, saveEvery, plotLosses, lossLog).get(0);
    }

    /**
     * Harmonizes one job at each of {@code levels}: pass 1 once, pass 2 and the post-processing
     * per level. With several levels, what belongs to one level is named after
     * {@link OutputFile#level OUT.levelS.png}: its {@code --save-every} snapshots of pass 2
     * (OUT.levelS.pass2-0100.png) and its loss curves (OUT.levelS.losses.png: pass 1 and this
     * level's pass 2), and the loss log's pass-2 lines carry the level.
     */
    List<HarmonizeResult> run(JobInputs inputs, HarmonizeSettings settings, List<Double> levels, Path out, Integer saveEvery,
                              boolean plotLosses, Path lossLog) throws IOException {
        boolean sweep = levels.size() > 1;
        Path partial = OutputFile.partial(out);
        ProgressLine progress = new ProgressLine(progressOut, terminal);
        List<LossRecord> pass1Records = new ArrayList<>();
        Map<Double, List<LossRecord>> pass2Records = new LinkedHashMap<>();
        LossLog log = lossLog == null ? null : new LossLog(lossLog);
        HarmonizeListener listener = new HarmonizeListener() {
            private int divergences;
            private Double level;

            @Override
            public void styleLevel(double styleLevel) {
                level = styleLevel;
                pass2Records.put(styleLevel, new ArrayList<>());
                if (sweep) {
                    progressOut.println("style level " + StyleLevelOption.label(styleLevel) + ":");
                }
            }

            @Override
            public void passStarted(int pass, int total) {
                progress.start(pass, total);
                divergences = 0;
            }

            @Override
            public boolean iteration(int pass, int iteration, double loss, Supplier<RgbImage> current) {
                progress.update(iteration, loss);
                if (interrupts.requested()) {
                    progress.abandon();
                }
                interrupts.checkpoint("pass " + pass + ", iteration " + iteration, current);
                if (saveEvery != null && iteration % saveEvery == 0) {
                    Path base = sweep && pass == 2 ? OutputFile.level(out, level) : out;
                    try {
                        OutputFile.writePng(current.get(), OutputFile.sibling(base, String.format("pass%d-%04d", pass, iteration)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return false;
            }

            @Override
            public void evaluation(LossRecord record) {
                (record.pass() == 1 ? pass1Records : pass2Records.get(level)).add(record);
                if (log != null) {
                    try {
                        log.write(record, sweep && record.pass() == 2 ? level : null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(new IOException("cannot write the loss log " + lossLog + " (" + e
                                + "): check free disk space and permissions", e));
                    }
                }
            }

            @Override
            public void diverged(int pass, IterationListener.Divergence divergence) {
                // On a terminal the progress line is still open on stdout: the notice gets a line of its own.
                progress.clear();
                notices.println("painterly: " + divergenceNotice(pass, divergence, divergences++ > 0));
                notices.flush();
            }

            @Override
            public void passFinished(int pass, RgbImage result, double seconds) {
                progress.finish(String.format("pass %d done in %s", pass, ProgressLine.duration(seconds)));
                interrupts.passFinished(result, "end of pass " + pass);
                interrupts.checkpoint("end of pass " + pass, () -> result);
            }
        };
        interrupts.jobStarted(partial);
        try (log) {
            Vgg19Weights network = weights.forJob(device, settings.size(), inputs.painting(), inputs.composite());
            List<HarmonizeResult> results = Harmonizer.sweep(device, network, inputs.painting(), inputs.composite(), inputs.tight(),
                    inputs.loose(), settings, levels, listener);
            if (plotLosses) {
                for (Map.Entry<Double, List<LossRecord>> level : pass2Records.entrySet()) {
                    List<LossRecord> records = new ArrayList<>(pass1Records);
                    records.addAll(level.getValue());
                    LossPlot.write(records, OutputFile.lossPlot(sweep ? OutputFile.level(out, level.getKey()) : out));
                }
            }
            return results;
        } catch (NumericalFailureException e) {
            progress.abandon();
            OutputFile.writePng(e.lastGood(), partial);
            String kept = e.lastGoodIteration() == 0 ? "the pass's starting image" : "iteration " + e.lastGoodIteration();
            throw new JobFailedException(e.getMessage() + "; stopped and saved the last good image (" + kept + ") to "
                    + partial + ": check the --weights file, or try another --device", e);
        } catch (DeviceOutOfMemoryException e) {
            progress.abandon();
            throw new DeviceOutOfMemoryException(device.name() + " ran out of memory at --size " + settings.size()
                    + ": try a smaller --size, e.g. --size " + smallerSize(settings.size()), e);
        } catch (OutOfMemoryError e) {
            progress.abandon();
            throw new IllegalStateException("Java ran out of memory at --size " + settings.size() + ": try a smaller --size, e.g. --size "
                    + smallerSize(settings.size()) + ", or give Java more memory (PAINTERLY_JAVA_OPTS=-Xmx16g)", e);
        } catch (RuntimeException e) {
            progress.abandon();
            throw e;
        }
    }

    /**
     * A job's result at the size {@code --output} asks for: at the painting file's own size
     * ({@link NativeResolution}, with a line saying what it did and what it cost), or as the job
     * left it at working size.
     *
     * @param seed the seed of the re-synthesis's PatchMatch
     */
    RgbImage atOutputSize(JobInputs inputs, HarmonizeResult result, OutputSize output, long seed) {
        if (output == OutputSize.WORKING) {
            return result.result();
        }
        long start = System.nanoTime();
        NativeResult n = NativeResolution.run(device, inputs.painting(), result, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        RgbImage image = n.image();
        System.out.printf(Locale.ROOT, "native size %dx%d: %s the object's region (%dx%d) in %.2f s, "
                        + "device memory %.1f MiB (the device's peak so far %.1f MiB)%n",
                image.width(), image.height(), n.resynthesised() ? "re-synthesised" : "enlarged", n.region().width(),
                n.region().height(), seconds, n.deviceBytes() / 1048576.0, device.stats().peakBytes() / 1048576.0);
        return image;
    }

    /**
     * What a divergence did, for one line on stderr.
     *
     * @param again whether the pass diverged before (a pass also ends at its first divergence when
     *              that comes at its last iteration)
     */
    static String divergenceNotice(int pass, IterationListener.Divergence d, boolean again) {
        String what = String.format(Locale.ROOT, "pass %d diverged%s at iteration %d; ", pass, again ? " again" : "", d.iteration());
        if (d.ended()) {
            return what + "ended the pass with its best iterate (iteration " + d.resumedFrom() + ")";
        }
        String step = BigDecimal.valueOf(d.learningRate()).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return what + "resumed from iteration " + d.resumedFrom() + " with step " + step;
    }

    /** A size that needs about half the memory (memory grows with the area), not below the smallest allowed. */
    static int smallerSize(int size) {
        return Math.max(16, (int) Math.round(size * Math.sqrt(0.5) / 10) * 10);
    }
}
