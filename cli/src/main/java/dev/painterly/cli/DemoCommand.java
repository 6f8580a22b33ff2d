package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.harmonizer.HarmonizeResult;
import dev.painterly.harmonizer.HarmonizeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A self-contained example: generates a painting and a pasted object, harmonizes them at a small
 * size and writes a sheet: painting | composite | result.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Harmonize a generated example and write painting | composite | result side by side.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "SHEET.png",
            description = "where to write the sheet (default: painterly-demo.png, or painterly-demo-N.png if taken)")
    Path out;

    @Option(names = "--size", paramLabel = "N", defaultValue = "192", description = "working size (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--iterations", split = ",", paramLabel = "I1,I2", defaultValue = "150,150",
            description = "L-BFGS iterations of pass 1 and pass 2 (default: ${DEFAULT-VALUE})")
    List<Integer> iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the generated scene (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        Path target = out != null ? out : freshName();
        OutputFile.checkWritable(target, false);
        if (iterations.size() != 2) {
            throw new IllegalArgumentException("--iterations takes two numbers, e.g. 150,150");
        }
        int w = size, h = Math.max(16, size * 3 / 4);
        DemoScene scene = DemoScene.generate(w, h, seed);
        HarmonizeResult result;
        // The device first: without one, its advice is the only line.
        try (Device d = device.open((long) w * h * (iterations.get(0) + iterations.get(1)));
             InterruptHandler interrupts = InterruptHandler.install()) {
            var vgg = weights.load();
            System.out.println("device: " + d.name());
            result = new JobRunner(d, vgg, interrupts).run(
                    new JobInputs(scene.painting(), scene.composite(), scene.mask(), null),
                    new HarmonizeSettings(size, iterations.get(0), iterations.get(1), 5, null), target, null, false, null);
            interrupts.jobDone();
        }
        OutputFile.writePng(Sheet.sideBySide(result.painting(), result.composite(), result.result()), target);
        System.out.println("wrote " + target + " (painting | composite | result)");
        return 0;
    }

    private static Path freshName() {
        Path p = Path.of("painterly-demo.png");
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("painterly-demo-" + i + ".png");
        }
        return p;
    }
}
