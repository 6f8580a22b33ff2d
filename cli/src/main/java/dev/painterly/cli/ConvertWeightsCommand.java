package dev.painterly.cli;

import dev.painterly.weights.WeightsConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Converts Caffe or PyTorch VGG-19 weights to our format. */
@Command(name = "convert-weights", mixinStandardHelpOptions = true,
        description = "Convert VGG-19 weights (Caffe .caffemodel, or a PyTorch state dict such as torchvision's "
                + "vgg19-dcbb9e9d.pth) to painterly's safetensors format.")
final class ConvertWeightsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "Caffe .caffemodel or PyTorch .pth file")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "output .safetensors file (its folder is created)")
    Path out;

    @Option(names = "--overwrite", description = "replace OUT if it exists")
    boolean overwrite;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        WeightsConverter.convert(in, out, overwrite);
        System.out.println("wrote " + out);
        return 0;
    }
}
