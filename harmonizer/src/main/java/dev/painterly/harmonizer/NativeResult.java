package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/**
 * A job's result at the painting's own size ({@link NativeResolution}).
 *
 * @param image         the result: the painting file's pixels wherever the blend mask is zero
 * @param region        the pixels that were recomputed (the blend mask's bounding box plus the patch radius)
 * @param resynthesised whether the region's fine detail was re-synthesised from the painting
 *                      (false when the painting is no larger than the working size, or without post-processing)
 * @param deviceBytes   device memory the step held at its peak, from the device's own ledger
 */
public record NativeResult(RgbImage image, PixelBox region, boolean resynthesised, long deviceBytes) {
}
