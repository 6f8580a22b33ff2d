package dev.painterly.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Output paths: one that cannot be written and one that exists (without --overwrite) are refused
 * before anything is computed; with --overwrite the result replaces the file atomically, leaving
 * no temporary file behind.
 */
class OutputErrorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
    }

    private Cli.Run harmonize(Path out, String device, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "2,2", "--style-level", "5", "--device", device, "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void folderThatDoesNotExist() {
        Path out = dir.resolve("missing").resolve("result.png");
        harmonize(out, "java").failsWith("folder " + out.getParent() + " does not exist (create it, or choose another --out)");
        assertFalse(Files.exists(out.getParent()));
    }

    @Test
    void folderThatIsAFile() {
        harmonize(dir.resolve("painting.png").resolve("result.png"), "java").failsWith("is a file, not a folder");
    }

    @Test
    void outputThatIsAFolder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("result.png"));
        harmonize(folder, "java").failsWith("is a folder: give a file name inside it");
    }

    @Test
    void outputThatIsNeitherPngNorJpeg() {
        harmonize(dir.resolve("result.tif"), "java").failsWith("results are PNG or JPEG images, give a name ending in .png");
        assertFalse(Files.exists(dir.resolve("result.tif")));
    }

    @Test
    void folderNotWritable() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(locked), "permissions do not stop this user (root) from writing");
        harmonize(locked.resolve("result.png"), "java").failsWith("is not writable (choose another --out)");
    }

    @Test
    void existingOutputIsRefusedWithoutOverwrite() throws IOException {
        Path out = Files.writeString(dir.resolve("result.png"), "an earlier result");
        harmonize(out, "java").failsWith(out + " already exists: choose another --out or pass --overwrite");
        assertEquals("an earlier result", Files.readString(out));
    }

    @Test
    void existingPass1OutputIsRefusedWithoutOverwrite() throws IOException {
        Path pass1 = Files.writeString(dir.resolve("result.pass1.png"), "an earlier result");
        harmonize(dir.resolve("result.png"), "java").failsWith(pass1 + " already exists");
        assertFalse(Files.exists(dir.resolve("result.png")));
    }

    @Test
    void overwriteReplacesAtomically() throws IOException {
        Path outDir = Files.createDirectory(dir.resolve("out"));
        Path out = Files.writeString(outDir.resolve("result.png"), "an earlier result");
        Cli.Run run = harmonize(out, Cli.openClDevice(), "--overwrite");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("result.losses.png", "result.pass1.png", "result.pass2.png", "result.png"), Cli.files(outDir), "no temporary file may be left");
        byte[] png = Files.readAllBytes(out);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }
}
