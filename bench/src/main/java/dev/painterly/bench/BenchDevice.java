package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Devices;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.DevicePeak;
import dev.painterly.engine.opencl.OpenClDevice;

import java.util.Random;

/**
 * The device the benchmarks run on (the default one, or the one {@code PAINTERLY_DEVICE} names),
 * opened once per JVM, and the two peaks that results are reported against: the practical FMA
 * peak ({@link DevicePeak}) for compute-bound kernels and the bandwidth of a device-to-device
 * copy for memory-bound ones. Both are measured once per JVM (each JMH fork), on first use.
 */
final class BenchDevice {

    /** Floats copied to measure bandwidth: 128 MiB each way, far beyond any cache. */
    private static final int COPY_FLOATS = 32 << 20;

    private static Device device;
    private static double peakGflops = Double.NaN;
    private static double copyGbps = Double.NaN;

    private BenchDevice() {
    }

    static synchronized Device get() {
        if (device == null) {
            device = Devices.open(null);
        }
        return device;
    }

    /** The device as an OpenCL one: the kernel benchmarks pick the variants of its kernels. */
    static OpenClDevice openCl() {
        if (get() instanceof OpenClDevice cl) {
            return cl;
        }
        throw new IllegalStateException("the kernel benchmarks need an OpenCL device, not " + get().name()
                + "; unset PAINTERLY_DEVICE or name an OpenCL one");
    }

    /** The measured FMA peak in GFLOP/s; NaN on the Java reference, which has none to speak of. */
    static synchronized double peakGflops() {
        if (Double.isNaN(peakGflops) && get() instanceof OpenClDevice cl) {
            peakGflops = DevicePeak.gflops(cl);
        }
        return peakGflops;
    }

    /** Bytes read plus bytes written per second by the device's copy op, best of five, in GB/s. */
    static synchronized double copyGbps() {
        if (Double.isNaN(copyGbps)) {
            Device d = get();
            try (Tensor a = d.allocate(Shape.vector(COPY_FLOATS)); Tensor b = d.allocate(Shape.vector(COPY_FLOATS))) {
                d.fill(a, 1);
                d.copy(a, b);
                d.finish();
                double best = 0;
                for (int rep = 0; rep < 5; rep++) {
                    long t0 = System.nanoTime();
                    d.copy(a, b);
                    d.finish();
                    best = Math.max(best, 8.0 * COPY_FLOATS / (System.nanoTime() - t0));
                }
                copyGbps = best;
            }
        }
        return copyGbps;
    }

    /** Uniform in [-1, 1). */
    static float[] randoms(long seed, int n) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * random.nextFloat() - 1;
        }
        return v;
    }

    /** Uniform in [-1, 1) through a ReLU: non-negative with half zeros, like VGG features. */
    static float[] features(long seed, int n) {
        float[] v = randoms(seed, n);
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(v[i], 0);
        }
        return v;
    }

    /** "CxHxW" as a shape. */
    static Shape shape(String text) {
        if (!text.matches("[1-9][0-9]*x[1-9][0-9]*x[1-9][0-9]*")) {
            throw new IllegalArgumentException("size must be CxHxW, e.g. 64x48x64, got " + text);
        }
        String[] d = text.split("x");
        return Shape.of(Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]));
    }
}
