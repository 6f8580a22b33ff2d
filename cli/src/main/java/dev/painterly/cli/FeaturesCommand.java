package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.io.Npy;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.Vgg19;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Writes VGG-19 activations of an image as .npy files, for learners and for verification. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Write VGG-19 activations of an image to DIR/<layer>.npy (float32, C x H x W).")
final class FeaturesCommand implements Callable<Integer> {

    @Option(names = "--image", required = true, paramLabel = "I", description = "input image (PNG, JPEG, ...)")
    Path image;

    @Option(names = "--layers", required = true, split = ",", paramLabel = "L",
            description = "comma-separated layer names, e.g. relu1_1,relu3_1")
    List<String> layers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if missing)")
    Path out;

    @Option(names = "--size", paramLabel = "N", description = "resize so that the longer side is N (default: no resize)")
    Integer size;

    @Option(names = "--overwrite", description = "replace existing DIR/<layer>.npy files")
    boolean overwrite;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        RgbImage img = RgbImage.read(image);
        if (size != null) {
            if (size < 1) {
                throw new IllegalArgumentException("--size must be positive");
            }
            img = img.resizeLongerSide(size);
        }
        Files.createDirectories(out);
        for (String layer : layers) {
            Path file = out.resolve(layer + ".npy");
            if (Files.exists(file) && !overwrite) {
                throw new java.io.IOException(file + " already exists: choose another --out or pass --overwrite");
            }
        }
        // One forward pass: less than an L-BFGS iteration, which the estimate counts.
        try (Device d = device.open((long) img.height() * img.width());
             Vgg19 net = new Vgg19(d, weights.load().forJob(d, Math.max(img.height(), img.width()), img));
             Tensor input = net.preprocess(img.planes(), img.height(), img.width()); Tape tape = new Tape(d)) {
            net.deepest(layers);
            Map<String, Var> features = net.features(tape, tape.constant(input), layers);
            for (String layer : layers) {
                Var v = features.get(layer);
                Path file = out.resolve(layer + ".npy");
                Path tmp = Files.createTempFile(out, "." + layer, ".npy.tmp");
                try {
                    Npy.write(tmp, new long[] {v.shape().channels(), v.shape().height(), v.shape().width()}, v.value().toArray());
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                System.out.printf("%s %dx%dx%d -> %s%n", layer, v.shape().channels(), v.shape().height(), v.shape().width(), file);
            }
        }
        return 0;
    }
}
