package dev.painterly.engine.optim;

import java.util.Random;

/** Test functions with known minimisers. */
final class TestFunctions {

    private TestFunctions() {
    }

    /**
     * f(x) = 0.5 x^T A x - b^T x with A = Q^T Q + lambda I, Q uniform in [-1, 1] / sqrt(n): the
     * eigenvalues of Q^T Q lie in about [0, 4/3], so A is strictly convex with condition number
     * at most about 1 + 4 / (3 lambda).
     */
    record Quadratic(double[][] a, double[] b) implements HostObjective.Function {

        static Quadratic random(long seed, int n, double lambda) {
            Random r = new Random(seed);
            double[][] q = new double[n][n];
            for (double[] row : q) {
                for (int j = 0; j < n; j++) {
                    row[j] = (2 * r.nextDouble() - 1) / Math.sqrt(n);
                }
            }
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = i == j ? lambda : 0;
                    for (int k = 0; k < n; k++) {
                        acc += q[k][i] * q[k][j];
                    }
                    a[i][j] = acc;
                }
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = 2 * r.nextDouble() - 1;
            }
            return new Quadratic(a, b);
        }

        int n() {
            return b.length;
        }

        @Override
        public double value(double[] x, double[] gradient) {
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                double ax = 0;
                for (int j = 0; j < x.length; j++) {
                    ax += a[i][j] * x[j];
                }
                gradient[i] = ax - b[i];
                f += x[i] * (0.5 * ax - b[i]);
            }
            return f;
        }

        /** A^-1 b by Cholesky: A is symmetric positive definite. */
        double[] minimiser() {
            int n = n();
            double[][] l = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double acc = a[i][j];
                    for (int k = 0; k < j; k++) {
                        acc -= l[i][k] * l[j][k];
                    }
                    l[i][j] = i == j ? Math.sqrt(acc) : acc / l[j][j];
                }
            }
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                double acc = b[i];
                for (int k = 0; k < i; k++) {
                    acc -= l[i][k] * z[k];
                }
                z[i] = acc / l[i][i];
            }
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double acc = z[i];
                for (int k = i + 1; k < n; k++) {
                    acc -= l[k][i] * x[k];
                }
                x[i] = acc / l[i][i];
            }
            return x;
        }
    }

    /** sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, written as PyTorch's fixture script does. */
    static double rosenbrock(double[] x, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double u = x[i + 1] - x[i] * x[i];
            double v = 1 - x[i];
            f += 100 * u * u + v * v;
            gradient[i] += -400 * u * x[i] - 2 * v;
            gradient[i + 1] += 200 * u;
        }
        return f;
    }

    /** The L2 distance |x - y|. */
    static double distance(double[] x, double[] y) {
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            acc += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(acc);
    }

    static double norm(double[] x) {
        return distance(x, new double[x.length]);
    }
}
