package dev.painterly.cli;

import dev.painterly.engine.TestHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing from the OpenCL binding's own loader reaches the terminal. JOCL's native code prints
 * "Could not load libOpenCL.so.1" to the process's stdout, beyond System.out, so these run the
 * tool as a child process and read both of its streams whole.
 */
class BindingNoiseTest {

    @TempDir
    Path dir;

    private record Output(int code, String out, String err) {
    }

    private Output painterly(List<String> jvm, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Painterly.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("PAINTERLY_WEIGHTS");
        pb.environment().put("XDG_DATA_HOME", dir.resolve("no-weights").toString());
        pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        return new Output(p.exitValue(), java.nio.file.Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                java.nio.file.Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void listingDevicesPrintsOnlyOurLines() throws Exception {
        Output o = painterly(List.of(), "devices");
        assertEquals(0, o.code(), o.err());
        assertEquals("", o.err());
        assertFalse(o.out().contains("Could not"), o.out());
        assertTrue(o.out().lines().allMatch(l -> l.startsWith("  ") || l.startsWith("* ") || l.startsWith("no OpenCL device found")),
                o.out());
    }

    @Test
    void withoutOpenClAJobFailsWithOneLineAndNothingElse() throws Exception {
        TestImages.job(dir);
        Output o = painterly(List.of("-D" + TestHooks.HIDE_OPENCL + "=true"), "harmonize",
                "--painting", dir.resolve("painting.png").toString(), "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(), "--size", "32", "--iterations", "2,2", "--style-level", "5",
                "--out", dir.resolve("result.png").toString());
        assertEquals(1, o.code());
        assertEquals("", o.out());
        List<String> lines = o.err().lines().filter(l -> !l.contains("no VGG-19 weights found")).toList();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).startsWith("painterly: no OpenCL device found: "), lines.get(0));
    }
}
