package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/**
 * Both passes' outputs at working size, and the post-processed pass-2 result (null when the job
 * skipped post-processing), with what the job decided and measured.
 */
public record HarmonizeResult(RgbImage pass1, RgbImage pass2, RgbImage painting, RgbImage composite, Mask tight,
                              StyleWeights weights, double pass1Seconds, double pass2Seconds,
                              RgbImage postprocessed, double postprocessSeconds) {

    /** The job's final image: the post-processed result, or pass 2's without post-processing. */
    public RgbImage result() {
        return postprocessed != null ? postprocessed : pass2;
    }

    /**
     * The mask with which {@link #result()} was composed over the painting: outside it the result
     * is the working-size painting. The post-processing's sM, or the blurred tight mask without it.
     */
    public Mask blendMask() {
        return postprocessed != null ? PostProcess.blendMask(tight) : tight.compositingBlur();
    }
}
