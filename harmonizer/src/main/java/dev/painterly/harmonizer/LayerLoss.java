package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;

/**
 * A loss attached to one VGG layer. In each evaluation it sees the current activation and returns
 * its own gradient (already restricted where its rule says so) and its value; the pass decides
 * how that gradient joins the one flowing back (see {@link HarmonizationObjective}).
 */
public interface LayerLoss extends AutoCloseable {

    /** The layer it sits at, e.g. relu4_1. */
    String layer();

    /** Its weight (in pass 2 the own gradient is normalised to unit L2 norm, then scaled by this). */
    double weight();

    /** Own gradient (a new tensor the caller closes) and value, for the current activation. */
    Evaluation evaluate(Tensor activation);

    record Evaluation(Tensor gradient, double loss) {
    }

    @Override
    void close();
}
