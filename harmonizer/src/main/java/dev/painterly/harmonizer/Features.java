package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.vgg.Vgg19;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Feature maps of a fixed image at some layers, kept beyond the tape that computed them. */
final class Features implements AutoCloseable {

    private final Map<String, Tensor> maps;

    private Features(Map<String, Tensor> maps) {
        this.maps = maps;
    }

    static Features of(Vgg19 net, Tensor image, Collection<String> layers) {
        Device d = image.device();
        Map<String, Tensor> maps = new LinkedHashMap<>();
        try (Tape tape = new Tape(d)) {
            for (Map.Entry<String, Var> e : net.features(tape, tape.constant(image), layers).entrySet()) {
                Tensor copy = d.allocate(e.getValue().shape());
                d.copy(e.getValue().value(), copy);
                maps.put(e.getKey(), copy);
            }
        }
        return new Features(maps);
    }

    Tensor get(String layer) {
        return maps.get(layer);
    }

    /** Hands a map over to the caller, who closes it. */
    Tensor take(String layer) {
        return maps.remove(layer);
    }

    @Override
    public void close() {
        maps.values().forEach(Tensor::close);
        maps.clear();
    }
}
