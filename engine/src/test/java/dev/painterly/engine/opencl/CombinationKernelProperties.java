package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.AgainstReference.SingleOp;
import dev.painterly.engine.testing.Compare;
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
        double[] tolerance = new double[n];
        for (int i = 0; i < n; i++) {
            double terms = Math.abs(alpha * x[i]);
            for (int r = 0; r < count; r++) {
                terms += Math.abs(coefficients[r] * matrix[r * n + i]);
            }
            tolerance[i] = RTOL * terms + 1e-30;
        }
        try (AgainstReference run = new AgainstReference(cl).input(Shape.vector(stored * n), matrix)
                .input(Shape.vector(n), x)) {
            run.check((d, in, out) -> d.combination().combineRows(in[0], coefficients, alpha, in[1], out),
                    Shape.vector(n), tolerance, "combineRows n=" + n + " count=" + count);
        }
    }

    /** A row written between others leaves them as they were (the rows are copied into a poisoned matrix first). */
    @Property(tries = TRIES)
    void copyToRow(@ForAll @IntRange(min = 1, max = 5_000) int n, @ForAll @IntRange(min = 1, max = 8) int count,
                   @ForAll long seed) {
        int row = (int) Math.floorMod(seed, count);
        float[] matrix = RandomTensors.uniform(seed, count * n);
        float[] x = RandomTensors.uniform(seed + 1, n);
        float[] expected = matrix.clone();
        System.arraycopy(x, 0, expected, row * n, n);
        SingleOp copyToRow = (d, in, rows) -> {
            d.copy(in[0], rows);
            d.copyToRow(in[1], rows, row);
        };
        Shape rows = Shape.vector(count * n);
        try (AgainstReference run = new AgainstReference(cl).input(rows, matrix).input(Shape.vector(n), x)) {
            Compare.close(expected, run.expected(copyToRow, rows), 0, 0, "copyToRow on the reference");
            Compare.close(expected, run.actual(copyToRow, rows), 0, 0, "copyToRow on OpenCL");
        }
    }
}
