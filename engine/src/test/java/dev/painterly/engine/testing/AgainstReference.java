package dev.painterly.engine.testing;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import org.junit.jupiter.api.Assertions;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel test's one way of running an op against the Java reference: the same inputs uploaded
 * to the reference (float32 mode) and to the device under test, outputs poisoned on both
 * ({@link Poison}), the op run on each, and the downloads compared. Inputs are kept, in order, for
 * every run of the try; everything is released on {@link #close()}.
 */
public final class AgainstReference implements AutoCloseable {

    /** An op writing into out from in, on whichever device it is given. */
    @FunctionalInterface
    public interface Op {
        void run(Device device, Tensor[] in, Tensor[] out);
    }

    /** An op with one output. */
    @FunctionalInterface
    public interface SingleOp {
        void run(Device device, Tensor[] in, Tensor out);
    }

    /** A reduction to the host. */
    @FunctionalInterface
    public interface Reduction {
        double run(Device device, Tensor[] in);
    }

    /** Several reductions to the host in one op: a row of results per vector (batched dot products). */
    @FunctionalInterface
    public interface BatchedReduction {
        double[][] run(Device device, Tensor[] in);
    }

    private final Device device;
    private final JavaDevice reference = JavaDevice.float32();
    private final List<Tensor> onDevice = new ArrayList<>();
    private final List<Tensor> onReference = new ArrayList<>();
    private final List<Tensor> open = new ArrayList<>();

    public AgainstReference(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    public JavaDevice reference() {
        return reference;
    }

    /** Adds an input holding data on both devices; returns this. */
    public AgainstReference input(Shape shape, float[] data) {
        onDevice.add(keep(device.upload(shape, data)));
        onReference.add(keep(reference.upload(shape, data)));
        return this;
    }

    /** Adds an absent optional input (a null bias or query mask) on both devices. */
    public AgainstReference noInput() {
        onDevice.add(null);
        onReference.add(null);
        return this;
    }

    /** The inputs on the device under test, in the order added. */
    public Tensor[] deviceInputs() {
        return onDevice.toArray(new Tensor[0]);
    }

    /** The inputs on the reference, in the order added. */
    public Tensor[] referenceInputs() {
        return onReference.toArray(new Tensor[0]);
    }

    /** Runs op on the reference into poisoned outputs of the given shapes and downloads them. */
    public float[][] expected(Op op, Shape... outputs) {
        return runOn(reference, referenceInputs(), op, outputs);
    }

    /** Runs op on the device under test into poisoned outputs of the given shapes and downloads them. */
    public float[][] actual(Op op, Shape... outputs) {
        return runOn(device, deviceInputs(), op, outputs);
    }

    public float[] expected(SingleOp op, Shape output) {
        return expected(single(op), output)[0];
    }

    public float[] actual(SingleOp op, Shape output) {
        return actual(single(op), output)[0];
    }

    /** Runs op on both devices and compares each output within |err| &lt;= atol + rtol |expected|. */
    public void check(Op op, double rtol, double atol, String what, Shape... outputs) {
        float[][] expected = expected(op, outputs);
        float[][] actual = actual(op, outputs);
        for (int i = 0; i < outputs.length; i++) {
            Compare.close(expected[i], actual[i], rtol, atol, outputs.length == 1 ? what : what + ", output " + i);
        }
    }

    public void check(SingleOp op, Shape output, double rtol, double atol, String what) {
        check(single(op), rtol, atol, what, output);
    }

    /** Runs op on both devices and compares element i of the output within tolerance[i]. */
    public void check(SingleOp op, Shape output, double[] tolerance, String what) {
        Compare.within(expected(op, output), actual(op, output), tolerance, what);
    }

    /** Runs a reduction on both devices and compares within atol + rtol |expected|. */
    public void check(Reduction op, double rtol, double atol, String what) {
        Compare.close(op.run(reference, referenceInputs()), op.run(device, deviceInputs()), rtol, atol, what);
    }

    /** Runs a batched reduction on both devices and compares result [k][r] within tolerance[k][r]. */
    public void check(BatchedReduction op, double[][] tolerance, String what) {
        double[][] expected = op.run(reference, referenceInputs());
        double[][] actual = op.run(device, deviceInputs());
        Assertions.assertEquals(tolerance.length, expected.length, what + ": rows of results on the reference");
        Assertions.assertEquals(tolerance.length, actual.length, what + ": rows of results");
        for (int k = 0; k < tolerance.length; k++) {
            Compare.within(expected[k], actual[k], tolerance[k], what + ", row " + k);
        }
    }

    private static Op single(SingleOp op) {
        return (d, in, out) -> op.run(d, in, out[0]);
    }

    private float[][] runOn(Device d, Tensor[] in, Op op, Shape[] shapes) {
        Tensor[] out = new Tensor[shapes.length];
        try {
            for (int i = 0; i < shapes.length; i++) {
                out[i] = Poison.output(d, shapes[i]);
            }
            op.run(d, in, out);
            float[][] result = new float[shapes.length][];
            for (int i = 0; i < shapes.length; i++) {
                result[i] = out[i].toArray();
            }
            return result;
        } finally {
            for (Tensor t : out) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    private Tensor keep(Tensor t) {
        open.add(t);
        return t;
    }

    @Override
    public void close() {
        open.forEach(Tensor::close);
    }
}
