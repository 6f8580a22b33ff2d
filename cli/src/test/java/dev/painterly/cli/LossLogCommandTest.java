package dev.painterly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code harmonize --loss-log FILE}: a line per objective evaluation with every term, pass 1's
 * before pass 2's, and the loss curves OUT.losses.png beside the result; an existing log is
 * refused like any existing output, and a failed run keeps the lines it wrote.
 */
class LossLogCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
    }

    private List<String> harmonize(String... extra) {
        List<String> args = new ArrayList<>(List.of("harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--style-level", "5", "--device", Cli.openClDevice(), "--out", dir.resolve("result.png").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void logsEveryEvaluationOfBothPasses() throws IOException {
        Path log = dir.resolve("losses.jsonl");
        Cli.Run run = Cli.run(harmonize("--iterations", "3,4", "--loss-log", log.toString()).toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(JSON.readTree(line));
        }
        List<List<String>> terms = List.of(
                List.of("content", "style_relu3_1", "style_relu4_1", "style_relu5_1"),
                List.of("content", "style_relu1_1", "style_relu2_1", "style_relu3_1", "style_relu4_1", "hist_relu1_1", "hist_relu4_1"));
        int[] evaluations = new int[3];
        int lastPass = 1;
        for (JsonNode line : lines) {
            assertEquals(List.of("pass", "evaluation", "iteration", "seconds", "terms", "loss"), keys(line));
            int pass = line.get("pass").asInt();
            assertTrue(pass >= lastPass, "pass 1 lines before pass 2 lines: " + line);
            lastPass = pass;
            assertEquals(++evaluations[pass], line.get("evaluation").asInt(), "evaluations counted from 1 in each pass: " + line);
            assertEquals(terms.get(pass - 1), keys(line.get("terms")));
            double sum = 0;
            for (JsonNode term : line.get("terms")) {
                sum += term.asDouble();
            }
            double loss = line.get("loss").asDouble();
            assertTrue(Double.isFinite(loss) && loss > 0, line.toString());
            assertEquals(loss, sum, 1e-9 * Math.abs(loss), "the loss is the sum of the terms: " + line);
            assertTrue(line.get("seconds").asDouble() >= 0, line.toString());
        }
        // At least one evaluation per iteration, and the first one before any step.
        assertTrue(evaluations[1] >= 3 && evaluations[2] >= 4, Arrays.toString(evaluations));
        assertEquals(0, lines.get(0).get("iteration").asInt());
        assertEquals(0, lines.get(evaluations[1]).get("iteration").asInt());
        assertEquals(3, lines.get(evaluations[1] - 1).get("iteration").asInt(), "pass 1's last evaluation is after its last step");

        Path plot = dir.resolve("result.losses.png");
        byte[] png = Files.readAllBytes(plot);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertEquals(2 * LossPlot.PANEL_WIDTH, javax.imageio.ImageIO.read(plot.toFile()).getWidth(), "a panel per pass");
        assertTrue(run.out().contains("wrote " + dir.resolve("result.png") + ", " + dir.resolve("result.pass2.png") + ", "
                + dir.resolve("result.pass1.png") + ", " + plot + " and " + log), run.out());
        assertEquals(List.of("composite.png", "losses.jsonl", "mask.png", "painting.png", "result.losses.png", "result.pass1.png",
                "result.pass2.png", "result.png"), Cli.files(dir), "no temporary file may be left");
    }

    @Test
    void theLossPlotIsWrittenWithoutALog() throws IOException {
        Cli.Run run = Cli.run(harmonize("--iterations", "1,1", "--no-postprocess").toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("composite.png", "mask.png", "painting.png", "result.losses.png", "result.pass1.png", "result.png"),
                Cli.files(dir));
        assertTrue(run.out().contains("wrote " + dir.resolve("result.png") + ", " + dir.resolve("result.pass1.png") + " and "
                + dir.resolve("result.losses.png")), run.out());
    }

    @Test
    void anExistingLogIsRefusedWithoutOverwrite() throws IOException {
        Path log = Files.writeString(dir.resolve("losses.jsonl"), "an earlier log\n");
        Cli.run(harmonize("--iterations", "1,1", "--loss-log", log.toString()).toArray(String[]::new))
                .failsWith(log + " already exists: choose another --loss-log or pass --overwrite");
        assertEquals("an earlier log\n", Files.readString(log));
        assertFalse(Files.exists(dir.resolve("result.png")));
    }

    @Test
    void anExistingLossPlotIsRefusedWithoutOverwrite() throws IOException {
        Path plot = Files.writeString(dir.resolve("result.losses.png"), "an earlier plot");
        Cli.run(harmonize("--iterations", "1,1").toArray(String[]::new)).failsWith(plot + " already exists");
        assertFalse(Files.exists(dir.resolve("result.png")));
    }

    @Test
    void theLogMayNotBeOneOfTheImages() {
        Cli.run(harmonize("--iterations", "1,1", "--loss-log", dir.resolve("result.pass1.png").toString()).toArray(String[]::new))
                .failsWith("is also an image this run writes: give it a name of its own, e.g. " + dir.resolve("result.losses.jsonl"));
    }

    @Test
    void aFailedRunKeepsItsLog() throws IOException {
        Path log = dir.resolve("losses.jsonl");
        Cli.Run run = Cli.runWithProperty(NumericalSafetyTest.NAN_AT, "3", harmonize("--iterations", "10,10", "--loss-log",
                log.toString()).toArray(String[]::new));
        assertEquals(1, run.code(), run.err());
        List<String> lines = Files.readAllLines(log);
        // Evaluations 1 and 2 are finite; the 3rd is NaN, and so is the re-evaluation of the best
        // iterate that the optimiser tries next, after which the run stops.
        assertTrue(lines.size() >= 3, String.join("\n", lines));
        assertTrue(JSON.readTree(lines.get(1)).get("loss").isNumber(), lines.get(1));
        assertTrue(JSON.readTree(lines.get(2)).get("loss").isNull(), "the NaN is logged as null: " + lines.get(2));
        assertFalse(Files.exists(dir.resolve("result.losses.png")), "only a finished job has its curves drawn");
    }
}
