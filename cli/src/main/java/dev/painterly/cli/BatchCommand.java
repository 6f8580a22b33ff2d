package dev.painterly.cli;

import dev.painterly.cli.ExampleFolder.Example;
import dev.painterly.engine.Device;
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
                        + "OUTDIR/contact-sheet.png and OUTDIR/index.html."})
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

    @Option(names = "--loss-log",
            description = "also log every objective evaluation of example N to OUTDIR/N_result.losses.jsonl (JSON Lines)")
    boolean lossLog;

    @Option(names = "--overwrite", description = "replace existing result files")
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
        styleLevel.check();
        List<Example> examples = ExampleFolder.scan(dir);
        Map<String, Double> listedLevels = ExampleFolder.styleLevels(dir);
        prepareOutputFolder();
        for (Example e : examples) {
            for (Path file : outputs(e)) {
                OutputFile.checkWritable(file, overwrite);
            }
        }
        for (Example e : examples) {
            read(e, new PrintStream(PrintStream.nullOutputStream()));
        }
        System.out.println("batch: " + examples.size() + (examples.size() == 1 ? " example" : " examples") + " in " + dir);
        ContactSheet sheet = new ContactSheet(outDir);
        List<String> failed = new ArrayList<>();
        try (Device d = device.open(); InterruptHandler interrupts = InterruptHandler.install()) {
            JobRunner runner = new JobRunner(d, weights.load(), interrupts);
            for (Example e : examples) {
                System.out.println("example " + e.id() + ":");
                JobInputs inputs = read(e, System.err);
                String levelNote;
                double level;
                if (styleLevel.given()) {
                    level = styleLevel.resolve(inputs.painting(), e.painting().toString(), System.err);
                    levelNote = styleLevel.auto() ? "estimated" : "given";
                } else if (listedLevels.containsKey(e.id())) {
                    level = listedLevels.get(e.id());
                    levelNote = "from " + ExampleFolder.LEVELS_FILE;
                } else {
                    level = StyleLevelOption.estimate(inputs.painting(), e.painting().toString(), System.err);
                    levelNote = "estimated";
                }
                HarmonizeSettings settings = new HarmonizeSettings(size, iterations.get(0), iterations.get(1), level, null);
                HarmonizeResult result;
                try {
                    result = runner.run(inputs, settings, result(e), null, OutputFile.lossPlot(result(e)), lossLog(e));
                } catch (JobFailedException failure) {
                    System.err.println("painterly: example " + e.id() + ": " + failure.getMessage());
                    failed.add(e.id());
                    interrupts.jobDone();
                    continue;
                }
                OutputFile.writePng(result.pass1(), OutputFile.sibling(result(e), "pass1"));
                OutputFile.writePng(result.result(), result(e));
                sheet.add(e.id(), e.painting(), e.composite(), result(e), result.painting(), result.composite(), result.result(),
                        String.format(Locale.ROOT, "style level %.1f (%s), %s", level, levelNote,
                                ProgressLine.duration(result.pass1Seconds() + result.pass2Seconds())));
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

    /** Every file an example's job writes. */
    private List<Path> outputs(Example e) {
        List<Path> files = new ArrayList<>(List.of(result(e), OutputFile.sibling(result(e), "pass1"),
                OutputFile.lossPlot(result(e))));
        if (lossLog) {
            files.add(lossLog(e));
        }
        return files;
    }

    private static JobInputs read(Example e, PrintStream notices) throws IOException {
        return JobInputs.read(e.painting(), e.composite(), e.mask(), e.looseMask(), notices);
    }
}
