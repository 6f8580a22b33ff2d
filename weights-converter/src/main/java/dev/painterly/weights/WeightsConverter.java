package dev.painterly.weights;

import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Converts VGG-19 weights from Caffe ({@code .caffemodel}) or PyTorch ({@code .pth}, zip or
 * legacy) to our safetensors format ({@link Vgg19WeightsFile}), recognising the source by its
 * first bytes rather than its name.
 */
public final class WeightsConverter {

    /** The formats this converter reads. */
    public enum SourceFormat {
        TORCH_ZIP, TORCH_LEGACY, CAFFE_MODEL;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How {@code pickle.dump(0x1950a86a20f9469cfc6c, f, protocol=2)} begins a legacy .pth. */
    private static final byte[] LEGACY_HEAD = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a,
            0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private WeightsConverter() {
    }

    /** Recognises the format from the first bytes of the file. */
    public static SourceFormat detect(Path in) throws IOException {
        byte[] head;
        try (InputStream stream = Files.newInputStream(in)) {
            head = stream.readNBytes(LEGACY_HEAD.length);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(in.toString(), null, "no such weights file");
        }
        return detect(head, in);
    }

    /**
     * Recognises the format of a stream from its first bytes, which are left to be read again
     * (the stream must support mark).
     */
    public static SourceFormat detect(InputStream in, Path name) throws IOException {
        in.mark(LEGACY_HEAD.length);
        byte[] head = in.readNBytes(LEGACY_HEAD.length);
        in.reset();
        return detect(head, name);
    }

    private static SourceFormat detect(byte[] head, Path in) throws WeightsFormatException {
        if (head.length == 0) {
            throw new WeightsFormatException(in, "is empty; expected VGG-19 weights (.pth or .caffemodel)");
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return SourceFormat.TORCH_ZIP;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            if (!Arrays.equals(head, LEGACY_HEAD)) {
                throw new WeightsFormatException(in, "is a pickle but not a PyTorch file: expected a legacy torch.save file,"
                        + " which starts with the magic number 0x1950a86a20f9469cfc6c");
            }
            return SourceFormat.TORCH_LEGACY;
        }
        if (!startsLikeNetParameter(head)) {
            throw new WeightsFormatException(in, "not a recognised weights file: expected a PyTorch .pth (zip or legacy)"
                    + " or a Caffe .caffemodel");
        }
        return SourceFormat.CAFFE_MODEL;
    }

    /**
     * Whether the first byte is the tag of a NetParameter field: name (1), layers (2), input (3),
     * input_dim (4), force_backward (5), state (6), debug_info (7), input_shape (8), or layer
     * (100, a two-byte tag).
     */
    private static boolean startsLikeNetParameter(byte[] head) {
        int first = head[0] & 0xff;
        return switch (first) {
            case 0x0a, 0x12, 0x1a, 0x20, 0x22, 0x28, 0x32, 0x38, 0x42 -> true;
            case 0xa2 -> head.length > 1 && head[1] == 0x06;
            default -> false;
        };
    }

    /** Reads weights of any supported format. */
    public static Vgg19Weights read(Path in) throws IOException {
        return read(in, detect(in));
    }

    private static Vgg19Weights read(Path in, SourceFormat format) throws IOException {
        try (InputStream stream = Files.newInputStream(in)) {
            return read(stream, Files.size(in), in, format);
        }
    }

    /**
     * Reads weights of a known format from a stream of {@code size} bytes, front to back, in one
     * pass and without keeping what the convolutions do not need; whatever follows the last
     * convolution may be left unread. {@code name} labels messages.
     */
    public static Vgg19Weights read(InputStream in, long size, Path name, SourceFormat format) throws IOException {
        return switch (format) {
            case TORCH_ZIP -> TorchStateDictReader.readZip(in, size, name);
            case TORCH_LEGACY -> TorchStateDictReader.readLegacy(in, size, name);
            case CAFFE_MODEL -> CaffeModelReader.read(in, size, name);
        };
    }

    /** {@link #convert(Path, Path, boolean)} without overwriting. */
    public static Vgg19Weights convert(Path in, Path out) throws IOException {
        return convert(in, out, false);
    }

    /**
     * Converts {@code in} to our format at {@code out}. The result is written to a temporary file
     * beside {@code out} and renamed into place, so {@code out} is never left half written; when
     * anything fails, {@code out} is untouched.
     *
     * @param overwrite whether an existing {@code out} may be replaced; without it an existing
     *                  file is a {@link FileAlreadyExistsException}
     * @return the converted weights
     */
    public static Vgg19Weights convert(Path in, Path out, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(out)) {
            throw new FileAlreadyExistsException(out.toString(), null, "already exists; pass overwrite to replace it");
        }
        SourceFormat format = detect(in);
        Vgg19Weights weights = read(in, format);
        Path target = out.toAbsolutePath();
        // Not createTempFile: its owner-only permissions would carry over to the result.
        Path temp = Files.createFile(target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part"));
        try {
            Vgg19WeightsFile.write(weights, temp, Map.of(
                    "source_format", format.id(),
                    "source_file", WeightsFormatException.label(in)));
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // A plain move in one directory is a rename, which fails if the target exists.
                Files.move(temp, target);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return weights;
    }
}
