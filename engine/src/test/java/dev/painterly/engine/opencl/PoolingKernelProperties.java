package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;
import java.util.function.BiConsumer;

/**
 * The kernels of pooling.cl against the Java reference, with poisoned outputs, on random shapes
 * with odd sizes and 1-pixel edges; max pooling and its backward in both work-item layouts (one
 * per element, one per output row), whichever this device uses. Max pooling and its backward only select and copy values, so
 * they must match exactly (tolerance 0), ties included: the "ties" properties draw integers from
 * {-2..2}, so most windows hold equal values and the first-in-row-major-order rule is checked.
 * The 3x3 average adds at most 9 values of [-1, 1) in float where the reference adds in double:
 * a few float ulps of a sum of at most 9, hence |err| &lt;= 1e-6 + 1e-6 |expected|.
 */
class PoolingKernelProperties {

    private static final int TRIES = 30;

    private final Device cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();

    /** Uploads the inputs to both devices, runs op into poisoned outputs, compares. */
    private void check(Shape[] shapes, float[][] data, Shape out, double rtol, double atol,
                       BiConsumer<Tensor[], Tensor> op, String what) {
        Tensor[] a = new Tensor[shapes.length];
        Tensor[] b = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            a[i] = cl.upload(shapes[i], data[i]);
            b[i] = ref.upload(shapes[i], data[i]);
        }
        try (Tensor outCl = Poison.output(cl, out); Tensor outRef = Poison.output(ref, out)) {
            op.accept(a, outCl);
            op.accept(b, outRef);
            Compare.close(outRef.toArray(), outCl.toArray(), rtol, atol, what + " " + shapes[0]);
        } finally {
            for (int i = 0; i < shapes.length; i++) {
                a[i].close();
                b[i].close();
            }
        }
    }

    /** Integers in {-2..2}: most 2x2 windows contain ties. */
    private static float[] smallIntegers(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(5) - 2;
        }
        return v;
    }

    /** H or W forced to 1 when thin is 1 or 2 respectively: the 1-pixel edges. */
    private static Shape shape(int c, int h, int w, int thin) {
        return Shape.of(c, thin == 1 ? 1 : h, thin == 2 ? 1 : w);
    }

    /** The max-pooling op on the reference, or on this device with a given variant. */
    private BiConsumer<Tensor[], Tensor> maxPool(ClPooling.Variant variant) {
        return (in, out) -> {
            if (in[0].device() == ref) {
                ref.pooling().maxPool2x2(in[0], out);
            } else {
                new ClPooling((OpenClDevice) cl, variant).maxPool2x2(in[0], out);
            }
        };
    }

    private BiConsumer<Tensor[], Tensor> maxPoolBackward(ClPooling.Variant variant) {
        return (in, out) -> {
            if (in[0].device() == ref) {
                ref.pooling().maxPool2x2Backward(in[0], in[1], out);
            } else {
                new ClPooling((OpenClDevice) cl, variant).maxPool2x2Backward(in[0], in[1], out);
            }
        };
    }

    private void maxPoolForward(Shape s, float[] x) {
        for (ClPooling.Variant variant : ClPooling.Variant.values()) {
            check(new Shape[] {s}, new float[][] {x}, Check.pooled(s), 0, 0, maxPool(variant), "maxPool2x2 " + variant);
        }
    }

    private void maxPoolBackward(Shape s, float[] x, long seed) {
        Shape pooled = Check.pooled(s);
        for (ClPooling.Variant variant : ClPooling.Variant.values()) {
            check(new Shape[] {s, pooled}, new float[][] {x, RandomTensors.uniform(seed + 1, pooled.size())}, s, 0, 0,
                    maxPoolBackward(variant), "maxPool2x2Backward " + variant);
        }
    }

    @Property(tries = TRIES)
    void maxPool(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                 @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                 @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolForward(s, RandomTensors.uniform(seed, s.size()));
    }

    @Property(tries = TRIES)
    void maxPoolTies(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                     @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                     @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolForward(s, smallIntegers(seed, s.size()));
    }

    @Property(tries = TRIES)
    void maxPoolBackward(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                         @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                         @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolBackward(s, RandomTensors.uniform(seed, s.size()), seed);
    }

    @Property(tries = TRIES)
    void maxPoolBackwardTies(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                             @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                             @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolBackward(s, smallIntegers(seed, s.size()), seed);
    }

    /** Maps wide enough for the row kernels' float16 steps (32 input columns), with odd edges. */
    @Property(tries = 10)
    void maxPoolWide(@ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                     @ForAll @IntRange(min = 32, max = 150) int w, @ForAll boolean ties, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        float[] x = ties ? smallIntegers(seed, s.size()) : RandomTensors.uniform(seed, s.size());
        maxPoolForward(s, x);
        maxPoolBackward(s, x, seed);
    }

    @Property(tries = TRIES)
    void avgPool3x3(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                    @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                    @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        check(new Shape[] {s}, new float[][] {RandomTensors.uniform(seed, s.size())}, s, 1e-6, 1e-6,
                (in, out) -> in[0].device().pooling().avgPool3x3(in[0], out), "avgPool3x3");
    }
}
