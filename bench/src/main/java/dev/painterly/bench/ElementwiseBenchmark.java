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
 * Elementwise ops and reductions to the host (memory-bound), on relu1_1 of a 700 x 525 image:
 * the ReLU, the masked product of the losses, L-BFGS's axpy, the total-variation gradient, and
 * the sum and dot product. Work: the bytes each op must move at least once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ElementwiseBenchmark {

    @Param({"64x525x700"})
    public String shape;

    private Device device;
    private Tensor a;
    private Tensor b;
    private Tensor mask;
    private Tensor out;
    private double gigabytes;
    private double maskGigabytes;

    @Setup
    public void setUp() {
        device = BenchDevice.get();
        BenchDevice.copyGbps();
        Shape s = BenchDevice.shape(shape);
        a = device.upload(s, BenchDevice.randoms(1, s.size()));
        b = device.upload(s, BenchDevice.randoms(2, s.size()));
        mask = device.upload(s.withChannels(1), BenchDevice.features(3, s.plane()));
        out = device.allocate(s);
        gigabytes = 4.0 * s.size() / 1e9;
        maskGigabytes = 4.0 * s.plane() / 1e9;
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        mask.close();
        out.close();
    }

    @Benchmark
    public void relu(Bandwidth bandwidth) {
        device.elementwise().relu(a, out);
        device.finish();
        bandwidth.add(2 * gigabytes);
    }

    @Benchmark
    public void multiplyMask(Bandwidth bandwidth) {
        device.elementwise().maskMultiply(a, mask, out);
        device.finish();
        bandwidth.add(2 * gigabytes + maskGigabytes);
    }

    @Benchmark
    public void axpy(Bandwidth bandwidth) {
        device.elementwise().axpy(0.5, a, out);
        device.finish();
        bandwidth.add(3 * gigabytes);
    }

    @Benchmark
    public void totalVariationGradient(Bandwidth bandwidth) {
        device.elementwise().totalVariationGradient(a, 1e-3, out);
        device.finish();
        bandwidth.add(2 * gigabytes);
    }

    @Benchmark
    public double sum(Bandwidth bandwidth) {
        bandwidth.add(gigabytes);
        return device.reductions().sum(a);
    }

    @Benchmark
    public double dot(Bandwidth bandwidth) {
        bandwidth.add(2 * gigabytes);
        return device.reductions().dot(a, b);
    }
}
