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

import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The patch searches of both passes (Device.matchNcc, Device.matchDot) of a map against a map of
 * the same size, with the queries a disc at the centre. The shapes and query counts are pass 1's
 * at relu3_1, relu4_1 and relu5_1 of example 5 at 700 px. Work: 2 x 9 x C FLOPs per (query,
 * candidate) pair, as a direct 3x3 patch product counts it; the tiled kernel computes each
 * pixel's dot products once for all the queries around it and does about a quarter to a fifth
 * of that, so its GFLOP/s (and fraction of peak) are effective figures that can exceed the
 * device's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MatchingBenchmark {

    /** C x H x W : queries. */
    @Param({"256x175x137:2755", "512x88x69:919", "512x44x35:342"})
    public String layer;

    private Device device;
    private Shape shape;
    private Tensor f;
    private Tensor s;
    private Tensor queryMask;
    private Tensor out;
    private double gigaflop;

    @Setup
    public void setUp() {
        String[] parts = layer.split(":");
        shape = BenchDevice.shape(parts[0]);
        int queries = Integer.parseInt(parts[1]);
        device = BenchDevice.get();
        BenchDevice.peakGflops();
        f = device.upload(shape, BenchDevice.features(1, shape.size()));
        s = device.upload(shape, BenchDevice.features(2, shape.size()));
        queryMask = device.upload(shape.withChannels(1), disc(shape.height(), shape.width(), queries));
        out = device.allocate(shape.withChannels(1));
        gigaflop = 2.0 * 9 * shape.channels() * queries * shape.plane() / 1e9;
    }

    /** A mask of exactly n ones, the positions nearest the centre. */
    static float[] disc(int h, int w, int n) {
        float[] m = new float[h * w];
        IntStream.range(0, h * w).boxed()
                .sorted(Comparator.comparingDouble(p -> Math.hypot(p / w - h / 2.0, p % w - w / 2.0)))
                .limit(n).forEach(p -> m[p] = 1);
        return m;
    }

    @TearDown
    public void tearDown() {
        f.close();
        s.close();
        queryMask.close();
        out.close();
    }

    @Benchmark
    public void ncc(Flops flops) {
        device.matching().matchNcc(f, s, queryMask, out);
        device.finish();
        flops.add(gigaflop);
    }

    @Benchmark
    public void dot(Flops flops) {
        device.matching().matchDot(f, s, queryMask, out);
        device.finish();
        flops.add(gigaflop);
    }
}
