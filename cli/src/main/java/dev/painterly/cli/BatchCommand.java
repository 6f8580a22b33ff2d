package dev.painterly.cli;

import dev.painterly.cli.ExampleFolder.Example;
import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Harmonizes every example of a folder in the paper's naming ({@link ExampleFolder}) and writes
 * OUTDIR/N_result.png (with N_result.pass1.png, the loss curves N_result.losses.png and, with
 * --loss-log, N_result.losses.jsonl) for each, and a contact sheet. Every example's
 * inputs and every output name are checked before the first is computed; an example whose
 * optimisation stops being finite is reported and the batch goes on with the next.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Harmonize every example in DIR (N_target, N_naive, N_c_mask, optional N_c_mask_dilated; .jpg or .png).",
                "Writes OUTDIR/N_result.png, N_result.pass1.png and N_result.losses.png (loss curves), and a contact sheet: "
                        + "OUTDIR/contact-sheet.png and OUTDIR/index.html.",
                "With several style levels (--style-level 1,5,10), each example runs at each: N_result.levelS.png and "
                        + "N_result.levelS.losses.png per level, and N_result.levels.png side by side."})
final class BatchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "folder of examples")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "OUTDIR", description = "folder for the results (created if missing)")
    Path outDir;

    @Option(names = "--size", paramLabel = "N", defaultValue = "700", description = "working size: longer side in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--iterations", split = ",", paramLabel = "I1,I2", defaultValue = "1000,1000",
            description = "L-BFGS iterations of pass 1 and pass 2 (default: ${DEFAULT-VALUE})")
    List<Integer> iterations;

    @Mixin
    StyleLevelOption styleLevel;

    @Option(names = "--output", paramLabel = "native|working", defaultValue = "native", converter = OutputSize.Converter.class,
            description = "native (default): results at each painting file's own size; working: at the working size (--size)")
    OutputSize output;

    @Option(names = "--loss-log",
            description = "also log every objective evaluation of example N to OUTDIR/N_result.losses.jsonl (JSON Lines)")
    boolean lossLog;

    @Option(names = "--overwrite", description = "replace existing result files")
    boolean overwrite;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    /** Whether several style levels were given: each example is run at each. */
    private boolean sweep;

    @Override
    public Integer call() throws Exception {
        if (iterations.size() != 2) {
            throw new IllegalArgumentException("--iterations takes two numbers, e.g. 1000,1000");
        }
        styleLevel.check();
        sweep = styleLevel.sweep();
        if (styleLevel.given() && !styleLevel.auto()) {
            for (double level : styleLevel.levels()) {
                // Checks each level's range before anything is read or computed.
                new HarmonizeSettings(size, 0, 0, level, null);
            }
        }
        List<Example> examples = ExampleFolder.scan(dir);
        Map<String, Double> listedLevels = ExampleFolder.styleLevels(dir);
        prepareOutputFolder();
        for (Example e : examples) {
            for (Path file : outputs(e)) {
                OutputFile.checkWritable(file, overwrite);
            }
        }
        long pixelIterations = 0;
        int levelsPerExample = sweep ? styleLevel.levels().size() : 1;
        for (Example e : examples) {
            RgbImage painting = read(e, new PrintStream(PrintStream.nullOutputStream())).painting();
            pixelIterations += JavaBackendTime.workingPixels(painting.height(), painting.width(), size)
                    * (iterations.get(0) + (long) levelsPerExample * iterations.get(1));
        }
        System.out.println("batch: " + examples.size() + (examples.size() == 1 ? " example" : " examples") + " in " + dir);
        ContactSheet sheet = new ContactSheet(outDir);
        List<String> failed = new ArrayList<>();
        try (Device d = device.open(pixelIterations); InterruptHandler interrupts = InterruptHandler.install()) {
            JobRunner runner = new JobRunner(d, weights.load(), interrupts);
            for (Example e : examples) {
                System.out.println("example " + e.id() + ":");
                JobInputs inputs = read(e, System.err);
                String levelNote;
                List<Double> levels;
                if (styleLevel.given()) {
                    levels = styleLevel.resolve(e.painting().toString(), System.err);
                    levelNote = styleLevel.auto() ? "auto: no estimate" : "given";
                } else if (listedLevels.containsKey(e.id())) {
                    levels = List.of(listedLevels.get(e.id()));
                    levelNote = "from " + ExampleFolder.LEVELS_FILE;
                } else {
                    levels = List.of(StyleLevelOption.fallback(e.painting().toString(), System.err));
                    levelNote = "auto: no estimate";
                }
                HarmonizeSettings settings = new HarmonizeSettings(size, iterations.get(0), iterations.get(1), levels.get(0), null);
                List<HarmonizeResult> results;
                try {
                    results = runner.run(inputs, settings, levels, result(e), null, true, lossLog(e));
                } catch (JobFailedException failure) {
                    System.err.println("painterly: example " + e.id() + ": " + failure.getMessage());
                    failed.add(e.id());
                    interrupts.jobDone();
                    continue;
                }
                HarmonizeResult first = results.get(0);
                OutputFile.writePng(first.pass1(), OutputFile.sibling(result(e), "pass1"));
                List<ContactSheet.Result> shown = new ArrayList<>();
                if (sweep) {
                    for (int i = 0; i < levels.size(); i++) {
                        Path target = OutputFile.level(result(e), levels.get(i));
                        OutputFile.writePng(runner.atOutputSize(inputs, results.get(i), output, settings.seed()), target);
                        shown.add(new ContactSheet.Result(target, results.get(i).result(), "style level "
                                + StyleLevelOption.label(levels.get(i))));
                    }
                    OutputFile.writePng(Sheet.levels(levels, results), OutputFile.levelSheet(result(e)));
                } else {
                    OutputFile.writePng(runner.atOutputSize(inputs, first, output, settings.seed()), result(e));
                    shown.add(new ContactSheet.Result(result(e), first.result(), ""));
                }
                double seconds = first.pass1Seconds() + results.stream().mapToDouble(HarmonizeResult::pass2Seconds).sum();
                sheet.add(e.id(), e.painting(), e.composite(), shown, first.painting(), first.composite(),
                        String.format(Locale.ROOT, "style level %s (%s), %s",
                                String.join(", ", levels.stream().map(StyleLevelOption::label).toList()), levelNote,
                                ProgressLine.duration(seconds)));
                sheet.write();
                System.out.println("wrote " + OutputFile.list(outputs(e)));
                interrupts.jobDone();
            }
        }
        if (failed.size() < examples.size()) {
            System.out.println("wrote " + outDir.resolve(ContactSheet.PNG) + " and " + outDir.resolve(ContactSheet.HTML));
        }
        if (!failed.isEmpty()) {
            throw new JobFailedException(failed.size() + " of " + examples.size() + " examples failed (" + String.join(", ", failed)
                    + "): see the messages above", null);
        }
        return 0;
    }

    private void prepareOutputFolder() throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IOException("--out " + outDir + " is a file: give a folder for the results");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + outDir + " (" + e + "): choose another --out", e);
        }
        OutputFile.checkWritable(outDir.resolve(ContactSheet.PNG), true);
    }

    private Path result(Example e) {
        return outDir.resolve(e.id() + "_result.png");
    }

    /** Where the loss log of an example goes, or null without --loss-log. */
    private Path lossLog(Example e) {
        return lossLog ? OutputFile.sibling(result(e), "losses", "jsonl") : null;
    }

    /**
     * Every file an example's job writes: N_result.png, N_result.pass1.png and N_result.losses.png;
     * in a sweep of levels N_result.pass1.png, per level N_result.levelS.png and
     * N_result.levelS.losses.png, and N_result.levels.png.
     */
    private List<Path> outputs(Example e) {
        List<Path> files = new ArrayList<>();
        if (sweep) {
            files.add(OutputFile.sibling(result(e), "pass1"));
            for (double level : styleLevel.levels()) {
                files.add(OutputFile.level(result(e), level));
                files.add(OutputFile.lossPlot(OutputFile.level(result(e), level)));
            }
            files.add(OutputFile.levelSheet(result(e)));
        } else {
            files.addAll(List.of(result(e), OutputFile.sibling(result(e), "pass1"), OutputFile.lossPlot(result(e))));
        }
        if (lossLog) {
            files.add(lossLog(e));
        }
        return files;
    }

    private static JobInputs read(Example e, PrintStream notices) throws IOException {
        return JobInputs.read(e.painting(), e.composite(), e.mask(), e.looseMask(), notices);
    }
}
