package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The Gram matrix of the style losses (Device.gram) and its backward (Device.gramBackward) on F of
 * C x N: relu1_1 of a 700 x 525 image (C small, N huge), a mid-sized layer, and relu4_1 of a
 * small image (C large, N small). Work: 2 C^2 N FLOPs for either, as a plain matrix product
 * counts it; the forward computes only the blocks on or above the diagonal, about half of that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GramBenchmark {

    @Param({"64x525x700", "256x150x150", "512x35x40"})
    public String shape;

    private Device device;
    private Tensor f;
    private Tensor gram;
    private Tensor gradGram;
    private Tensor gradF;
    private double gigaflop;

    @Setup
    public void setUp() {
        device = BenchDevice.get();
        BenchDevice.peakGflops();
        Shape s = BenchDevice.shape(shape);
        int c = s.channels();
        f = device.upload(s, BenchDevice.features(1, s.size()));
        gram = device.allocate(Shape.of(1, c, c));
        gradGram = device.upload(Shape.of(1, c, c), BenchDevice.randoms(2, c * c));
        gradF = device.allocate(s);
        gigaflop = 2.0 * c * c * s.plane() / 1e9;
    }

    @TearDown
    public void tearDown() {
        f.close();
        gram.close();
        gradGram.close();
        gradF.close();
    }

    @Benchmark
    public void forward(Flops flops) {
        device.gram().gram(f, 1.0 / f.size(), gram);
        device.finish();
        flops.add(gigaflop);
    }

    @Benchmark
    public void backward(Flops flops) {
        device.gram().gramBackward(f, gradGram, 1.0 / f.size(), gradF);
        device.finish();
        flops.add(gigaflop);
    }
}
