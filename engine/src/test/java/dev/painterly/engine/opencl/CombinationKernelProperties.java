package dev.painterly.engine.opencl;

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

/**
 * The kernel of combination.cl against the Java reference, and the row copy that fills its
 * matrices, on random matrices of up to 60 rows.
 *
 * <p>Tolerance of the combination: |err| &lt;= 4e-6 * (|alpha x_i| + sum_r |c_r rows[r][i]|) +
 * 1e-30. The kernel adds the terms one by one in float with fma (one rounding per row, and the
 * coefficients rounded to float), the reference in double; with at most 61 terms the float sum is
 * within about 62 unit roundoffs, 3.7e-6, of the sum of |terms| in the worst case, and random signs
 * keep it near the square root of that. The row copy is exact.
 */
class CombinationKernelProperties {

    private static final int TRIES = 25;
    private static final double RTOL = 4e-6;

    private final Device cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();

    @Property(tries = TRIES)
    void combineRows(@ForAll @IntRange(min = 1, max = 30_000) int n, @ForAll @IntRange(min = 0, max = 60) int count,
                     @ForAll long seed) {
        int stored = count + 1;
        float[] matrix = RandomTensors.uniform(seed, stored * n);
        float[] x = RandomTensors.uniform(seed + 1, n);
        Random random = new Random(seed + 2);
        double[] coefficients = new double[count];
        for (int r = 0; r < count; r++) {
            coefficients[r] = 4 * random.nextDouble() - 2;
        }
        double alpha = 2 * random.nextDouble() - 1;
        float[] expected;
        float[] actual;
        try (Tensor rowsRef = ref.upload(Shape.vector(stored * n), matrix);
             Tensor rowsCl = cl.upload(Shape.vector(stored * n), matrix);
             Tensor xRef = ref.upload(Shape.vector(n), x);
             Tensor xCl = cl.upload(Shape.vector(n), x);
             Tensor outRef = Poison.output(ref, Shape.vector(n));
             Tensor outCl = Poison.output(cl, Shape.vector(n))) {
            ref.combination().combineRows(rowsRef, coefficients, alpha, xRef, outRef);
            cl.combination().combineRows(rowsCl, coefficients, alpha, xCl, outCl);
            expected = outRef.toArray();
            actual = outCl.toArray();
        }
        for (int i = 0; i < n; i++) {
            double terms = Math.abs(alpha * x[i]);
            for (int r = 0; r < count; r++) {
                terms += Math.abs(coefficients[r] * matrix[r * n + i]);
            }
            Compare.close(expected[i], actual[i], 0, RTOL * terms + 1e-30,
                    "combineRows n=" + n + " count=" + count + " element " + i);
        }
    }

    /** A row written between others leaves them as they were. */
    @Property(tries = TRIES)
    void copyToRow(@ForAll @IntRange(min = 1, max = 5_000) int n, @ForAll @IntRange(min = 1, max = 8) int count,
                   @ForAll long seed) {
        int row = (int) Math.floorMod(seed, count);
        float[] matrix = RandomTensors.uniform(seed, count * n);
        float[] x = RandomTensors.uniform(seed + 1, n);
        try (Tensor rowsRef = ref.upload(Shape.vector(count * n), matrix);
             Tensor rowsCl = cl.upload(Shape.vector(count * n), matrix);
             Tensor xRef = ref.upload(Shape.vector(n), x);
             Tensor xCl = cl.upload(Shape.vector(n), x)) {
            ref.copyToRow(xRef, rowsRef, row);
            cl.copyToRow(xCl, rowsCl, row);
            float[] expected = matrix.clone();
            System.arraycopy(x, 0, expected, row * n, n);
            Compare.close(expected, rowsRef.toArray(), 0, 0, "copyToRow on the reference");
            Compare.close(expected, rowsCl.toArray(), 0, 0, "copyToRow on OpenCL");
        }
    }
}
