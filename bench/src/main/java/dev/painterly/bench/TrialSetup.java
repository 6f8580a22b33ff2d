package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.OpenClDevice;
import dev.painterly.engine.reference.JavaDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A trial being set up: its inputs uploaded to the OpenCL device and its outputs poisoned there,
 * all closed with the trial, and the Java reference's result on the same inputs. That result is
 * kept for the next trial of the same op and size, so that the variants of an op, run one after
 * another, pay for it once.
 */
final class TrialSetup {

    private static String cachedKey;
    private static Expected cachedExpected;

    final OpenClDevice cl;
    final JavaDevice reference = JavaDevice.float32();
    private final String family;
    private final String op;
    private final String variant;
    private final String size;
    private final List<Tensor> tensors = new ArrayList<>();

    TrialSetup(OpenClDevice cl, String family, String op, String variant, String size) {
        this.cl = cl;
        this.family = family;
        this.op = op;
        this.variant = variant;
        this.size = size;
    }

    /** An input on the OpenCL device. */
    Tensor upload(Shape shape, float[] data) {
        Tensor t = cl.upload(shape, data);
        tensors.add(t);
        return t;
    }

    /** An output on the OpenCL device, poisoned so that an element the kernel never writes fails. */
    Tensor output(Shape shape) {
        Tensor t = cl.allocate(shape);
        tensors.add(t);
        cl.fill(t, Float.NaN);
        return t;
    }

    /**
     * The reference's result of this op at this size, computed by {@code compute} on the Java
     * device (whose tensors it closes), or the one kept from the last trial of the same op and size.
     */
    static synchronized Expected expected(String key, Supplier<Expected> compute) {
        if (!key.equals(cachedKey)) {
            cachedKey = null;
            cachedExpected = compute.get();
            cachedKey = key;
        }
        return cachedExpected;
    }

    /** {@link #expected(String, Supplier)} keyed by this trial's family, op and size. */
    Expected expected(Supplier<Expected> compute) {
        return expected(family + " " + op + " " + size, compute);
    }

    /** The reference's output tensor, downloaded after {@code op} wrote it. */
    double[] referenceOutput(Shape shape, Consumer<Tensor> op) {
        try (Tensor out = reference.allocate(shape)) {
            op.accept(out);
            return Expected.widen(out.toArray());
        }
    }

    /** The trial of an op that writes {@code out}, a tensor of this setup. */
    VariantTrial trial(Work work, Runnable run, Tensor out, Expected expected) {
        return trial(work, run, () -> Expected.widen(out.toArray()), expected);
    }

    /** The trial of an op whose result {@code output} reads after a run. */
    VariantTrial trial(Work work, Runnable run, Supplier<double[]> output, Expected expected) {
        Runnable waited = () -> {
            run.run();
            cl.finish();
        };
        return new VariantTrial(family, op, variant, size, work, waited, output, expected, tensors);
    }
}
