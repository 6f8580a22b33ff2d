package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.BuiltinVgg19;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.util.Optional;

/**
 * The network a job runs with: the installed ImageNet weights when there are some, else the
 * built-in network calibrated on the job's own images at its working size.
 */
record JobWeights(Optional<Vgg19Weights> installed) {

    /** The weights for a job on {@code images} (resized so that the longer side is {@code size}). */
    Vgg19Weights forJob(Device device, int size, RgbImage... images) {
        return installed.orElseGet(() -> BuiltinVgg19.forJob(device, size, images));
    }
}
