package dev.painterly.engine.vgg;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our weights format: safetensors with {@code conv1_1.weight} [out, in, 3, 3], {@code conv1_1.bias}
 * [out], ... and metadata {@code format=painterly-vgg19} and {@code input_convention} (caffe or
 * torchvision).
 */
public final class Vgg19WeightsFile {

    public static final String FORMAT = "painterly-vgg19";

    private Vgg19WeightsFile() {
    }

    public static void write(Vgg19Weights weights, OutputStream out, Map<String, String> extraMetadata) throws IOException {
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        for (ConvLayer l : weights.layers()) {
            tensors.put(l.name() + ".weight", new SafeTensors.Entry(
                    new long[] {l.outChannels(), l.inChannels(), 3, 3}, l.weight()));
            tensors.put(l.name() + ".bias", new SafeTensors.Entry(new long[] {l.outChannels()}, l.bias()));
        }
        Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
        meta.put("format", FORMAT);
        meta.put("input_convention", weights.convention().id());
        SafeTensors.write(out, tensors, meta);
    }

    public static void write(Vgg19Weights weights, Path path, Map<String, String> extraMetadata) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
            write(weights, out, extraMetadata);
        }
    }

    public static Vgg19Weights read(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return read(in);
        } catch (NoSuchFileException e) {
            throw new IOException("weights file " + path + " does not exist", e);
        }
    }

    /** Reads our format; anything else is an IOException saying what was expected. */
    public static Vgg19Weights read(InputStream in) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(in);
        String format = c.metadata().get("format");
        if (!FORMAT.equals(format)) {
            throw new IOException("not painterly VGG-19 weights: metadata format is " + format + ", expected " + FORMAT
                    + " (convert Caffe or PyTorch weights with 'painterly convert-weights')");
        }
        InputConvention convention;
        try {
            convention = InputConvention.fromId(c.metadata().getOrDefault("input_convention", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException("weights metadata: " + e.getMessage(), e);
        }
        List<ConvLayer> layers = new ArrayList<>();
        for (String name : Vgg19Weights.CONV_NAMES) {
            SafeTensors.Entry w = c.tensors().get(name + ".weight");
            SafeTensors.Entry b = c.tensors().get(name + ".bias");
            if (w == null || b == null) {
                break;
            }
            long[] s = w.shape();
            if (s.length != 4 || s[2] != 3 || s[3] != 3 || b.shape().length != 1 || b.shape()[0] != s[0]) {
                throw new IOException(name + ": expected weight [out, in, 3, 3] and bias [out]");
            }
            layers.add(new ConvLayer(name, (int) s[1], (int) s[0], w.data(), b.data()));
        }
        try {
            return new Vgg19Weights(convention, layers, true);
        } catch (IllegalArgumentException e) {
            throw new IOException("weights do not form a VGG-19: " + e.getMessage(), e);
        }
    }
}
