package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Columns;

/**
 * A loss attached to one VGG layer, built from tape ops (so its gradient is the one the op
 * gradient checks prove). In each evaluation it takes the current activation on a tape of its
 * own and returns its own gradient and its value. The gradient is unweighted: the pass's rule
 * weights it where it joins the network's (see {@link HarmonizationObjective}): pass 1 multiplies
 * it by the weight, pass 2 normalises it first.
 */
public interface LayerLoss extends AutoCloseable {

    /** The layer it sits at, e.g. relu4_1. */
    String layer();

    /** The name of its term in the loss log: content, style_relu3_1, hist_relu1_1, ... */
    String term();

    /** Its weight (in pass 2 the own gradient is normalised to unit L2 norm, then scaled by this). */
    double weight();

    /**
     * The columns of its layer it reads (C x 1 x m, at the positions its mask does not zero), or
     * null for the whole map. Off them its own gradient is 0, so it is kept on them too, and joins
     * the network's gradient from there.
     */
    default Columns columns() {
        return null;
    }

    /**
     * The variable the own gradient is taken with respect to: the activation itself, or its
     * {@link #columns}, unless the module says otherwise.
     */
    default Var input(Tape tape, Tensor activation) {
        Columns columns = columns();
        return columns == null ? tape.leaf(activation) : tape.ownedLeaf(columns.gather(activation));
    }

    /** The unweighted loss of {@link #input}, from tape ops on its tape. */
    Var loss(Var input);

    /**
     * The own gradient is this multiple of the loss's gradient: 1, unless the reference's own
     * gradient is a multiple of its loss's (the histogram's). It matters in pass 2 only through
     * the 1e-8 of the normalisation.
     */
    default double gradientScale() {
        return 1;
    }

    /**
     * The own gradient, unweighted (on the {@link #columns}, if any), and the loss's value, both
     * left on the device (the caller closes the evaluation), for the current activation.
     */
    default Evaluation evaluate(Tensor activation) {
        try (Tape tape = new Tape(activation.device())) {
            Var in = input(tape, activation);
            Var loss = loss(in);
            tape.backward(loss, gradientScale());
            return new Evaluation(in.takeGrad(), columns(), loss.takeValue(), weight());
        }
    }

    /**
     * A module's own gradient and value, both unweighted, on the device: the gradient on the
     * module's columns (C x 1 x m) unless they are null, then the whole map. Reading the value is
     * a transfer that waits for the queue, so the objective reads it once the whole evaluation is
     * queued. It closes the gradient and value, not the columns (the module's).
     */
    record Evaluation(Tensor gradient, Columns columns, Tensor value, double weight) implements AutoCloseable {

        /** The weighted value: weight * loss. */
        public double loss() {
            return weight * value.toArray()[0];
        }

        @Override
        public void close() {
            gradient.close();
            value.close();
        }
    }

    @Override
    void close();
}
