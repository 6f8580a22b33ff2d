package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;

/**
 * A test function computed on the host in double, as an {@link Objective} on any device. It
 * counts its evaluations and remembers the last x it saw.
 */
final class HostObjective implements Objective {

    /** f and its gradient in double. */
    @FunctionalInterface
    interface Function {
        double value(double[] x, double[] gradient);
    }

    private final Function function;
    private final boolean exact;
    private int evaluations;

    private HostObjective(Function function, boolean exact) {
        this.function = function;
        this.exact = exact;
    }

    /**
     * For a float32 device (OpenCL, {@link JavaDevice#float32()}): x is read and the gradient
     * written as floats, through the device's ordinary transfers.
     */
    static HostObjective float32(Function function) {
        return new HostObjective(function, false);
    }

    /** For {@link JavaDevice#exact()}: x and the gradient keep every bit of their doubles. */
    static HostObjective exact(Function function) {
        return new HostObjective(function, true);
    }

    int evaluations() {
        return evaluations;
    }

    @Override
    public double evaluate(Tensor x, Tensor gradient) {
        evaluations++;
        double[] at = read(x);
        double[] grad = new double[at.length];
        double f = function.value(at, grad);
        if (exact) {
            System.arraycopy(grad, 0, JavaDevice.data(gradient), 0, grad.length);
        } else {
            float[] g = new float[grad.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) grad[i];
            }
            gradient.device().write(gradient, g);
        }
        return f;
    }

    /** x on the host, exactly as the device holds it. */
    static double[] read(Tensor x) {
        Device device = x.device();
        if (device instanceof JavaDevice java) {
            return java.downloadDoubles(x);
        }
        float[] v = device.download(x);
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
