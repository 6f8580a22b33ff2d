package dev.painterly.cli;

import dev.painterly.bench.VariantTiming;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Random;
import java.util.concurrent.Callable;

/**
 * One VGG-19 iteration as the peer (../shared/peer/vgg_iteration_pytorch.py) times it: forward to
 * the layer, then backward to the image of sum(y^2), weights frozen.
 */
@Command(name = "vgg", mixinStandardHelpOptions = true,
        description = "Time one VGG-19 iteration (forward to LAYER + backward to the image); prints median_s.")
final class BenchVggCommand implements Callable<Integer> {

    /** Multiply-adds per pixel of the forward pass, as the peer counts them. */
    static final double MACS_RELU5_1 = 361152;
    static final double MACS_RELU4_1 = 241344;

    @Option(names = "--size", paramLabel = "HxW", defaultValue = "384x512", description = "image size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--layer", defaultValue = "relu5_1", description = "relu5_1 or relu4_1 (default: ${DEFAULT-VALUE})")
    String layer;

    @Option(names = "--repeat", defaultValue = "5", description = "timed runs after one warm-up (default: ${DEFAULT-VALUE})")
    int repeat;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        int[] hw = heightWidth(size);
        double macs = switch (layer) {
            case "relu5_1" -> MACS_RELU5_1;
            case "relu4_1" -> MACS_RELU4_1;
            default -> throw new IllegalArgumentException("--layer must be relu5_1 or relu4_1");
        };
        try (Device d = device.open()) {
            double median = medianSeconds(d, hw[0], hw[1], layer, repeat);
            double gflops = 4 * macs * hw[0] * hw[1] / 1e9 / median;
            System.out.printf("painterly-iteration device=\"%s\" size=%dx%d layer=%s gflops=%.0f peak_mib=%d median_s=%.4f%n",
                    d.name(), hw[0], hw[1], layer, gflops, d.stats().peakBytes() >> 20, median);
        }
        return 0;
    }

    /** Median seconds of {@code repeat} iterations on a noise image of that size, after one warm-up. */
    static double medianSeconds(Device d, int height, int width, String layer, int repeat) {
        Shape shape = Shape.of(3, height, width);
        float[] noise = new float[shape.size()];
        Random r = new Random(0);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
        try (Vgg19 net = new Vgg19(d, Vgg19Weights.untrained(0)); Tensor x = d.upload(shape, noise)) {
            return VariantTiming.median(VariantTiming.time(1, repeat, () -> iteration(net, x, layer)));
        }
    }

    private static void iteration(Vgg19 net, Tensor x, String layer) {
        Device d = x.device();
        try (Tape tape = new Tape(d)) {
            Var in = tape.leaf(x);
            Var y = net.forward(tape, in, layer, (name, v) -> v);
            try (Tensor seed = d.allocate(y.shape())) {
                d.elementwise().scale(y.value(), 2, seed);
                tape.backward(y, seed);
            }
            d.finish();
        }
    }

    /** "HxW" into {height, width}. */
    private static int[] heightWidth(String text) {
        String[] parts = text.toLowerCase().split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("size must be HxW, e.g. 384x512, got " + text);
        }
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }
}
