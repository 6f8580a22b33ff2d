package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.HarmonizeListener;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import dev.painterly.harmonizer.Harmonizer;
import dev.painterly.harmonizer.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Paints a pasted object into a painting: both passes of ALGORITHM.md and the post-processing. */
@Command(name = "harmonize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Harmonize a pasted object with a painting; writes OUT.png (post-processed), "
                + "OUT.pass2.png (pass 2 before post-processing) and OUT.pass1.png.")
final class HarmonizeCommand implements Callable<Integer> {

    @Option(names = "--painting", required = true, paramLabel = "P", description = "the painting (background)")
    Path painting;

    @Option(names = "--composite", required = true, paramLabel = "C", description = "the painting with the object pasted in")
    Path composite;

    @Option(names = "--mask", required = true, paramLabel = "M", description = "tight mask of the object (white = object)")
    Path mask;

    @Option(names = "--loose-mask", paramLabel = "L",
            description = "loose mask (default: the tight mask dilated by a disc of 12 px at 700 px, scaled with --size)")
    Path looseMask;

    @Option(names = "--size", paramLabel = "N", defaultValue = "700", description = "working size: longer side in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--iterations", split = ",", paramLabel = "I1,I2", defaultValue = "1000,1000",
            description = "L-BFGS iterations of pass 1 and pass 2 (default: ${DEFAULT-VALUE})")
    List<Integer> iterations;

    @Option(names = "--style-level", paramLabel = "S",
            description = "stylization level of the painting, 1 (realistic) to 10 (very stylised); default 5")
    Double styleLevel;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the post-processing's PatchMatch (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-postprocess",
            description = "skip the post-processing: OUT.png is pass 2's result, and no OUT.pass2.png is written")
    boolean noPostprocess;

    @Option(names = "--save-every", paramLabel = "K", description = "also save the current image every K iterations")
    Integer saveEvery;

    @Option(names = "--out", required = true, paramLabel = "OUT.png", description = "result image (PNG)")
    Path out;

    @Option(names = "--overwrite", description = "replace existing output files")
    boolean overwrite;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        if (iterations.size() != 2) {
            throw new IllegalArgumentException("--iterations takes two numbers, e.g. 1000,1000");
        }
        if (saveEvery != null && saveEvery < 1) {
            throw new IllegalArgumentException("--save-every must be positive");
        }
        Path pass1Out = OutputFile.sibling(out, "pass1");
        Path pass2Out = OutputFile.sibling(out, "pass2");
        OutputFile.checkWritable(out, overwrite);
        OutputFile.checkWritable(pass1Out, overwrite);
        if (!noPostprocess) {
            OutputFile.checkWritable(pass2Out, overwrite);
        }
        double level = styleLevel != null ? styleLevel : HarmonizeSettings.DEFAULT_STYLE_LEVEL;
        if (styleLevel == null) {
            System.err.println("painterly: no --style-level given, using " + (int) level);
        }
        HarmonizeSettings settings = new HarmonizeSettings(size, iterations.get(0), iterations.get(1), level, null,
                !noPostprocess, seed);
        RgbImage paintingImage = RgbImage.read(painting);
        RgbImage compositeImage = RgbImage.read(composite);
        Mask tight = Mask.read(mask);
        Mask loose = looseMask == null ? null : Mask.read(looseMask);
        var vgg = weights.load();
        ProgressLine progress = new ProgressLine(System.out, System.console() != null);
        HarmonizeListener listener = new HarmonizeListener() {
            @Override
            public void passStarted(int pass, int total) {
                progress.start(pass, total);
            }

            @Override
            public boolean iteration(int pass, int iteration, double loss, Supplier<RgbImage> current) {
                progress.update(iteration, loss);
                if (saveEvery != null && iteration % saveEvery == 0) {
                    try {
                        OutputFile.writePng(current.get(), OutputFile.sibling(out, String.format("pass%d-%04d", pass, iteration)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return false;
            }

            @Override
            public void passFinished(int pass, RgbImage result, double seconds) {
                progress.finish(String.format("pass %d done in %s", pass, ProgressLine.duration(seconds)));
            }
        };
        HarmonizeResult result;
        try (Device d = device.open()) {
            result = Harmonizer.run(d, vgg, paintingImage, compositeImage, tight, loose, settings, listener);
        }
        OutputFile.writePng(result.pass1(), pass1Out);
        if (result.postprocessed() != null) {
            System.out.printf("post-processing done in %.2f s%n", result.postprocessSeconds());
            OutputFile.writePng(result.pass2(), pass2Out);
        }
        OutputFile.writePng(result.result(), out);
        System.out.println("wrote " + out + (result.postprocessed() != null ? ", " + pass2Out : "") + " and " + pass1Out);
        return 0;
    }
}
