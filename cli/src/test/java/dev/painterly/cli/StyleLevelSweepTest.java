package dev.painterly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --style-level 1,5} on harmonize and batch: pass 1 once, a result per level named after
 * it, and the levels side by side; {@code auto} uses 5 and says that no estimate was possible.
 */
class StyleLevelSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
    }

    private Cli.Run harmonize(String... extra) {
        List<String> args = new ArrayList<>(List.of("harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "2,2", "--device", Cli.openClDevice(), "--out", dir.resolve("result.png").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void oneResultPerLevelFromOnePass1AndTheLevelsSideBySide() throws IOException {
        Path log = dir.resolve("losses.jsonl");
        Cli.Run run = harmonize("--style-level", "1,5", "--loss-log", log.toString(), "--save-every", "2");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("composite.png", "losses.jsonl", "mask.png", "painting.png", "result.level1.losses.png",
                "result.level1.pass2-0002.png", "result.level1.pass2.png", "result.level1.png", "result.level5.losses.png",
                "result.level5.pass2-0002.png", "result.level5.pass2.png", "result.level5.png", "result.levels.png",
                "result.pass1-0002.png", "result.pass1.png"), Cli.files(dir));
        assertEquals(1, run.out().lines().filter(l -> l.startsWith("pass 1 done")).count(), run.out());
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("pass 2 done")).count(), run.out());

        // The sheet shows the working-size results (pass 1's size); result.levelS.png are at the painting's own size.
        BufferedImage one = ImageIO.read(dir.resolve("result.pass1.png").toFile());
        assertEquals(2 * one.getWidth(), ImageIO.read(dir.resolve("result.level1.png").toFile()).getWidth());

        BufferedImage sheet = ImageIO.read(dir.resolve("result.levels.png").toFile());
        assertEquals(one.getHeight() + Sheet.LABEL_HEIGHT + 2 * Sheet.GAP, sheet.getHeight());
        assertEquals(2 * one.getWidth() + 3 * Sheet.GAP, sheet.getWidth());
        assertTrue(hasDarkPixel(sheet, one.getHeight() + Sheet.GAP, sheet.getHeight() - Sheet.GAP), "labels drawn under the results");

        List<String> passAndLevel = new ArrayList<>();
        Map<Double, Double> firstStyleTerm = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode o = JSON.readTree(line);
            if (o.has("style_level") && o.get("evaluation").asInt() == 1) {
                firstStyleTerm.put(o.get("style_level").asDouble(), o.get("terms").get("style_relu1_1").asDouble());
            }
            String entry = o.get("pass").asInt() + (o.has("style_level") ? "@" + o.get("style_level").asDouble() : "");
            if (passAndLevel.isEmpty() || !passAndLevel.get(passAndLevel.size() - 1).equals(entry)) {
                passAndLevel.add(entry);
            }
        }
        assertEquals(List.of("1", "2@1.0", "2@5.0"), passAndLevel);
        // Each pass 2 starts from the composite with the same matching: only the level's weight differs.
        assertEquals(5 * firstStyleTerm.get(1.0), firstStyleTerm.get(5.0), 1e-4 * firstStyleTerm.get(5.0));
    }

    @Test
    void aSingleLevelKeepsTheUsualNames() throws IOException {
        Cli.Run run = harmonize("--style-level", "7");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("composite.png", "mask.png", "painting.png", "result.losses.png", "result.pass1.png", "result.pass2.png",
                "result.png"), Cli.files(dir));
    }

    @Test
    void autoUsesFiveAndSaysNoEstimateWasPossible() {
        Cli.Run run = harmonize("--style-level", "auto", "--no-postprocess");
        assertEquals(0, run.code(), run.err());
        List<String> notes = run.err().lines().filter(l -> l.contains("style level")).toList();
        assertEquals(1, notes.size(), run.err());
        assertTrue(notes.get(0).startsWith("painterly: no style level can be estimated for " + dir.resolve("painting.png")
                + " (no estimate of ours beats always answering 5): using 5"), notes.get(0));
    }

    @Test
    void aLevelListedTwiceOrOutOfRangeIsRefusedBeforeAnythingRuns() throws IOException {
        harmonize("--style-level", "1,5,1").failsWith("--style-level 1,5,1 lists 1 twice");
        harmonize("--style-level", "1,x").failsWith("a list of them such as 1,5,10, or auto; got '1,x'");
        harmonize("--style-level", "1,500").failsWith("style level must be between 0 and 100, got 500");
        assertEquals(List.of("composite.png", "mask.png", "painting.png"), Cli.files(dir));
    }

    @Test
    void anExistingLevelResultIsNotReplaced() throws IOException {
        Files.writeString(dir.resolve("result.level5.png"), "mine");
        harmonize("--style-level", "1,5").failsWith("result.level5.png already exists");
        assertEquals("mine", Files.readString(dir.resolve("result.level5.png")));
    }

    @Test
    void batchRunsEveryExampleAtEveryLevel() throws IOException {
        Path in = Files.createDirectory(dir.resolve("examples"));
        BufferedImage p = TestImages.painting(TestImages.W, TestImages.H);
        TestImages.write(p, in.resolve("1_target.png"));
        TestImages.write(TestImages.composite(p, 20, 10, 36, 26), in.resolve("1_naive.png"));
        TestImages.write(TestImages.mask(TestImages.W, TestImages.H, 20, 10, 36, 26), in.resolve("1_c_mask.png"));
        Path out = dir.resolve("results");
        Cli.Run run = Cli.run("batch", in.toString(), "--out", out.toString(), "--size", "32", "--iterations", "1,1",
                "--style-level", "2,9", "--device", Cli.openClDevice());
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("1_result.level2.losses.png", "1_result.level2.png", "1_result.level9.losses.png", "1_result.level9.png",
                "1_result.levels.png", "1_result.pass1.png", "contact-sheet.png", "index.html"), Cli.files(out));
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<img src=\"1_result.level9.png\" alt=\"result 1, style level 9\"></a><br>style level 9"), html);
        assertTrue(html.contains("style level 2, 9 (given)"), html);
        BufferedImage sheet = ImageIO.read(out.resolve("contact-sheet.png").toFile());
        assertEquals(ContactSheet.ROW_HEIGHT + Sheet.LABEL_HEIGHT + 2 * Sheet.GAP, sheet.getHeight());
    }

    private static boolean hasDarkPixel(BufferedImage img, int y0, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xff) < 100) {
                    return true;
                }
            }
        }
        return false;
    }
}
