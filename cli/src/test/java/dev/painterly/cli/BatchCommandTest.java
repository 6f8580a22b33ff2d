package dev.painterly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code painterly batch DIR --out OUTDIR} on a folder in the paper's naming. */
class BatchCommandTest {

    @TempDir
    Path dir;

    /** Examples 1 (with style_levels.tsv) and 2 (JPEG, with a dilated mask), and files to ignore. */
    private Path examples() throws IOException {
        Path in = Files.createDirectory(dir.resolve("examples"));
        BufferedImage p = TestImages.painting(TestImages.W, TestImages.H);
        TestImages.write(p, in.resolve("1_target.png"));
        TestImages.write(TestImages.composite(p, 20, 10, 36, 26), in.resolve("1_naive.png"));
        TestImages.write(TestImages.mask(TestImages.W, TestImages.H, 20, 10, 36, 26), in.resolve("1_c_mask.png"));
        TestImages.write(p, in.resolve("2_target.jpg"));
        TestImages.write(TestImages.composite(p, 30, 20, 50, 40), in.resolve("2_naive.jpg"));
        TestImages.write(TestImages.mask(TestImages.W, TestImages.H, 30, 20, 50, 40), in.resolve("2_c_mask.jpg"));
        TestImages.write(TestImages.mask(TestImages.W, TestImages.H, 24, 14, 56, 46), in.resolve("2_c_mask_dilated.jpg"));
        TestImages.write(p, in.resolve("1_final_res2.png"));
        Files.writeString(in.resolve("style_levels.tsv"), "1\t4.5\tImpressionism\n");
        return in;
    }

    private Cli.Run batch(Path in, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("batch", in.toString(), "--out", out.toString(),
                "--size", "32", "--iterations", "1,1", "--device", Cli.openClDevice()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void harmonizesEveryExampleAndWritesAContactSheet() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run run = batch(in, out);
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("1_result.losses.png", "1_result.pass1.png", "1_result.png", "2_result.losses.png", "2_result.pass1.png",
                "2_result.png", "contact-sheet.png", "index.html"), Cli.files(out));
        assertTrue(run.out().contains("batch: 2 examples"), run.out());
        assertTrue(run.out().contains("wrote " + out.resolve("2_result.png") + ", " + out.resolve("2_result.pass1.png") + " and "
                + out.resolve("2_result.losses.png")), run.out());
        assertTrue(run.err().contains("painterly: no style level can be estimated for " + in.resolve("2_target.jpg")), run.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<img src=\"../examples/1_target.png\""), html);
        assertTrue(html.contains("<img src=\"../examples/2_naive.jpg\""), html);
        assertTrue(html.contains("<img src=\"2_result.png\""), html);
        assertTrue(html.contains("style level 4.5 (from style_levels.tsv)"), html);
        var sheet = javax.imageio.ImageIO.read(out.resolve("contact-sheet.png").toFile());
        assertEquals(2 * (ContactSheet.ROW_HEIGHT + 2 * Sheet.GAP), sheet.getHeight());
    }

    @Test
    void lossLogBesideEachResult() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run run = batch(in, out, "--loss-log");
        assertEquals(0, run.code(), run.err());
        for (String id : List.of("1", "2")) {
            List<String> lines = Files.readAllLines(out.resolve(id + "_result.losses.jsonl"));
            assertTrue(lines.size() >= 2, "both passes evaluated: " + lines);
            assertEquals(1, new ObjectMapper().readTree(lines.get(0)).get("pass").asInt());
            assertEquals(2, new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("pass").asInt());
            assertTrue(Files.exists(out.resolve(id + "_result.losses.png")));
        }
        assertTrue(run.out().contains(out.resolve("1_result.losses.png") + " and " + out.resolve("1_result.losses.jsonl")), run.out());
    }

    @Test
    void anExistingLossLogIsRefusedWithoutOverwrite() throws IOException {
        Path in = examples();
        Path out = Files.createDirectory(dir.resolve("results"));
        Files.writeString(out.resolve("1_result.losses.jsonl"), "earlier");
        batch(in, out, "--loss-log").failsWith(out.resolve("1_result.losses.jsonl") + " already exists");
        assertEquals(List.of("1_result.losses.jsonl"), Cli.files(out));
    }

    @Test
    void anExampleWhoseLossBecomesNanIsReportedAndTheBatchGoesOn() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run run = Cli.runWithProperty(NumericalSafetyTest.NAN_AT, "1", "batch", in.toString(), "--out", out.toString(),
                "--size", "32", "--iterations", "2,2", "--device", Cli.openClDevice());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("painterly: example 1: the loss of pass 1 became NaN at iteration 1"), run.err());
        assertTrue(run.err().contains("painterly: example 2: the loss of pass 1 became NaN at iteration 1"), run.err());
        assertTrue(run.err().contains("painterly: 2 of 2 examples failed (1, 2): see the messages above"), run.err());
        assertEquals(List.of("1_result.partial.png", "2_result.partial.png"), Cli.files(out));
    }

    @Test
    void existingResultsAreRefusedWithoutOverwrite() throws IOException {
        Path in = examples();
        Path out = Files.createDirectory(dir.resolve("results"));
        Files.writeString(out.resolve("2_result.png"), "earlier");
        batch(in, out).failsWith(out.resolve("2_result.png") + " already exists: choose another --out or pass --overwrite");
        assertEquals(List.of("2_result.png"), Cli.files(out));
    }

    @Test
    void folderWithoutExamples() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        batch(empty, dir.resolve("results")).failsWith("holds no examples: name them N_target.jpg, N_naive.jpg and N_c_mask.jpg");
    }

    @Test
    void incompleteExample() throws IOException {
        Path in = examples();
        Files.delete(in.resolve("2_c_mask.jpg"));
        batch(in, dir.resolve("results")).failsWith("example 2 has no 2_c_mask image");
    }

    @Test
    void aBrokenExampleStopsTheBatchBeforeAnythingIsComputed() throws IOException {
        Path in = examples();
        Files.writeString(in.resolve("2_naive.jpg"), "not a picture");
        Path out = dir.resolve("results");
        batch(in, out).failsWith("2_naive.jpg is not an image we can read");
        assertEquals(List.of(), Cli.files(out));
    }
    @Test
    void shardsSplitTheFolderAndShareTheOutputFolder() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run first = batch(in, out, "--shard", "0/2");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("batch: 1 example in " + in + " (shard 0/2 of 2)"), first.out());
        Cli.Run second = batch(in, out, "--shard", "1/2");
        assertEquals(0, second.code(), second.err());
        assertTrue(first.out().contains("example 2:") && !first.out().contains("example 1:"), first.out());
        assertTrue(second.out().contains("example 1:") && !second.out().contains("example 2:"), second.out());
        assertEquals(List.of("1_result.losses.png", "1_result.pass1.png", "1_result.png", "2_result.losses.png", "2_result.pass1.png",
                "2_result.png", "contact-sheet.shard0of2.png", "contact-sheet.shard1of2.png", "index.shard0of2.html",
                "index.shard1of2.html"), Cli.files(out));
        assertTrue(Files.readString(out.resolve("index.shard1of2.html")).contains("<a href=\"contact-sheet.shard1of2.png\">"));
    }

    @Test
    void aShardWithoutExamplesHasNothingToDo() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run run = batch(in, out, "--shard", "0/3");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("batch: nothing to do: no example number is 0 mod 3"), run.out());
        assertEquals(List.of(), Cli.files(out));
    }

    @Test
    void badShardsAreOneLineUsageErrors() throws IOException {
        Path in = examples();
        Map<String, String> expected = Map.of("2/2", "'2/2': K counts from 0, so it goes from 0 to 1 (with Slurm: --array=0-1",
                "0/0", "N must be at least 1", "1", "'1' is not K/N", "$SLURM_ARRAY_TASK_ID/4", "is not K/N");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            Cli.Run run = batch(in, dir.resolve("results"), "--shard", bad.getKey());
            assertEquals(2, run.code(), run.err());
            List<String> lines = run.err().lines().toList();
            assertEquals(1, lines.size(), run.err());
            assertTrue(lines.get(0).startsWith("painterly: Invalid value for option '--shard': "), lines.get(0));
            assertTrue(lines.get(0).contains(bad.getValue()), lines.get(0));
        }
        assertTrue(Files.notExists(dir.resolve("results")));
    }

    /**
     * The reference backend and the OpenCL device side by side: each example runs once, on one of
     * them, its lines tagged with that device (that they run at the same time is DeviceQueueTest's).
     */
    @Test
    void twoDevicesShareTheExamples() throws IOException {
        Path in = examples();
        TestImages.write(TestImages.painting(TestImages.W, TestImages.H), in.resolve("3_target.png"));
        Files.copy(in.resolve("1_naive.png"), in.resolve("3_naive.png"));
        Files.copy(in.resolve("1_c_mask.png"), in.resolve("3_c_mask.png"));
        Path out = dir.resolve("results");
        String cl = Cli.openClDevice();
        Cli.Run run = Cli.run("batch", in.toString(), "--out", out.toString(), "--size", "16", "--iterations", "1,1",
                "--devices", "java," + cl);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("on 2 devices at once: [java] java"), run.out());
        for (String id : List.of("1", "2", "3")) {
            List<String> started = run.out().lines().filter(l -> l.endsWith("] example " + id + ": started")).toList();
            List<String> wrote = run.out().lines().filter(l -> l.contains("] example " + id + ": wrote " + out.resolve(id + "_result.png")))
                    .toList();
            assertEquals(1, started.size(), run.out());
            assertEquals(1, wrote.size(), run.out());
            String tag = started.get(0).substring(0, started.get(0).indexOf(']') + 1);
            assertTrue(tag.equals("[java]") || tag.equals("[" + cl + "]"), tag);
            assertTrue(wrote.get(0).startsWith(tag), "finished where it started: " + run.out());
        }
        assertTrue(run.err().contains("painterly: [") && run.err().contains("] example 2: no style level can be estimated"), run.err());
        assertEquals(List.of("1_result.losses.png", "1_result.pass1.png", "1_result.png", "2_result.losses.png", "2_result.pass1.png",
                "2_result.png", "3_result.losses.png", "3_result.pass1.png", "3_result.png", "contact-sheet.png", "index.html"),
                Cli.files(out));
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.indexOf("1_result.png") < html.indexOf("2_result.png") && html.indexOf("2_result.png") < html.indexOf("3_result.png"),
                "rows in example order: " + html);
    }

    @Test
    void onSeveralDevicesAFailedExampleIsReportedAndTheOthersGoOn() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        Cli.Run run = Cli.runWithProperty(NumericalSafetyTest.NAN_AT, "1", "batch", in.toString(), "--out", out.toString(),
                "--size", "16", "--iterations", "2,2", "--devices", "java," + Cli.openClDevice());
        assertEquals(1, run.code(), run.err());
        for (String id : List.of("1", "2")) {
            assertEquals(1, run.err().lines().filter(l -> l.matches("painterly: \\[\\w+] example " + id
                    + ": the loss of pass 1 became NaN at iteration 1.*")).count(), run.err());
        }
        assertTrue(run.err().contains("painterly: 2 of 2 examples failed (1, 2): see the messages above"), run.err());
        assertEquals(List.of("1_result.partial.png", "2_result.partial.png"), Cli.files(out));
    }

    @Test
    void badDeviceListsAreOneLineErrors() throws IOException {
        Path in = examples();
        String cl = Cli.openClDevice();
        Path out = dir.resolve("results");
        batch(in, out, "--devices", "java").failsWith("--device and --devices both given");
        Map<String, String> expected = Map.of(cl + "," + cl, "names device " + cl + " twice (" + cl + "): name each device once",
                "java,JAVA", "names device java twice (java and JAVA)", "no-such-device,java", "unknown device 'no-such-device' in --devices",
                "99", "unknown device '99' in --devices", "java,,0", "has an empty entry", "java,all", "'all' stands alone");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            Cli.run("batch", in.toString(), "--out", out.toString(), "--devices", bad.getKey()).failsWith(bad.getValue());
        }
        assertEquals(List.of(), Cli.files(out));
    }
    /** A retried task of an array job goes on where the earlier try stopped. */
    @Test
    void skipFinishedRunsOnlyWhatIsLeft() throws IOException {
        Path in = examples();
        Path out = dir.resolve("results");
        assertEquals(0, batch(in, out, "--shard", "0/2").code());
        Cli.Run rest = batch(in, out, "--skip-finished");
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().contains("batch: skipping 1 finished earlier (2)"), rest.out());
        assertTrue(rest.out().contains("example 1:") && !rest.out().contains("example 2:"), rest.out());
        assertTrue(Files.readString(out.resolve("index.html")).contains("finished by an earlier run"));
        var sheet = javax.imageio.ImageIO.read(out.resolve("contact-sheet.png").toFile());
        assertEquals(2 * (ContactSheet.ROW_HEIGHT + 2 * Sheet.GAP), sheet.getHeight(), "both rows");

        Cli.Run again = batch(in, out, "--skip-finished");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("batch: nothing to do: every example is finished"), again.out());

        Files.delete(out.resolve("1_result.png"));
        batch(in, out, "--skip-finished").failsWith(out.resolve("1_result.pass1.png") + " already exists");
    }
}
