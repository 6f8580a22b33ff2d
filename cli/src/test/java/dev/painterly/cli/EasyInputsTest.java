package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The easy ways in: a cut-out pasted with --object/--at/--scale, a painting of the composite's
 * aspect but another size (resized with a notice), and --style-level auto (5, with a notice that no estimate was possible).
 */
class EasyInputsTest {

    @TempDir
    Path dir;

    @Test
    void cutoutPastedAtAPositionIsHarmonized() throws IOException {
        TestImages.job(dir);
        Path cutout = TestImages.write(TestImages.cutout(12), dir.resolve("cutout.png"));
        Path out = dir.resolve("result.png");
        Cli.Run run = Cli.run("harmonize", "--painting", dir.resolve("painting.png").toString(),
                "--object", cutout.toString(), "--at", "20,10", "--scale", "1.5",
                "--size", "48", "--iterations", "2,2", "--style-level", "auto", "--device", Cli.openClDevice(),
                "--no-postprocess", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("painterly: no style level can be estimated for " + dir.resolve("painting.png")), run.err());
        RgbImage result = RgbImage.read(out);
        RgbImage painting = RgbImage.read(dir.resolve("painting.png"));
        assertEquals(painting.width(), result.width(), "the result is at the painting's own size");
        assertEquals(painting.height(), result.height());
        // The disc (18 px after --scale 1.5) has its top-left corner at (20,10) of the painting: its
        // middle, (29,19), has changed; the painting's far corner is its file's pixel exactly.
        assertTrue(difference(result, painting, 29, 19) > 0.2, "the object must be there");
        assertEquals(0, difference(result, painting, 2, 45), "the painting must be untouched far from it");
    }

    @Test
    void paintingOfTheSameAspectButAnotherSizeIsResized() throws IOException {
        TestImages.job(dir);
        Path big = TestImages.write(TestImages.painting(2 * TestImages.W, 2 * TestImages.H), dir.resolve("big.png"));
        Path out = dir.resolve("result.png");
        Cli.Run run = Cli.run("harmonize", "--painting", big.toString(),
                "--composite", dir.resolve("composite.png").toString(), "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "1,1", "--style-level", "5", "--device", Cli.openClDevice(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("painterly: the painting " + big + " is 128x96 and the composite "), run.err());
        assertTrue(run.err().contains("64x48 (same aspect ratio): resizing to the working size"), run.err());
        assertTrue(Files.exists(out));
    }

    /** The largest difference of a channel at (x, y). */
    private static double difference(RgbImage a, RgbImage b, int x, int y) {
        int plane = a.plane(), i = y * a.width() + x;
        double d = 0;
        for (int c = 0; c < 3; c++) {
            d = Math.max(d, Math.abs(a.planes()[c * plane + i] - b.planes()[c * plane + i]));
        }
        return d;
    }
}
