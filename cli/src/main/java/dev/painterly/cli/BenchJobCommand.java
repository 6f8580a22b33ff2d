package dev.painterly.cli;

import dev.painterly.bench.VariantTiming;
import dev.painterly.engine.Device;
import dev.painterly.engine.optim.LbfgsOptions;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import dev.painterly.harmonizer.Harmonizer;
import dev.painterly.harmonizer.PixelBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Both passes of a real job, timed per iteration once a warm-up has filled the L-BFGS history,
 * then {@code bench vgg}'s iteration at the same size and each pass's deepest layer, back to back
 * on the same device: how far a job is from the speed of its network.
 */
@Command(name = "job", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time each pass of a job per iteration after a warm-up (L-BFGS history full), "
                + "and bench vgg at the same size and deepest layer (pass 1: relu5_1, pass 2: relu4_1); "
                + "prints one painterly-job-pass line per pass with vgg_median_s, ratio and median_s (of the pass), "
                + "and the pass's optimisation window with bench vgg on the window alone (window_vgg_median_s, window_ratio).",
                "The job is the demo's generated scene unless --painting, --composite and --mask are given."})
final class BenchJobCommand implements Callable<Integer> {

    private static final String[] DEEPEST_LAYER = {"relu5_1", "relu4_1"};

    @Option(names = "--size", paramLabel = "N", defaultValue = "256", description = "working size, longer side (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--warmup", paramLabel = "K", defaultValue = "" + LbfgsOptions.DEFAULT_HISTORY_SIZE,
            description = "untimed iterations of each pass first; the default fills the history (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", paramLabel = "K", defaultValue = "20",
            description = "timed iterations of each pass after the warm-up (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--repeat", paramLabel = "K", defaultValue = "5",
            description = "timed VGG-19 iterations after one warm-up, as bench vgg --repeat (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--painting", paramLabel = "P", description = "painting of a given example (default: the generated demo scene)")
    Path painting;

    @Option(names = "--composite", paramLabel = "C", description = "its composite")
    Path composite;

    @Option(names = "--mask", paramLabel = "M", description = "its tight mask")
    Path mask;

    @Option(names = "--loose-mask", paramLabel = "L", description = "its loose mask (default: derived from the tight mask)")
    Path looseMask;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        if (warmup < 1) {
            throw new IllegalArgumentException("--warmup must be at least 1: a pass's first iteration also holds its set-up (matching, targets)");
        }
        if (iterations < 1 || repeat < 1) {
            throw new IllegalArgumentException("--iterations and --repeat must be positive");
        }
        JobInputs inputs = inputs();
        int total = warmup + iterations;
        HarmonizeSettings settings = new HarmonizeSettings(size, total, total, HarmonizeSettings.DEFAULT_STYLE_LEVEL, null, false, 0);
        JobWeights vgg = weights.load();
        try (Device d = device.open()) {
            PassClock clock = new PassClock();
            HarmonizeResult result = Harmonizer.run(d, vgg.forJob(d, size, inputs.painting(), inputs.composite()), inputs.painting(),
                    inputs.composite(), inputs.tight(), inputs.loose(), settings, clock);
            int h = result.pass1().height(), w = result.pass1().width();
            for (int pass = 1; pass <= 2; pass++) {
                PassClock.Pass p = clock.pass(pass);
                if (p.iterations() < total) {
                    throw new IllegalStateException(String.format("pass %d stopped after %d of %d iterations (converged or diverged "
                            + "for good): time fewer, e.g. --warmup %d --iterations %d", pass, p.iterations(), total,
                            Math.max(1, p.iterations() / 2), Math.max(1, p.iterations() / 4)));
                }
            }
            for (int pass = 1; pass <= 2; pass++) {
                PassClock.Pass p = clock.pass(pass);
                String layer = DEEPEST_LAYER[pass - 1];
                double median = VariantTiming.median(p.secondsAfter(warmup));
                double network = BenchVggCommand.medianSeconds(d, h, w, layer, repeat);
                PixelBox window = p.window();
                boolean whole = window.height() == h && window.width() == w;
                double windowNetwork = whole ? network : BenchVggCommand.medianSeconds(d, window.height(), window.width(), layer, repeat);
                System.out.printf("painterly-job-pass device=\"%s\" size=%dx%d pass=%d layer=%s history=%d warmup=%d iterations=%d "
                                + "evaluations=%d divergences=%d mean_s=%.4f vgg_median_s=%.4f ratio=%.2f median_s=%.4f "
                                + "window=%dx%d window_vgg_median_s=%.4f window_ratio=%.2f%n",
                        d.name(), h, w, pass, layer, LbfgsOptions.DEFAULT_HISTORY_SIZE, warmup, iterations,
                        p.evaluationsAfter(warmup), p.divergencesAfter(warmup), p.meanSecondsAfter(warmup), network,
                        median / network, median, window.height(), window.width(), windowNetwork, median / windowNetwork);
            }
        }
        return 0;
    }

    /** The given example, checked as harmonize checks it, or the demo's generated scene at the working size. */
    private JobInputs inputs() throws IOException {
        if (painting != null || composite != null || mask != null || looseMask != null) {
            if (painting == null || composite == null || mask == null) {
                throw new IllegalArgumentException("give --painting, --composite and --mask together (and optionally --loose-mask)");
            }
            return JobInputs.read(painting, composite, mask, looseMask, System.err);
        }
        DemoScene scene = DemoScene.generate(size, Math.max(16, size * 3 / 4), 1);
        return new JobInputs(scene.painting(), scene.composite(), scene.mask(), null);
    }
}
