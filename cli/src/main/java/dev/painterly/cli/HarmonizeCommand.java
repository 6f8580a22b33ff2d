package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Paints a pasted object into a painting: both passes of docs/algorithm.md and the post-processing. */
@Command(name = "harmonize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Harmonize a pasted object with a painting; writes OUT.png (post-processed, at the painting's own size), "
                + "OUT.pass2.png (pass 2 before post-processing), OUT.pass1.png and the loss curves OUT.losses.png.",
                "With several style levels (--style-level 1,5,10): OUT.pass1.png, per level OUT.levelS.png, OUT.levelS.pass2.png "
                        + "and OUT.levelS.losses.png, and the levels side by side in OUT.levels.png.",
                "Give the composite and its mask (--composite, --mask), or a cut-out to paste (--object, --at)."})
final class HarmonizeCommand implements Callable<Integer> {

    @Option(names = "--painting", required = true, paramLabel = "P", description = "the painting (background)")
    Path painting;

    @Option(names = "--composite", paramLabel = "C", description = "the painting with the object pasted in")
    Path composite;

    @Option(names = "--mask", paramLabel = "M",
            description = "tight mask of the object: white on black (grayscale or RGB), or the alpha of an image with transparency")
    Path mask;

    @Option(names = "--object", paramLabel = "OBJ.png",
            description = "instead of --composite and --mask: a cut-out with transparency, pasted onto the painting")
    Path object;

    @Option(names = "--at", split = ",", paramLabel = "X,Y", hideParamSyntax = true,
            description = "where the cut-out's top-left corner goes, in the painting's pixels (0,0 = its top-left corner)")
    List<Integer> at;

    @Option(names = "--scale", paramLabel = "F", description = "scale the cut-out by F before pasting (default 1)")
    Double scale;

    @Option(names = "--loose-mask", paramLabel = "L",
            description = "loose mask (default: the tight mask dilated by a disc of 12 px at 700 px, scaled with --size)")
    Path looseMask;

    @Option(names = "--size", paramLabel = "N", defaultValue = "700", description = "working size: longer side in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--iterations", split = ",", paramLabel = "I1,I2", defaultValue = "1000,1000",
            description = "L-BFGS iterations of pass 1 and pass 2 (default: ${DEFAULT-VALUE})")
    List<Integer> iterations;

    @Mixin
    StyleLevelOption styleLevel;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the post-processing's PatchMatch (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-postprocess",
            description = "skip the post-processing: OUT.png is pass 2's result, and no OUT.pass2.png is written")
    boolean noPostprocess;

    @Option(names = "--save-every", paramLabel = "K", description = "also save the current image every K iterations")
    Integer saveEvery;

    @Option(names = "--out", required = true, paramLabel = "OUT.png",
            description = "result image: PNG, or JPEG when the name ends in .jpg; the other images are PNG files; "
                    + "an interrupted or failed run leaves OUT.partial.png")
    Path out;

    @Option(names = "--output", paramLabel = "native|working", defaultValue = "native", converter = OutputSize.Converter.class,
            description = "native (default): OUT at the painting file's own size, its pixels untouched outside the object's "
                    + "blend mask and the object's detail re-synthesised from the painting; working: OUT at the working size "
                    + "(--size). OUT.pass1.png and OUT.pass2.png are at the working size either way")
    OutputSize output;

    @Option(names = "--loss-log", paramLabel = "FILE",
            description = "log every objective evaluation as it happens, one JSON object a line (JSON Lines); "
                    + "a failed or interrupted run keeps the lines it wrote")
    Path lossLog;

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
        styleLevel.check();
        OutputFile.checkImageName(out);
        List<Double> levels = levels();
        for (double level : levels) {
            // Checks each level's range before anything is read or computed.
            new HarmonizeSettings(size, 0, 0, level, null);
        }
        boolean sweep = levels.size() > 1;
        List<Path> images = sweep ? sweepOutputs(levels) : outputs();
        for (Path image : images) {
            OutputFile.checkWritable(image, overwrite);
        }
        if (lossLog != null) {
            checkLossLog(images);
        }
        JobInputs inputs = inputs();
        HarmonizeSettings settings = new HarmonizeSettings(size, iterations.get(0), iterations.get(1), levels.get(0), null,
                !noPostprocess, seed);
        long pixels = JavaBackendTime.workingPixels(inputs.painting().height(), inputs.painting().width(), size);
        try (Device d = device.open(pixels * (iterations.get(0) + (long) levels.size() * iterations.get(1)))) {
            var vgg = weights.load();
            try (InterruptHandler interrupts = InterruptHandler.install()) {
                JobRunner runner = new JobRunner(d, vgg, interrupts);
                List<HarmonizeResult> results = runner.run(inputs, settings, levels, out, saveEvery, true, lossLog);
                OutputFile.writePng(results.get(0).pass1(), OutputFile.sibling(out, "pass1"));
                for (int i = 0; i < levels.size(); i++) {
                    HarmonizeResult result = results.get(i);
                    Path target = sweep ? OutputFile.level(out, levels.get(i)) : out;
                    if (result.postprocessed() != null) {
                        System.out.printf("post-processing%s done in %.2f s%n",
                                sweep ? " (style level " + StyleLevelOption.label(levels.get(i)) + ")" : "", result.postprocessSeconds());
                        OutputFile.writePng(result.pass2(), OutputFile.sibling(target, "pass2"));
                    }
                    OutputFile.writeImage(runner.atOutputSize(inputs, result, output, seed), target);
                }
                if (sweep) {
                    OutputFile.writePng(Sheet.levels(levels, results), OutputFile.levelSheet(out));
                }
                List<Path> written = new ArrayList<>(images);
                if (lossLog != null) {
                    written.add(lossLog);
                }
                System.out.println("wrote " + OutputFile.list(written));
                interrupts.jobDone();
            }
        }
        return 0;
    }

    /** A single level's files: OUT.png, OUT.pass2.png (unless --no-postprocess), OUT.pass1.png, OUT.losses.png. */
    private List<Path> outputs() {
        List<Path> images = new ArrayList<>(List.of(out, OutputFile.sibling(out, "pass1"), OutputFile.lossPlot(out)));
        if (!noPostprocess) {
            images.add(1, OutputFile.sibling(out, "pass2"));
        }
        return images;
    }

    /**
     * A sweep's files: OUT.pass1.png, then per level OUT.levelS.png, OUT.levelS.pass2.png (unless
     * --no-postprocess) and OUT.levelS.losses.png, then the sheet OUT.levels.png.
     */
    private List<Path> sweepOutputs(List<Double> levels) {
        List<Path> images = new ArrayList<>(List.of(OutputFile.sibling(out, "pass1")));
        for (double level : levels) {
            Path target = OutputFile.level(out, level);
            images.add(target);
            if (!noPostprocess) {
                images.add(OutputFile.sibling(target, "pass2"));
            }
            images.add(OutputFile.lossPlot(target));
        }
        images.add(OutputFile.levelSheet(out));
        return images;
    }

    /** The loss log may be replaced only as the images may, and must not be one of them. */
    private void checkLossLog(List<Path> images) throws IOException {
        for (Path image : images) {
            if (image.toAbsolutePath().normalize().equals(lossLog.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--loss-log " + lossLog + " is also an image this run writes: "
                        + "give it a name of its own, e.g. " + OutputFile.sibling(out, "losses", "jsonl"));
            }
        }
        OutputFile.checkWritable(lossLog, overwrite, "--loss-log");
    }

    /** The levels given (auto: the default, with a notice), or the default with a notice. */
    private List<Double> levels() {
        if (styleLevel.given()) {
            return styleLevel.resolve(painting.toString(), System.err);
        }
        System.err.println("painterly: no --style-level given, using " + StyleLevelOption.label(HarmonizeSettings.DEFAULT_STYLE_LEVEL)
                + " (--style-level 1,5,10 compares levels side by side)");
        return List.of(HarmonizeSettings.DEFAULT_STYLE_LEVEL);
    }

    /** The job's images: from --composite and --mask, or made by pasting --object at --at. */
    private JobInputs inputs() throws IOException {
        boolean files = composite != null || mask != null;
        boolean cutout = object != null || at != null || scale != null;
        if (files && cutout) {
            throw new IllegalArgumentException("give either --composite with --mask, or --object with --at, not both");
        }
        if (cutout) {
            if (object == null || at == null || at.size() != 2) {
                throw new IllegalArgumentException("a cut-out needs --object OBJ.png and --at X,Y (where its top-left corner goes)");
            }
            return JobInputs.paste(painting, object, at.get(0), at.get(1), scale == null ? 1 : scale, looseMask, System.err);
        }
        if (composite == null || mask == null) {
            throw new IllegalArgumentException("give --composite C and --mask M, or paste a cut-out with --object OBJ.png --at X,Y");
        }
        return JobInputs.read(painting, composite, mask, looseMask, System.err);
    }
}
