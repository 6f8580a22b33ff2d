package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Result files: written to a temporary file beside the target and moved into place atomically, so
 * a reader never sees a partial PNG; an existing file is replaced only when allowed.
 */
final class OutputFile {

    private OutputFile() {
    }

    /** Fails early when the target exists (and may not be replaced) or its folder is not writable. */
    static void checkWritable(Path target, boolean overwrite) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.exists(target) && !overwrite) {
            throw new IOException(target + " already exists: choose another --out or pass --overwrite");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write " + target + ": folder " + dir + " is not writable");
        }
    }

    static void writePng(RgbImage image, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            image.writePng(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** OUT.png with a suffix before the extension: OUT.pass1.png. */
    static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        int dot = name.toLowerCase().endsWith(".png") ? name.length() - 4 : name.length();
        return out.resolveSibling(name.substring(0, dot) + "." + suffix + ".png");
    }
}
