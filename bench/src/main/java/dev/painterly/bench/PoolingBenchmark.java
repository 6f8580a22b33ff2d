package dev.painterly.bench;

import dev.painterly.engine.Check;
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
 * Pooling (memory-bound): the 2x2 max pooling of VGG and its backward, and the 3x3 average of the
 * layer masks, on relu1_2 of a 700 x 525 image. Work: the bytes each op must move at least once
 * (its inputs read, its output written).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PoolingBenchmark {

    @Param({"64x525x700"})
    public String shape;

    private Device device;
    private Tensor x;
    private Tensor pooled;
    private Tensor gradPooled;
    private Tensor out;
    private double gigabytesIn;
    private double gigabytesPooled;

    @Setup
    public void setUp() {
        device = BenchDevice.get();
        BenchDevice.copyGbps();
        Shape s = BenchDevice.shape(shape);
        Shape p = Check.pooled(s);
        x = device.upload(s, BenchDevice.randoms(1, s.size()));
        pooled = device.allocate(p);
        gradPooled = device.upload(p, BenchDevice.randoms(2, p.size()));
        out = device.allocate(s);
        gigabytesIn = 4.0 * s.size() / 1e9;
        gigabytesPooled = 4.0 * p.size() / 1e9;
    }

    @TearDown
    public void tearDown() {
        x.close();
        pooled.close();
        gradPooled.close();
        out.close();
    }

    @Benchmark
    public void maxPool(Bandwidth bandwidth) {
        device.pooling().maxPool2x2(x, pooled);
        device.finish();
        bandwidth.add(gigabytesIn + gigabytesPooled);
    }

    @Benchmark
    public void maxPoolBackward(Bandwidth bandwidth) {
        device.pooling().maxPool2x2Backward(x, gradPooled, out);
        device.finish();
        bandwidth.add(2 * gigabytesIn + gigabytesPooled);
    }

    @Benchmark
    public void avgPool3x3(Bandwidth bandwidth) {
        device.pooling().avgPool3x3(x, out);
        device.finish();
        bandwidth.add(2 * gigabytesIn);
    }
}
