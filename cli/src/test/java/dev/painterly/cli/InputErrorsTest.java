package dev.painterly.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Bad inputs to {@code harmonize}: each ends with exit 1, one line that says what to do, no stack
 * trace (unless --verbose) and no output file. All are found before any device is used.
 */
class InputErrorsTest {

    @TempDir
    Path dir;

    Path out;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
        out = dir.resolve("out").resolve("result.png");
        Files.createDirectories(out.getParent());
    }

    /** harmonize with the job's files and a tiny size, some replaced: pairs of option and value (null: left out). */
    private Cli.Run harmonize(String... replacements) {
        List<String> args = new ArrayList<>(List.of("harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "1,1", "--style-level", "5", "--device", "java"));
        for (int i = 0; i < replacements.length; i += 2) {
            int at = args.indexOf(replacements[i]);
            if (at >= 0 && replacements[i + 1] == null) {
                args.remove(at + 1);
                args.remove(at);
            } else if (at >= 0) {
                args.set(at + 1, replacements[i + 1]);
            } else {
                args.add(replacements[i]);
                args.add(replacements[i + 1]);
            }
        }
        args.addAll(List.of("--out", out.toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    private void noOutput() throws IOException {
        assertEquals(List.of(), Cli.files(out.getParent()), "no output file may be written");
    }

    @Test
    void missingImage() throws IOException {
        harmonize("--painting", dir.resolve("nope.png").toString()).failsWith("nope.png: no such file: check the path");
        noOutput();
    }

    @Test
    void folderGivenAsImage() throws IOException {
        harmonize("--composite", dir.toString()).failsWith("is a folder, not an image");
        noOutput();
    }

    @Test
    void unreadableImage() throws IOException {
        Path locked = Files.copy(dir.resolve("painting.png"), dir.resolve("locked.png"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "permissions do not stop this user (root) from reading");
        harmonize("--painting", locked.toString()).failsWith("cannot be read: check its permissions");
        noOutput();
    }

    @Test
    void truncatedPng() throws IOException {
        Path cut = TestImages.truncated(dir.resolve("painting.png"), dir.resolve("cut.png"));
        harmonize("--painting", cut.toString()).failsWith("cut.png is truncated or corrupt");
        noOutput();
    }

    @Test
    void truncatedJpeg() throws IOException {
        Path jpeg = TestImages.write(TestImages.painting(TestImages.W, TestImages.H), dir.resolve("painting.jpg"));
        Path cut = TestImages.truncated(jpeg, dir.resolve("cut.jpg"));
        harmonize("--painting", cut.toString()).failsWith("cut.jpg is truncated or corrupt");
        noOutput();
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        harmonize("--mask", empty.toString()).failsWith("empty.png is empty (0 bytes)");
        noOutput();
    }

    @Test
    void textFileNamedPng() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "these are not pixels\n");
        harmonize("--composite", text.toString()).failsWith("notes.png is not an image we can read: give a PNG, JPEG");
        noOutput();
    }

    @Test
    void emptyMask() throws IOException {
        Path black = TestImages.write(TestImages.filled(TestImages.W, TestImages.H, 0), dir.resolve("black.png"));
        harmonize("--mask", black.toString()).failsWith("black.png is empty (no pixel brighter than half-white): paint the object white");
        noOutput();
    }

    @Test
    void maskCoveringEverything() throws IOException {
        Path white = TestImages.write(TestImages.filled(TestImages.W, TestImages.H, 255), dir.resolve("white.png"));
        harmonize("--mask", white.toString()).failsWith("white.png covers 100% of the image");
        noOutput();
    }

    @Test
    void emptyLooseMask() throws IOException {
        Path black = TestImages.write(TestImages.filled(TestImages.W, TestImages.H, 0), dir.resolve("black.png"));
        harmonize("--loose-mask", black.toString()).failsWith("the loose mask " + black + " is empty");
        noOutput();
    }

    @Test
    void paintingOfAnotherAspect() throws IOException {
        Path square = TestImages.write(TestImages.painting(48, 48), dir.resolve("square.png"));
        harmonize("--painting", square.toString()).failsWith("must have the same aspect ratio");
        noOutput();
    }

    @Test
    void maskOfAnotherAspect() throws IOException {
        Path tall = TestImages.write(TestImages.mask(40, 60, 10, 10, 20, 20), dir.resolve("tall.png"));
        harmonize("--mask", tall.toString()).failsWith("must have the same aspect ratio");
        noOutput();
    }

    @Test
    void cutoutWithoutTransparency() throws IOException {
        harmonize("--composite", null, "--mask", null, "--object", dir.resolve("composite.png").toString(), "--at", "1,1")
                .failsWith("has no transparency: save the cut-out as a PNG");
        noOutput();
    }

    @Test
    void cutoutOutsideThePainting() throws IOException {
        Path cutout = TestImages.write(TestImages.cutout(10), dir.resolve("cutout.png"));
        harmonize("--composite", null, "--mask", null, "--object", cutout.toString(), "--at", "70,5")
                .failsWith("lies outside the painting (64x48)");
        noOutput();
    }

    @Test
    void cutoutAndCompositeTogether() throws IOException {
        Path cutout = TestImages.write(TestImages.cutout(10), dir.resolve("cutout.png"));
        harmonize("--object", cutout.toString(), "--at", "1,1").failsWith("give either --composite with --mask, or --object with --at");
        noOutput();
    }

    @Test
    void unknownStyleLevel() throws IOException {
        harmonize("--style-level", "strong").failsWith("--style-level takes a number");
        noOutput();
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Run run = Cli.run("harmonize", "--painting", dir.resolve("nope.png").toString(),
                "--composite", dir.resolve("composite.png").toString(), "--mask", dir.resolve("mask.png").toString(),
                "--style-level", "5", "--device", "java", "--out", out.toString(), "--verbose");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("no such file") && run.err().contains("\tat "), run.err());
    }

    @Test
    void mistypedOptionIsOneLine() {
        Cli.Run run = harmonize("--paintng", "x.png");
        assertEquals(2, run.code());
        assertEquals(1, run.errorLines().size(), run.err());
        assertTrue(run.err().contains("Unknown options: '--paintng'") && run.err().contains("painterly harmonize --help"), run.err());
    }
}
