package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;

/**
 * A loss attached to one VGG layer. In each evaluation it sees the current activation and returns
 * its raw own gradient (restricted where its rule says so, not yet weighted) and its weighted
 * value; the pass decides how that gradient joins the one flowing back (see
 * {@link HarmonizationObjective}): pass 1 multiplies it by the weight, pass 2 normalises it first.
 */
public interface LayerLoss extends AutoCloseable {

    /** The layer it sits at, e.g. relu4_1. */
    String layer();

    /** The name of its term in the loss log: content, style_relu3_1, hist_relu1_1, ... */
    String term();

    /** Its weight (in pass 2 the own gradient is normalised to unit L2 norm, then scaled by this). */
    double weight();

    /** Raw own gradient (a new tensor the caller closes) and weighted value, for the current activation. */
    Evaluation evaluate(Tensor activation);

    record Evaluation(Tensor gradient, double loss) {
    }

    @Override
    void close();
}
