package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.GradientTransform;

import java.util.List;

/**
 * A loss attached to one VGG layer, built from tape ops (so its gradient is the one the op
 * gradient checks prove). In each evaluation it takes the current activation on a tape of its
 * own and returns its weighted own gradient and its value; how the weight applies is the
 * pass's rule (see {@link HarmonizationObjective}): pass 1 multiplies the own gradient by it, pass 2
 * normalises the own gradient first.
 */
public interface LayerLoss extends AutoCloseable {

    /** The layer it sits at, e.g. relu4_1. */
    String layer();

    /** The name of its term in the loss log: content, style_relu3_1, hist_relu1_1, ... */
    String term();

    /** Its weight (in pass 2 the own gradient is normalised to unit L2 norm, then scaled by this). */
    double weight();

    /**
     * The variable the own gradient is taken with respect to: the activation itself, unless the
     * module says otherwise.
     */
    default Var input(Tape tape, Tensor activation) {
        return tape.leaf(activation);
    }

    /** The unweighted loss of {@link #input}, from tape ops on its tape. */
    Var loss(Var input);

    /**
     * The own gradient, weighted by {@code weighting}, and the loss's value, both left on the
     * device (the caller closes the evaluation), for the current activation.
     */
    default Evaluation evaluate(Tensor activation, GradientTransform.Step weighting) {
        try (Tape tape = new Tape(activation.device())) {
            Var in = input(tape, activation);
            Var loss = loss(GradientTransform.apply(in, List.of(weighting)));
            tape.backward(loss);
            return new Evaluation(in.takeGrad(), loss.takeValue(), weight());
        }
    }

    /**
     * A module's own gradient and unweighted value on the device. Reading the value is a transfer
     * that waits for the queue, so the objective reads it once the whole evaluation is queued.
     */
    record Evaluation(Tensor gradient, Tensor value, double weight) implements AutoCloseable {

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
