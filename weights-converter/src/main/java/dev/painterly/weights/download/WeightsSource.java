package dev.painterly.weights.download;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where VGG-19 weights come from and what they must be: the file's size in bytes (-1 when not
 * known in advance), the start of its SHA-256 in hex (all 64 digits for a mirror, the 8 of the
 * file name for torchvision as torch.hub checks them; empty when none is published) and, for the
 * official files, the output channels of the sixteen convolutions.
 */
public record WeightsSource(String name, URI uri, long size, String sha256Prefix, List<Integer> channels) {

    /** VGG-19's convolutions conv1_1 ... conv5_4. */
    public static final List<Integer> VGG19_CHANNELS = List.of(64, 64, 128, 128, 256, 256, 256, 256,
            512, 512, 512, 512, 512, 512, 512, 512);

    /** torchvision's {@code models.vgg19} weights, in torch.save's legacy format. */
    public static final WeightsSource TORCHVISION = new WeightsSource("torchvision",
            URI.create("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"), 574_673_361L, "dcbb9e9d", VGG19_CHANNELS);

    /** The VGG authors' Caffe model, the one the paper used; no digest is published for it. */
    public static final WeightsSource CAFFE = new WeightsSource("caffe",
            URI.create("http://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/VGG_ILSVRC_19_layers.caffemodel"),
            574_671_192L, "", VGG19_CHANNELS);

    public WeightsSource {
        sha256Prefix = sha256Prefix.toLowerCase(Locale.ROOT);
        if (!sha256Prefix.matches("[0-9a-f]{0,64}")) {
            throw new IllegalArgumentException("a SHA-256 prefix of hex digits, not " + sha256Prefix);
        }
        channels = channels == null ? null : List.copyOf(channels);
    }

    /** Any URL, trusted through its full SHA-256 (64 hex digits). */
    public static WeightsSource mirror(URI uri, String sha256) {
        if (!sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("--sha256 " + sha256 + " is not a SHA-256: give its 64 hex digits");
        }
        return new WeightsSource("mirror", uri, -1, sha256, null);
    }

    /** The file name the URL ends in, for messages and the converted file's metadata. */
    public String fileName() {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? "weights" : last;
    }
}
