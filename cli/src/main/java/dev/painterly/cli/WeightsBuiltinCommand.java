package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.BuiltinVgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Writes the built-in network that a job on these images would run with when no ImageNet weights
 * are installed, so that it can be inspected or loaded elsewhere (--weights takes it back).
 */
@Command(name = "builtin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the built-in VGG-19 (He-normal, seed " + BuiltinVgg19.SEED + ", every channel normalised on "
                + "the job's painting and composite, gain " + BuiltinVgg19.GAIN + ", deep gain " + BuiltinVgg19.DEEP_GAIN
                + " from " + BuiltinVgg19.DEEP_LAYER + ") that a job on these images uses "
                + "without ImageNet weights, in painterly's safetensors format."})
final class WeightsBuiltinCommand implements Callable<Integer> {

    @Option(names = "--painting", required = true, paramLabel = "P", description = "the job's painting")
    Path painting;

    @Option(names = "--composite", required = true, paramLabel = "C", description = "the job's composite")
    Path composite;

    @Option(names = "--size", paramLabel = "N", defaultValue = "700",
            description = "the job's working size, longer side in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "where to write the network")
    Path out;

    @Option(names = "--overwrite", description = "replace FILE if it exists")
    boolean overwrite;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        if (size < 1) {
            throw new IllegalArgumentException("--size must be positive");
        }
        OutputFile.checkWritable(out, overwrite);
        RgbImage p = RgbImage.read(painting);
        RgbImage c = RgbImage.read(composite);
        Vgg19Weights network;
        try (Device d = device.open()) {
            network = BuiltinVgg19.forJob(d, size, p, c);
        }
        OutputFile.writeWeights(network, BuiltinVgg19.recipe(size), out);
        System.out.println("wrote " + out);
        return 0;
    }
}
