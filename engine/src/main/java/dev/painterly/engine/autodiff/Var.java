package dev.painterly.engine.autodiff;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * A value on a {@link Tape}: a tensor, whether it needs a gradient, and the gradient once the
 * backward pass has reached it (null means zero). Scalars (one element) made by reductions also
 * keep their value on the host, so reading a loss costs no transfer.
 */
public final class Var {

    private final Tape tape;
    private final Tensor value;
    private final boolean requiresGrad;
    private final double hostScalar;
    private Tensor grad;
    /** The gradient's one element when known on the host (a loss seeded by backward()), else NaN. */
    private double hostGrad = Double.NaN;

    Var(Tape tape, Tensor value, boolean requiresGrad, double hostScalar) {
        this.tape = tape;
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.hostScalar = hostScalar;
    }

    public Tape tape() {
        return tape;
    }

    public Tensor value() {
        return value;
    }

    public Shape shape() {
        return value.shape();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The gradient reached so far, or null (zero). Owned by the tape. */
    public Tensor grad() {
        return grad;
    }

    /** The value of a one-element Var as a double (no transfer for reduction outputs). */
    public double scalar() {
        if (value.size() != 1) {
            throw new IllegalStateException("scalar() of a " + value.shape() + " value");
        }
        return Double.isNaN(hostScalar) ? tape.device().sum(value) : hostScalar;
    }

    /**
     * The gradient of a one-element Var as a double (0 when none reached it). A loss seeded by
     * {@link Tape#backward(Var)} knows it is 1 without reading the device, so reductions at the
     * end of a loss cost no transfer on the way back.
     */
    public double scalarGrad() {
        if (grad == null) {
            return 0;
        }
        return Double.isNaN(hostGrad) ? tape.device().sum(grad) : hostGrad;
    }

    /** For ops: adds g to this Var's gradient, taking ownership of g. */
    public void accumulate(Tensor g) {
        if (!requiresGrad) {
            g.close();
            return;
        }
        hostGrad = Double.NaN;
        if (grad == null) {
            grad = g;
        } else {
            tape.device().axpy(1f, g, grad);
            g.close();
        }
    }

    /** For {@link Tape#backward(Var)}: the seed g, whose every element is {@code value}. */
    void seed(Tensor g, double value) {
        boolean first = grad == null;
        accumulate(g);
        if (first && requiresGrad) {
            hostGrad = value;
        }
    }

    /** The tape's gradient handed over to the caller, who must close it (null if zero). */
    public Tensor takeGrad() {
        Tensor g = grad;
        grad = null;
        hostGrad = Double.NaN;
        return g;
    }

    void releaseGrad() {
        hostGrad = Double.NaN;
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    @Override
    public String toString() {
        return "Var" + value.shape() + (requiresGrad ? " (grad)" : "");
    }
}
