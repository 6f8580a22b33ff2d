package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceMemoryLimit;
import dev.painterly.engine.DeviceStats;
import dev.painterly.engine.MemoryLedger;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Combination;
import dev.painterly.engine.device.Gather;
import dev.painterly.engine.device.Histogram;
import dev.painterly.engine.device.Convolution;
import dev.painterly.engine.device.Elementwise;
import dev.painterly.engine.device.Gram;
import dev.painterly.engine.device.Matching;
import dev.painterly.engine.device.Pooling;
import dev.painterly.engine.device.PostProcess;
import dev.painterly.engine.device.Reductions;

import java.util.Arrays;

/**
 * The plain-Java reference device: memory as double arrays, and the readable definition of every
 * op in one reference class per family ({@link GramReference}, ...), which the OpenCL kernels are
 * tested against. Every sum accumulates in double. In float32 mode (the default, selected as
 * {@code --device java}) every stored value is rounded to float so that it behaves like a float32
 * device, and in exact mode (for finite-difference gradient checks) nothing is rounded.
 */
public final class JavaDevice implements Device {

    private final Precision precision;
    private final MemoryLedger ledger = new MemoryLedger();
    private final Elementwise elementwise;
    private final Reductions reductions = new ReductionsReference();
    private final Combination combination;
    private final Histogram histogram;
    private final Gather gather;
    private final Convolution convolution;
    private final Pooling pooling;
    private final Gram gram;
    private final Matching matching;
    private final PostProcess postProcess;

    private JavaDevice(Precision precision) {
        this.precision = precision;
        this.elementwise = new ElementwiseReference(precision);
        this.gather = new GatherReference(precision);
        this.combination = new CombinationReference(precision);
        this.histogram = new HistogramReference(precision);
        this.convolution = new ConvolutionReference(precision);
        this.pooling = new PoolingReference(precision);
        this.gram = new GramReference(precision);
        this.matching = new MatchingReference(precision);
        this.postProcess = new PostProcessReference(precision);
    }

    /** The reference as a float32 device. */
    public static JavaDevice float32() {
        return new JavaDevice(Precision.FLOAT32);
    }

    /** The reference in full double precision, for gradient checks. */
    public static JavaDevice exact() {
        return new JavaDevice(Precision.EXACT);
    }

    @Override
    public String name() {
        return precision == Precision.FLOAT32 ? "java (reference, float32)" : "java (reference, double)";
    }

    /** The storage of a tensor of this device. */
    public static double[] data(Tensor t) {
        return (double[]) t.memory();
    }

    @Override
    public Tensor allocate(Shape shape) {
        DeviceMemoryLimit.check(ledger, 4L * shape.size(), name());
        ledger.allocated(4L * shape.size());
        return new Tensor(this, shape, new double[shape.size()]);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload of " + data.length + " floats into " + shape);
        }
        Tensor t = allocate(shape);
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        ledger.uploaded(4L * data.length);
        return t;
    }

    @Override
    public void write(Tensor t, float[] data) {
        if (data.length != t.size()) {
            throw new IllegalArgumentException("write of " + data.length + " floats into " + t.shape());
        }
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        ledger.uploaded(4L * data.length);
    }

    /** Uploads doubles without rounding (exact mode keeps them; float32 mode rounds). */
    public Tensor uploadDoubles(Shape shape, double[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload of " + data.length + " values into " + shape);
        }
        Tensor t = allocate(shape);
        double[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = precision.store(data[i]);
        }
        ledger.uploaded(8L * data.length);
        return t;
    }

    @Override
    public float[] download(Tensor t) {
        double[] d = data(t);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        ledger.downloaded(4L * d.length);
        return out;
    }

    /** Downloads without rounding. */
    public double[] downloadDoubles(Tensor t) {
        ledger.downloaded(8L * t.size());
        return data(t).clone();
    }

    @Override
    public void release(Object memory, int floats) {
        ledger.released(4L * floats);
    }

    @Override
    public DeviceStats stats() {
        return ledger.snapshot();
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }

    @Override
    public void fill(Tensor t, double value) {
        Arrays.fill(data(t), precision.store(value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    @Override
    public void copyToRow(Tensor x, Tensor rows, int row) {
        Check.rows(rows, row + 1, x.size());
        System.arraycopy(data(x), 0, data(rows), row * x.size(), x.size());
    }

    // ---- the op families ------------------------------------------------------------------------

    @Override
    public Elementwise elementwise() {
        return elementwise;
    }

    @Override
    public Reductions reductions() {
        return reductions;
    }

    @Override
    public Combination combination() {
        return combination;
    }

    @Override
    public Histogram histogram() {
        return histogram;
    }

    @Override
    public Gather gather() {
        return gather;
    }

    @Override
    public Convolution convolution() {
        return convolution;
    }

    @Override
    public Pooling pooling() {
        return pooling;
    }

    @Override
    public Gram gram() {
        return gram;
    }

    @Override
    public Matching matching() {
        return matching;
    }

    @Override
    public PostProcess postProcess() {
        return postProcess;
    }
}
