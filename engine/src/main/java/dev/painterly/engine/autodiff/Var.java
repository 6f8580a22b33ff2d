package dev.painterly.engine.autodiff;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.util.function.DoubleSupplier;

/**
 * A value on a {@link Tape}: a tensor, whether it needs a gradient, and the gradient once the
 * backward pass has reached it (null means zero). The scalars (one element) of reductions
 * recorded with {@link Tape#recordScalar} live on the host: reading one costs no transfer, its
 * value is computed only when first read (a term the job never reads, such as total variation,
 * costs nothing), and its device tensor is made only if an op asks for it.
 */
public final class Var {

    private static final Shape SCALAR = Shape.vector(1);

    private final Tape tape;
    private Tensor value;
    private final boolean requiresGrad;
    /** A reduction's value, until computed. */
    private DoubleSupplier pendingScalar;
    private double hostScalar;
    private boolean hasHostScalar;
    private Tensor grad;
    /**
     * A one-element gradient known on the host (a loss seeded by backward()), else NaN; its device
     * tensor is made only if an op asks for it.
     */
    private double hostGrad = Double.NaN;

    Var(Tape tape, Tensor value, boolean requiresGrad) {
        this.tape = tape;
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /** A reduction's output: its value on the host, computed when first read. */
    Var(Tape tape, DoubleSupplier scalar, boolean requiresGrad) {
        this.tape = tape;
        this.requiresGrad = requiresGrad;
        this.pendingScalar = scalar;
    }

    public Tape tape() {
        return tape;
    }

    /** The value's tensor (for a reduction's output, made on the device now if it was not yet). */
    public Tensor value() {
        if (value == null) {
            value = tape.ownedScalar(scalar());
        }
        return value;
    }

    public Shape shape() {
        return value == null ? SCALAR : value.shape();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The gradient reached so far, or null (zero). Owned by the tape. */
    public Tensor grad() {
        if (grad == null && !Double.isNaN(hostGrad)) {
            grad = tape.device().allocate(shape());
            tape.device().fill(grad, hostGrad);
        }
        return grad;
    }

    /**
     * The value of a one-element Var as a double (no transfer for reduction outputs; a reduction
     * computes it on the first call, which must come while its tape is open).
     */
    public double scalar() {
        if (shape().size() != 1) {
            throw new IllegalStateException("scalar() of a " + shape() + " value");
        }
        if (pendingScalar != null) {
            hostScalar = pendingScalar.getAsDouble();
            hasHostScalar = true;
            pendingScalar = null;
        }
        return hasHostScalar ? hostScalar : tape.device().reductions().sum(value);
    }

    /**
     * The gradient of a one-element Var as a double (0 when none reached it). A loss seeded by
     * {@link Tape#backward(Var)} or {@link Tape#backward(Var, double)} knows it without the device, so a reduction at the end of a
     * loss (a node that asks for this, not for {@link #grad()}) costs no transfer on the way back.
     */
    public double scalarGrad() {
        if (!Double.isNaN(hostGrad)) {
            return hostGrad;
        }
        return grad == null ? 0 : tape.device().reductions().sum(grad);
    }

    /** For ops: adds g to this Var's gradient, taking ownership of g. */
    public void accumulate(Tensor g) {
        if (!requiresGrad) {
            g.close();
            return;
        }
        Tensor current = grad();
        hostGrad = Double.NaN;
        if (current == null) {
            grad = g;
        } else {
            tape.device().elementwise().axpy(1f, g, current);
            g.close();
        }
    }

    /** For {@link Tape#backward(Var, double)}: a gradient of {@code value} in every element, added. */
    void seed(double value) {
        if (!requiresGrad) {
            return;
        }
        if (grad == null && Double.isNaN(hostGrad)) {
            hostGrad = value;
        } else {
            Tensor g = tape.device().allocate(shape());
            tape.device().fill(g, value);
            accumulate(g);
        }
    }

    /**
     * The value's tensor handed over to the caller, who closes it (the tape no longer will): a
     * result kept past the tape's life without a copy.
     */
    public Tensor takeValue() {
        Tensor v = value();
        tape.disown(v);
        return v;
    }

    /** The tape's gradient handed over to the caller, who must close it (null if zero). */
    public Tensor takeGrad() {
        Tensor g = grad();
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
        return "Var" + shape() + (requiresGrad ? " (grad)" : "");
    }
}
