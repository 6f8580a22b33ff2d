package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;

import javax.imageio.ImageIO;
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

    /** Results are PNG files: a name that promises another format would mislead. */
    static void checkPngName(Path target) {
        if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out " + target + ": results are PNG images, give a name ending in .png");
        }
    }

    static void writePng(RgbImage image, Path target) throws IOException {
        writeAtomically(target, image::writePng);
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

    /** Where a sweep of style levels puts one level's result: OUT.level5.png. */
    static Path level(Path out, double level) {
        return sibling(out, "level" + StyleLevelOption.label(level));
    }

    /** Where a sweep of style levels puts the levels side by side: OUT.levels.png. */
    static Path levelSheet(Path out) {
        return sibling(out, "levels");
    }

    /** OUT.png with a suffix before the extension: OUT.pass1.png. */
    static Path sibling(Path out, String suffix) {
        return sibling(out, suffix, "png");
    }

    /** OUT.png with a suffix and another extension: OUT.losses.jsonl. */
    static Path sibling(Path out, String suffix, String extension) {
        String name = out.getFileName().toString();
        int dot = name.toLowerCase().endsWith(".png") ? name.length() - 4 : name.length();
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
