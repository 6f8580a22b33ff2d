package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.opencl.OpenClDevice;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A {@link Crop} cuts exactly its rectangle and places it back with 0 around; and a fused
 * convolution's backward on a crop ({@link Conv3x3Relu#apply(Var, Var, Var, Crop)}) gives the
 * whole plane's input gradient when the output's gradient is 0 outside the crop shrunk by one
 * (kept at the plane's border): the same doubles in float64, and on OpenCL to float rounding. With
 * a gradient that is not 0 outside, the crop shows: 0 outside it, the whole plane's inside.
 */
class CropProperties {

    private static OpenClDevice openCl;

    @BeforeContainer
    static void open() {
        openCl = TestDevices.openCl();
    }

    @AfterContainer
    static void close() {
        if (openCl != null) {
            openCl.close();
        }
    }

    /** A random rectangle of an h x w plane: {top, left, height, width}. */
    private static int[] rectangle(int h, int w, Random random) {
        int top = random.nextInt(h), left = random.nextInt(w);
        return new int[] {top, left, 1 + random.nextInt(h - top), 1 + random.nextInt(w - left)};
    }

    /** Whether (y, x) lies in the rectangle {top, left, height, width}. */
    private static boolean inside(int[] r, int y, int x) {
        return y >= r[0] && y < r[0] + r[2] && x >= r[1] && x < r[1] + r[3];
    }

    /** A copy of a channels x h x w map with 0 outside the rectangle r. */
    private static float[] zeroOutside(float[] map, int channels, int h, int w, int[] r) {
        float[] out = map.clone();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (!inside(r, y, x)) {
                        out[(c * h + y) * w + x] = 0;
                    }
                }
            }
        }
        return out;
    }

    @Property(tries = 40)
    void aCutIsItsRectangleAndPlacingPutsItBackWithZerosAround(@ForAll @IntRange(min = 1, max = 4) int c,
                                                              @ForAll @IntRange(min = 1, max = 9) int h,
                                                              @ForAll @IntRange(min = 1, max = 9) int w,
                                                              @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        int[] r = rectangle(h, w, new Random(seed));
        double[] f = RandomTensors.uniformDoubles(seed + 1, c * h * w);
        try (Crop crop = Crop.of(d, h, w, r[0], r[1], r[2], r[3]); Tensor map = d.uploadDoubles(Shape.of(c, h, w), f);
             Tensor cut = crop.cut(map); Tensor back = crop.place(d.uploadDoubles(cut.shape(), d.downloadDoubles(cut)))) {
            if (!cut.shape().equals(Shape.of(c, r[2], r[3]))) {
                throw new AssertionError("cut of shape " + cut.shape());
            }
            double[] got = d.downloadDoubles(cut), placed = d.downloadDoubles(back);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean in = inside(r, y, x);
                        double expected = in ? f[(ch * h + y) * w + x] : 0;
                        if (placed[(ch * h + y) * w + x] != expected) {
                            throw new AssertionError("placed map at " + ch + "," + y + "," + x);
                        }
                        if (in && got[(ch * r[2] + y - r[0]) * r[3] + x - r[1]] != expected) {
                            throw new AssertionError("cut at " + ch + "," + y + "," + x);
                        }
                    }
                }
            }
        }
    }

    @Example
    void aRectangleOffItsPlaneOrAPlacedMapOfAnotherSizeIsRefused() {
        JavaDevice d = JavaDevice.exact();
        assertThrows(IllegalArgumentException.class, () -> Crop.of(d, 4, 4, 2, 0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Crop.of(d, 4, 4, 0, 0, 0, 1));
        try (Crop crop = Crop.of(d, 4, 4, 1, 1, 2, 2)) {
            assertThrows(IllegalArgumentException.class, () -> crop.place(d.allocate(Shape.of(1, 2, 3))));
        }
    }

    @Property(tries = 30)
    void theCroppedBackwardIsTheWholePlanesInDouble(@ForAll @IntRange(min = 1, max = 4) int cin,
                                                   @ForAll @IntRange(min = 1, max = 4) int cout,
                                                   @ForAll @IntRange(min = 1, max = 11) int h,
                                                   @ForAll @IntRange(min = 1, max = 11) int w,
                                                   @ForAll long seed) {
        double[][] both = croppedAndWhole(JavaDevice.exact(), cin, cout, h, w, seed);
        // The crop leaves out only sums of exact zeros: the same doubles.
        for (int i = 0; i < both[0].length; i++) {
            if (both[0][i] != both[1][i]) {
                throw new AssertionError("at " + i + ": cropped " + both[0][i] + ", whole " + both[1][i]);
            }
        }
    }

    @Property(tries = 20)
    void theCroppedBackwardIsTheWholePlanesOnOpenCl(@ForAll @IntRange(min = 1, max = 70) int cin,
                                                   @ForAll @IntRange(min = 1, max = 70) int cout,
                                                   @ForAll @IntRange(min = 1, max = 40) int h,
                                                   @ForAll @IntRange(min = 1, max = 40) int w,
                                                   @ForAll long seed) {
        double[][] both = croppedAndWhole(openCl, cin, cout, h, w, seed);
        Compare.close(both[1], both[0], 1e-4, 1e-4 * Math.max(1e-6, Compare.maxAbs(both[1])), "cropped input gradient");
    }

    @Property(tries = 20)
    void theBackwardReadsOnlyItsCrop(@ForAll @IntRange(min = 1, max = 4) int cin, @ForAll @IntRange(min = 1, max = 4) int cout,
                                     @ForAll @IntRange(min = 3, max = 11) int h, @ForAll @IntRange(min = 3, max = 11) int w,
                                     @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        int[] r = rectangle(h, w, new Random(seed));
        float[] g = RandomTensors.uniform(seed + 1, cout * h * w);
        float[] x = RandomTensors.uniform(seed + 2, cin * h * w);
        float[] weight = RandomTensors.uniform(seed + 3, cout * cin * 9);
        double[][] grads = new double[2][];
        try (Crop crop = Crop.of(d, h, w, r[0], r[1], r[2], r[3]); Tensor xt = d.upload(Shape.of(cin, h, w), x);
             Tensor wt = d.upload(Shape.vector(weight.length), weight)) {
            float[][] seeds = {g, zeroOutside(g, cout, h, w, r)};
            for (int k = 0; k < 2; k++) {
                try (Tape tape = new Tape(d); Tensor gt = d.upload(Shape.of(cout, h, w), seeds[k])) {
                    Var in = tape.leaf(xt);
                    Var y = Conv3x3Relu.apply(in, tape.constant(wt), null, k == 0 ? crop : null);
                    tape.backward(y, gt);
                    grads[k] = d.downloadDoubles(in.grad());
                }
            }
        }
        for (int c = 0; c < cin; c++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int i = (c * h + y) * w + xx;
                    boolean in = inside(r, y, xx);
                    // Inside, the crop convolves g there with 0s around it: the whole plane's backward of g cut to the crop.
                    if (grads[0][i] != (in ? grads[1][i] : 0)) {
                        throw new AssertionError("at " + c + "," + y + "," + xx + ": " + grads[0][i] + ", expected "
                                + (in ? grads[1][i] : 0));
                    }
                }
            }
        }
    }

    /**
     * The input gradient of conv-and-ReLU, for an output gradient that is random inside a random
     * rectangle and 0 outside it, computed with the rectangle grown by one as the crop, and on the
     * whole plane: {cropped, whole}.
     */
    private static double[][] croppedAndWhole(Device d, int cin, int cout, int h, int w, long seed) {
        Random random = new Random(seed);
        int[] r = rectangle(h, w, random);
        int top = Math.max(0, r[0] - 1), left = Math.max(0, r[1] - 1);
        int bottom = Math.min(h - 1, r[0] + r[2]), right = Math.min(w - 1, r[1] + r[3]);
        float[] g = zeroOutside(RandomTensors.uniform(seed + 1, cout * h * w), cout, h, w, r);
        float[] x = RandomTensors.uniform(seed + 2, cin * h * w);
        float[] weight = RandomTensors.uniform(seed + 3, cout * cin * 9);
        float[] bias = RandomTensors.uniform(seed + 4, cout);
        double[][] out = new double[2][];
        try (Crop crop = Crop.of(d, h, w, top, left, bottom - top + 1, right - left + 1);
             Tensor xt = d.upload(Shape.of(cin, h, w), x); Tensor wt = d.upload(Shape.vector(weight.length), weight);
             Tensor bt = d.upload(Shape.vector(bias.length), bias); Tensor gt = d.upload(Shape.of(cout, h, w), g)) {
            for (int k = 0; k < 2; k++) {
                try (Tape tape = new Tape(d)) {
                    Var in = tape.leaf(xt);
                    Var y = Conv3x3Relu.apply(in, tape.constant(wt), tape.constant(bt), k == 0 ? crop : null);
                    tape.backward(y, gt);
                    out[k] = d instanceof JavaDevice j ? j.downloadDoubles(in.grad()) : toDoubles(in.grad().toArray());
                }
            }
        }
        return out;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
