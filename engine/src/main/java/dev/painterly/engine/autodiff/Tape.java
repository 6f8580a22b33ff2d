package dev.painterly.engine.autodiff;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Reverse-mode automatic differentiation. Ops (package {@code dev.painterly.engine.ops}) compute
 * their output and {@link #record} a {@link Node} that knows their backward step; only ops with
 * an input that needs a gradient are recorded. {@link #backward} walks the nodes in reverse order
 * of creation, which is a topological order. Closing the tape releases every tensor it owns: the
 * ops' outputs and all gradients not taken with {@link Var#takeGrad()}.
 */
public final class Tape implements AutoCloseable {

    private final Device device;
    private final List<Var> vars = new ArrayList<>();
    private final List<Tensor> owned = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Var> nodeOutputs = new ArrayList<>();

    public Tape(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    /** A value the tape does not own and that needs no gradient (weights, targets, masks). */
    public Var constant(Tensor t) {
        return register(t, false);
    }

    /** A value that needs no gradient, made for this tape, which closes it with the rest. */
    public Var ownedConstant(Tensor t) {
        Var v = constant(t);
        owned.add(t);
        return v;
    }

    /** A value the tape does not own whose gradient is wanted (the image being optimised). */
    public Var leaf(Tensor t) {
        return register(t, true);
    }

    /** A value made for this tape whose gradient is wanted; the tape closes it with the rest. */
    public Var ownedLeaf(Tensor t) {
        // Owned first: a tensor the tape refuses is still closed with it.
        owned.add(t);
        return leaf(t);
    }

    private Var register(Tensor t, boolean requiresGrad) {
        if (t.device() != device) {
            throw new IllegalArgumentException("tensor on " + t.device().name() + " used on a tape of " + device.name());
        }
        return register(new Var(this, t, requiresGrad));
    }

    private Var register(Var v) {
        vars.add(v);
        return v;
    }

    /**
     * For ops: wraps the output tensor (owned by the tape), and records the node made by
     * {@code node} when an input needs a gradient.
     */
    public Var record(Tensor output, Function<Var, Node> node, Var... inputs) {
        owned.add(output);
        return record(register(output, needsGrad(inputs)), node);
    }

    /**
     * For reductions: as {@link #record}, with the output a scalar on the host, computed by
     * {@code value} when first read (while the tape is open) and never if nobody reads it.
     */
    public Var recordScalar(DoubleSupplier value, Function<Var, Node> node, Var... inputs) {
        return record(register(new Var(this, value, needsGrad(inputs))), node);
    }

    /** For ops whose output is an input's tensor itself (identity forward): not owned twice. */
    public Var recordAlias(Tensor output, Function<Var, Node> node, Var... inputs) {
        return record(register(output, needsGrad(inputs)), node);
    }

    private boolean needsGrad(Var... inputs) {
        boolean needsGrad = false;
        for (Var in : inputs) {
            if (in.tape() != this) {
                throw new IllegalArgumentException("input " + in + " belongs to another tape");
            }
            needsGrad |= in.requiresGrad();
        }
        return needsGrad;
    }

    private Var record(Var out, Function<Var, Node> node) {
        if (out.requiresGrad()) {
            nodes.add(node.apply(out));
            nodeOutputs.add(out);
        }
        return out;
    }

    /** For {@link Var#takeValue()}: the tape no longer closes t. */
    void disown(Tensor t) {
        owned.removeIf(o -> o == t);
    }

    /** For {@link Var#value()}: a reduction's value as a one-element tensor the tape owns. */
    Tensor ownedScalar(double value) {
        Tensor t = device.allocate(Shape.vector(1));
        device.fill(t, value);
        owned.add(t);
        return t;
    }

    /** Backward from a scalar: its gradient is seeded with 1. */
    public void backward(Var loss) {
        backward(loss, 1);
    }

    /** Backward from a scalar whose gradient is {@code seed}: the gradients of seed * loss, with no kernel for the seed. */
    public void backward(Var loss, double seed) {
        if (loss.shape().size() != 1) {
            throw new IllegalArgumentException("backward() with a number for a seed needs a scalar; got " + loss.shape());
        }
        loss.seed(seed);
        runNodes();
    }

    /** Backward from any Var, its gradient seeded with a copy of {@code seed}. */
    public void backward(Var from, Tensor seed) {
        Check.sameShape(from.value(), seed);
        Tensor g = device.allocate(seed.shape());
        device.copy(seed, g);
        run(from, g);
    }

    /**
     * Backward from the last recorded node, with no seed: the gradients come only from nodes that
     * inject their own (such as {@link dev.painterly.engine.ops.GradientTransform}).
     */
    public void backward() {
        runNodes();
    }

    private void run(Var from, Tensor seed) {
        from.accumulate(seed);
        runNodes();
    }

    private void runNodes() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).backward();
            // An op output's gradient is dead once its node has run: release it to bound memory.
            nodeOutputs.get(i).releaseGrad();
        }
    }

    /** Number of recorded nodes (ops whose inputs need gradients). */
    public int size() {
        return nodes.size();
    }

    @Override
    public void close() {
        for (Var v : vars) {
            v.releaseGrad();
        }
        for (Tensor t : owned) {
            t.close();
        }
        vars.clear();
        owned.clear();
        nodes.clear();
        nodeOutputs.clear();
    }
}
