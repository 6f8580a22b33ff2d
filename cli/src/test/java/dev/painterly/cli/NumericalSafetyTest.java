package dev.painterly.cli;

import dev.painterly.engine.TestHooks;
import dev.painterly.engine.io.RgbImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loss or gradient that becomes NaN stops the run with one message, exit 1, and the last good
 * image in OUT.partial.png (never OUT.png). The NaN is injected into the objective by the engine's
 * test hook -Dpainterly.test.nanAtEvaluation=N (see TestHooks): from the N-th evaluation of an
 * L-BFGS run on, loss and gradient are NaN, and the real optimiser and guards take it from there.
 */
class NumericalSafetyTest {

    static final String NAN_AT = TestHooks.NAN_AT_EVALUATION;

    @TempDir
    Path dir;

    Path outDir;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
        outDir = Files.createDirectory(dir.resolve("out"));
    }

    private Cli.Run harmonize(String iterations, String nanAt) {
        return Cli.runWithProperty(NAN_AT, nanAt, "harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "48", "--iterations", iterations, "--style-level", "5", "--device", Cli.openClDevice(),
                "--out", outDir.resolve("result.png").toString());
    }

    @Test
    void nanInPass1KeepsTheLastGoodImage() throws IOException {
        Path partial = outDir.resolve("result.partial.png");
        harmonize("10,10", "5").failsWith("the loss of pass 1 became NaN at iteration 4; stopped and saved the last good image "
                + "(iteration 3) to " + partial);
        assertEquals(List.of("result.partial.png"), Cli.files(outDir));
        RgbImage kept = RgbImage.read(partial);
        assertEquals(48, kept.width());
        assertEquals(36, kept.height());
        for (float v : kept.planes()) {
            assertEquals(false, Float.isNaN(v));
        }
    }

    @Test
    void nanInPass2KeepsTheLastGoodImage() throws IOException {
        // Pass 1 with 3 iterations evaluates 4 times (its last step too): the NaN there is a
        // divergence at its last iteration, which ends pass 1 at its best iterate; pass 2 then
        // meets NaN from its 4th evaluation on.
        Cli.Run run = harmonize("3,10", "4");
        run.failsWith("the loss of pass 2 became NaN at iteration 3");
        assertTrue(run.err().contains("painterly: pass 1 diverged at iteration 3; ended the pass with its best iterate (iteration 2)\n"
                + "painterly: the loss of pass 2"), "one notice, before the error: " + run.err());
        assertEquals(List.of("result.partial.png"), Cli.files(outDir));
    }
}
