package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Devices;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The 3x3 convolution (forward, and the gradient to the input) on VGG-sized layers of C input and
 * C output channels, on the default device or the one {@code PAINTERLY_DEVICE} names. Every layer
 * is 3.6 GFLOP (2 x C x C x 9 x H x W).
 *
 * <p>Run with the suite (bench/README.md), e.g. {@code java -jar bench/target/benchmarks.jar
 * ConvolutionBenchmark}, or, for a quick table of GFLOP/s without JMH (median and best of {@code repeats} timed runs
 * after warm-up runs):
 * <pre>
 * POCL_CACHE_DIR=/tmp/pocl java -cp bench/target/benchmarks.jar dev.painterly.bench.ConvolutionBenchmark [repeats]
 * </pre>
 * The device picks the algorithm per layer; {@code -Dpainterly.conv=direct}, {@code winograd}
 * (three kernels) or {@code fused} forces one, for comparisons. GFLOP/s count the direct
 * convolution's multiply-adds, whatever the algorithm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ConvolutionBenchmark {

    /** The layer: C x H x W, VGG-19's channel counts at the map sizes of a 384 x 512 image. */
    @Param({"64x192x256", "128x96x128", "256x48x64", "512x24x32"})
    public String layer;

    private Layer setup;

    @Setup(Level.Trial)
    public void setUp() {
        setup = new Layer(BenchDevice.get(), layer);
        BenchDevice.peakGflops();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        setup.close();
    }

    @Benchmark
    public void forward(Flops flops) {
        setup.forward();
        flops.add(setup.gigaflop());
    }

    @Benchmark
    public void backwardInput(Flops flops) {
        setup.backwardInput();
        flops.add(setup.gigaflop());
    }

    /** Tensors of one layer with random contents; every op waits for the device to finish. */
    static final class Layer implements AutoCloseable {

        final Device device;
        final Shape shape;
        private final Tensor input;
        private final Tensor weight;
        private final Tensor bias;
        private final Tensor output;

        Layer(Device device, String layer) {
            int[] d = Arrays.stream(layer.split("x")).mapToInt(Integer::parseInt).toArray();
            this.device = device;
            this.shape = Shape.of(d[0], d[1], d[2]);
            int c = shape.channels();
            Random random = new Random(42);
            input = device.upload(shape, randoms(random, shape.size()));
            weight = device.upload(Shape.vector(c * c * 9), randoms(random, c * c * 9));
            bias = device.upload(Shape.vector(c), randoms(random, c));
            output = device.allocate(shape);
        }

        double gigaflop() {
            return 2.0 * shape.channels() * shape.channels() * 9 * shape.plane() / 1e9;
        }

        void forward() {
            device.convolution().conv3x3(input, weight, bias, output);
            device.finish();
        }

        void backwardInput() {
            device.convolution().conv3x3BackwardInput(input, weight, output);
            device.finish();
        }

        private static float[] randoms(Random random, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2 * random.nextFloat() - 1;
            }
            return v;
        }

        @Override
        public void close() {
            input.close();
            weight.close();
            bias.close();
            output.close();
        }
    }

    /** Prints GFLOP/s per layer and op: median and best of the timed runs. */
    public static void main(String[] args) throws NoSuchFieldException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String[] layers = ConvolutionBenchmark.class.getField("layer").getAnnotation(Param.class).value();
        Device device = Devices.open(null);
        System.out.println("device: " + device.name());
        for (String name : layers) {
            try (Layer layer = new Layer(device, name)) {
                report(layer, "forward", layer::forward, repeats);
                report(layer, "backwardInput", layer::backwardInput, repeats);
            }
        }
    }

    private static void report(Layer layer, String op, Runnable run, int repeats) {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[repeats / 2];
        System.out.printf("%-14s %-11s %8.2f ms median  %6.1f GFLOP/s median  %6.1f GFLOP/s best%n", op,
                layer.shape, median * 1e3, layer.gigaflop() / median, layer.gigaflop() / seconds[0]);
    }
}
