package dev.painterly.cli;

import dev.painterly.engine.vgg.WeightsLocator;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --weights FILE}, with the lookup of {@link WeightsLocator} behind it. */
final class WeightsOption {

    @Option(names = "--weights", paramLabel = "W",
            description = "VGG-19 weights in our format (see convert-weights); default: $"
                    + WeightsLocator.ENVIRONMENT_VARIABLE + ", else ~/.local/share/painterly/vgg19.safetensors, "
                    + "else the built-in network (see weights builtin)")
    Path weights;

    JobWeights load() throws IOException {
        return new JobWeights(WeightsLocator.load(weights, System.err::println));
    }
}
