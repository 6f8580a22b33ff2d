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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Harmonizes every example of a folder in the paper's naming ({@link ExampleFolder}) and writes
 * OUTDIR/N_result.png (with N_result.pass1.png, the loss curves N_result.losses.png and, with
 * --loss-log, N_result.losses.jsonl) for each, and a contact sheet. Every example's
 * inputs and every output name are checked before the first is computed; an example whose
 * optimisation stops being finite is reported and the batch goes on with the next. With
 * {@code --devices}, several devices work through the examples at once ({@link DeviceQueue});
 * with {@code --shard K/N}, only part K of the folder is run ({@link BatchShard}), so that the
 * tasks of a cluster's array job split it.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Harmonize every example in DIR (N_target, N_naive, N_c_mask, optional N_c_mask_dilated; .jpg or .png).",
                "Writes OUTDIR/N_result.png, N_result.pass1.png and N_result.losses.png (loss curves), and a contact sheet: "
                        + "OUTDIR/contact-sheet.png and OUTDIR/index.html.",
                "With several style levels (--style-level 1,5,10), each example runs at each: N_result.levelS.png and "
                        + "N_result.levelS.losses.png per level, and N_result.levels.png side by side.",
                "With --devices, several devices take examples at once; with --shard K/N, a cluster's array job splits the folder."})
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

    @Option(names = "--skip-finished",
            description = "leave out the examples whose result files all exist (to rerun an interrupted or retried batch); "
                    + "the contact sheet shows them from their files")
    boolean skipFinished;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Mixin
    DevicesOption devices;

    @Option(names = "--shard", paramLabel = "K/N", converter = BatchShard.Converter.class,
            description = "process only part K of N, K from 0: the examples whose number mod N is K "
                    + "(e.g. --shard $SLURM_ARRAY_TASK_ID/4 with --array=0-3); the parts may share --out")
    BatchShard shard;

    /** Whether several style levels were given: each example is run at each. */
    private boolean sweep;

    /**
     * A device with what its jobs share: its tag ("[0]") and interrupt handler. With several
     * lanes, each job's lines carry the lane's tag and the example's number.
     */
    private record Lane(String tag, String description, Device device, InterruptHandler interrupts, boolean tagged) {
        void close() {
            interrupts.close();
            device.close();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (iterations.size() != 2) {
            throw new IllegalArgumentException("--iterations takes two numbers, e.g. 1000,1000");
        }
        if (devices.given() && device.device != null) {
            throw new IllegalArgumentException("--device and --devices both given: use --device for one device, --devices for several");
        }
        styleLevel.check();
        sweep = styleLevel.sweep();
        if (styleLevel.given() && !styleLevel.auto()) {
            for (double level : styleLevel.levels()) {
                // Checks each level's range before anything is read or computed.
                new HarmonizeSettings(size, 0, 0, level, null);
            }
        }
        List<Example> all = ExampleFolder.scan(dir);
        List<Example> examples = shard == null ? all : shard.of(all);
        Map<String, Double> listedLevels = ExampleFolder.styleLevels(dir);
        ContactSheet sheet = shard == null ? new ContactSheet(outDir)
                : new ContactSheet(outDir, "contact-sheet." + shard.fileTag() + ".png", "index." + shard.fileTag() + ".html");
        prepareOutputFolder(sheet);
        List<Example> finished = new ArrayList<>();
        List<Example> todo = new ArrayList<>();
        for (Example e : examples) {
            (skipFinished && outputs(e).stream().allMatch(Files::exists) ? finished : todo).add(e);
        }
        for (Example e : todo) {
            for (Path file : outputs(e)) {
                OutputFile.checkWritable(file, overwrite);
            }
        }
        long pixelIterations = 0;
        int levelsPerExample = sweep ? styleLevel.levels().size() : 1;
        for (Example e : todo) {
            RgbImage painting = read(e, new PrintStream(PrintStream.nullOutputStream())).painting();
            pixelIterations += JavaBackendTime.workingPixels(painting.height(), painting.width(), size)
                    * (iterations.get(0) + (long) levelsPerExample * iterations.get(1));
        }
        System.out.println("batch: " + examples.size() + (examples.size() == 1 ? " example" : " examples") + " in " + dir
                + (shard == null ? "" : " (shard " + shard + " of " + all.size() + ")"));
        if (!finished.isEmpty()) {
            System.out.println("batch: skipping " + finished.size() + " finished earlier (" + String.join(", ",
                    finished.stream().map(Example::id).toList()) + ")");
            for (Example e : finished) {
                showFinished(e, sheet);
            }
            sheet.write();
        }
        if (todo.isEmpty()) {
            System.out.println(examples.isEmpty() ? "batch: nothing to do: no example number is " + shard.index() + " mod " + shard.count()
                    : "batch: nothing to do: every example is finished; wrote " + sheet.png() + " and " + sheet.html());
            return 0;
        }
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        List<Lane> lanes = openLanes(pixelIterations);
        DeviceQueue.Outcome<Lane, Example> outcome;
        try {
            JobWeights network = weights.load();
            if (lanes.size() > 1) {
                System.out.println("on " + lanes.size() + " devices at once: "
                        + String.join(", ", lanes.stream().map(l -> l.tag() + " " + l.description()).toList()));
            }
            outcome = new DeviceQueue<Lane, Example>(lanes, (lane, e) -> runExample(lane, e, network, sheet, listedLevels, failed))
                    .run(todo);
        } finally {
            lanes.forEach(Lane::close);
        }
        List<String> notRun = outcome.notRun().stream().map(Example::id).toList();
        for (DeviceQueue.Stop<Lane, Example> stop : outcome.stops()) {
            if (lanes.size() == 1 || stop.cause() instanceof RunInterrupted) {
                // One device: its error ends the batch, as it always did. An interrupt ends it on any number.
                throw rethrown(stop.cause());
            }
        }
        for (DeviceQueue.Stop<Lane, Example> stop : outcome.stops()) {
            Lane lane = stop.device();
            System.err.println("painterly: " + lane.tag() + " example " + stop.item().id() + ": " + UserErrors.firstLine(stop.cause())
                    + "; " + lane.tag() + " takes no more examples");
            if (device.verbose) {
                stop.cause().printStackTrace(System.err);
            }
            failed.add(stop.item().id());
        }
        if (failed.size() + notRun.size() < examples.size()) {
            System.out.println("wrote " + sheet.png() + " and " + sheet.html());
        }
        if (!failed.isEmpty() || !notRun.isEmpty()) {
            List<String> sortedFailed = failed.stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList();
            throw new JobFailedException((failed.isEmpty() ? "" : failed.size() + " of " + todo.size() + " examples failed ("
                    + String.join(", ", sortedFailed) + ")" + (notRun.isEmpty() ? "" : "; "))
                    + (notRun.isEmpty() ? "" : notRun.size() + " not run, every device having stopped (" + String.join(", ", notRun) + ")")
                    + ": see the messages above", null);
        }
        return 0;
    }

    /** The devices to work on: --devices, else the one of --device. */
    private List<Lane> openLanes(long pixelIterations) {
        if (!devices.given()) {
            Device d = device.open(pixelIterations);
            return List.of(new Lane("", d.name(), d, InterruptHandler.install(), false));
        }
        List<DevicesOption.Named> named = devices.open();
        boolean tagged = named.size() > 1;
        return named.stream().map(n -> new Lane(n.tag(), n.description(), n.device(), InterruptHandler.install(!tagged), tagged))
                .toList();
    }

    /**
     * Harmonizes one example on a lane, reports it and adds it to the sheet; an example whose job
     * fails is reported, counted in {@code failed}, and the lane goes on with the next.
     */
    private void runExample(Lane lane, Example e, JobWeights network, ContactSheet sheet, Map<String, Double> listedLevels,
                            List<String> failed) throws IOException {
        PrintStream out = lane.tagged() ? TaggedLines.to(System.out, lane.tag() + " example " + e.id() + ": ") : System.out;
        PrintStream err = lane.tagged() ? TaggedLines.to(System.err, lane.tag() + " example " + e.id() + ": ") : System.err;
        out.println(lane.tagged() ? "started" : "example " + e.id() + ":");
        // Jobs side by side would overwrite each other's progress: only their notices and results are shown.
        JobRunner runner = lane.tagged()
                ? new JobRunner(lane.device(), network, lane.interrupts(), new PrintStream(PrintStream.nullOutputStream()), false, err)
                : new JobRunner(lane.device(), network, lane.interrupts());
        try {
            out.println("wrote " + OutputFile.list(harmonize(e, runner, sheet, listedLevels, err)));
        } catch (JobFailedException failure) {
            err.println("painterly: " + (lane.tagged() ? "" : "example " + e.id() + ": ") + failure.getMessage());
            failed.add(e.id());
        }
        lane.interrupts().jobDone();
    }

    /** Runs an example's job, writes its results and its row of the sheet; returns the files written. */
    private List<Path> harmonize(Example e, JobRunner runner, ContactSheet sheet, Map<String, Double> listedLevels, PrintStream err)
            throws IOException {
        JobInputs inputs = read(e, err);
        String levelNote;
        List<Double> levels;
        if (styleLevel.given()) {
            levels = styleLevel.resolve(e.painting().toString(), err);
            levelNote = styleLevel.auto() ? "auto: no estimate" : "given";
        } else if (listedLevels.containsKey(e.id())) {
            levels = List.of(listedLevels.get(e.id()));
            levelNote = "from " + ExampleFolder.LEVELS_FILE;
        } else {
            levels = List.of(StyleLevelOption.fallback(e.painting().toString(), err));
            levelNote = "auto: no estimate";
        }
        HarmonizeSettings settings = new HarmonizeSettings(size, iterations.get(0), iterations.get(1), levels.get(0), null);
        List<HarmonizeResult> results = runner.run(inputs, settings, levels, result(e), null, true, lossLog(e));
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
        return outputs(e);
    }

    /** Puts an example that an earlier run finished on the sheet, from its files. */
    private void showFinished(Example e, ContactSheet sheet) throws IOException {
        List<ContactSheet.Result> shown = new ArrayList<>();
        if (sweep) {
            for (double level : styleLevel.levels()) {
                Path file = OutputFile.level(result(e), level);
                shown.add(new ContactSheet.Result(file, RgbImage.read(file), "style level " + StyleLevelOption.label(level)));
            }
        } else {
            shown.add(new ContactSheet.Result(result(e), RgbImage.read(result(e)), ""));
        }
        sheet.add(e.id(), e.painting(), e.composite(), shown, RgbImage.read(e.painting()), RgbImage.read(e.composite()),
                "finished by an earlier run");
    }

    /** A stopped device's error, to end the batch with. */
    private static Exception rethrown(Throwable cause) {
        if (cause instanceof Error e) {
            throw e;
        }
        return cause instanceof Exception e ? e : new IllegalStateException(cause);
    }

    private void prepareOutputFolder(ContactSheet sheet) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IOException("--out " + outDir + " is a file: give a folder for the results");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + outDir + " (" + e + "): choose another --out", e);
        }
        OutputFile.checkWritable(sheet.png(), true);
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
