package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/** Both passes' outputs at working size, with what the job decided and measured. */
public record HarmonizeResult(RgbImage pass1, RgbImage pass2, RgbImage painting, RgbImage composite, Mask tight,
                              StyleWeights weights, double pass1Seconds, double pass2Seconds) {
}
