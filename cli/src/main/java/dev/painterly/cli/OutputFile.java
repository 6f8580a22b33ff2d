package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result files: written to a temporary file beside the target and moved into place atomically, so
 * a reader never sees a partial PNG; an existing file is replaced only when allowed.
 */
final class OutputFile {

    /** A scan's detail survives; ImageIO's default, 0.75, blurs it. */
    static final float JPEG_QUALITY = 0.95f;

    private OutputFile() {
    }

    /** Fails early when the target exists (and may not be replaced) or its folder is not writable. */
    static void checkWritable(Path target, boolean overwrite) throws IOException {
        checkWritable(target, overwrite, "--out");
    }

    /** As {@link #checkWritable(Path, boolean)}, for a file named by {@code option}, which the messages suggest changing. */
    static void checkWritable(Path target, boolean overwrite, String option) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a folder: give a file name inside it, e.g. " + target.resolve("result.png"));
        }
        if (Files.exists(target) && !overwrite) {
            throw new IOException(target + " already exists: choose another " + option + " or pass --overwrite");
        }
        if (dir == null || !Files.exists(dir)) {
            throw new IOException("cannot write " + target + ": folder " + dir + " does not exist (create it, or choose another " + option + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": " + dir + " is a file, not a folder (choose another " + option + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write " + target + ": folder " + dir + " is not writable (choose another " + option + ")");
        }
    }

    /**
     * A result is written in the format its name says: PNG (lossless, the default of every other
     * file) or JPEG; a name that promises another format would mislead.
     */
    static void checkImageName(Path target) {
        if (!extension(target).equals("png") && !isJpeg(target)) {
            throw new IllegalArgumentException("--out " + target + ": results are PNG or JPEG images, "
                    + "give a name ending in .png (lossless) or .jpg");
        }
    }

    static void writePng(RgbImage image, Path target) throws IOException {
        writeAtomically(target, image::writePng);
    }

    /** A JPEG when the name ends in .jpg or .jpeg (quality {@value #JPEG_QUALITY}), else a PNG. */
    static void writeImage(RgbImage image, Path target) throws IOException {
        if (!isJpeg(target)) {
            writePng(image, target);
            return;
        }
        writeAtomically(target, tmp -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image.toBuffered(), null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }

    private static boolean isJpeg(Path target) {
        String e = extension(target);
        return e.equals("jpg") || e.equals("jpeg");
    }

    /** The file name's extension in lower case, without the dot ("" when none). */
    private static String extension(Path target) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static void writePng(BufferedImage image, Path target) throws IOException {
        writeAtomically(target, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }

    static void writeWeights(Vgg19Weights weights, Map<String, String> metadata, Path target) throws IOException {
        writeAtomically(target, tmp -> Vgg19WeightsFile.write(weights, tmp, metadata));
    }

    static void writeText(String text, Path target) throws IOException {
        writeAtomically(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** What fills the temporary file. */
    private interface Contents {
        void writeTo(Path file) throws IOException;
    }

    private static void writeAtomically(Path target, Contents contents) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write " + target + " (" + e + "): check that its folder exists and is writable", e);
        }
        try {
            contents.writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + " (" + e + "): check free disk space and permissions", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Where an unfinished run keeps its image: OUT.partial.png. */
    static Path partial(Path out) {
        return sibling(out, "partial");
    }

    /** Where a job's loss curves go: OUT.losses.png. */
    static Path lossPlot(Path out) {
        return sibling(out, "losses");
    }

    /** Where a sweep of style levels puts one level's result: OUT.level5.png (OUT.level5.jpg for OUT.jpg). */
    static Path level(Path out, double level) {
        return sibling(out, "level" + StyleLevelOption.label(level), isJpeg(out) ? extension(out) : "png");
    }

    /** Where a sweep of style levels puts the levels side by side: OUT.levels.png. */
    static Path levelSheet(Path out) {
        return sibling(out, "levels");
    }

    /** OUT.png with a suffix before the extension: OUT.pass1.png. */
    static Path sibling(Path out, String suffix) {
        return sibling(out, suffix, "png");
    }

    /** OUT.png (or OUT.jpg) with a suffix and another extension: OUT.losses.jsonl. */
    static Path sibling(Path out, String suffix, String extension) {
        String name = out.getFileName().toString();
        String own = extension(out);
        int dot = own.equals("png") || isJpeg(out) ? name.length() - own.length() - 1 : name.length();
        return out.resolveSibling(name.substring(0, dot) + "." + suffix + "." + extension);
    }

    /** The files a job wrote, for its closing line: "a, b and c". */
    static String list(List<Path> files) {
        List<String> names = files.stream().map(Path::toString).toList();
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
