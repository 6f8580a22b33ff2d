package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C and SIGTERM, sent to a real {@code painterly harmonize} process in the middle of a long
 * pass (tiny image, 100000 iterations, on OpenCL): it saves the current image as OUT.partial.png,
 * says so, and exits with 128 + the signal's number.
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCSavesThePartialImage() throws Exception {
        interruptWith("INT", 130);
    }

    @Test
    void sigtermSavesThePartialImage() throws Exception {
        interruptWith("TERM", 143);
    }

    private void interruptWith(String signal, int expectedCode) throws Exception {
        String device = Cli.openClDevice();
        TestImages.job(dir);
        Path out = dir.resolve("result.png");
        List<String> command = new ArrayList<>();
        if (sigintIgnored()) {
            // A process started with SIGINT ignored (a background job of a script) passes that on,
            // and the JVM then never sees Ctrl-C: give the child the default disposition back.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Painterly.class.getName(), "harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "100000,10", "--style-level", "5", "--device", device, "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("PAINTERLY_WEIGHTS");
        pb.environment().put("XDG_DATA_HOME", dir.resolve("no-weights").toString());
        Process p = pb.start();
        CountDownLatch iterating = new CountDownLatch(1);
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p, true, iterating));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p, false, null));
        try {
            assertTrue(iterating.await(120, TimeUnit.SECONDS), "no progress line within 120 s");
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIG" + signal);
        } finally {
            p.destroyForcibly();
        }
        String err = stderr.get(10, TimeUnit.SECONDS);
        stdout.get(10, TimeUnit.SECONDS);
        assertEquals(expectedCode, p.exitValue(), err);
        Path partial = dir.resolve("result.partial.png");
        assertTrue(err.contains("painterly: interrupted: saved the current image (pass 1, iteration "), err);
        assertTrue(err.contains(") to " + partial), err);
        assertFalse(err.contains("\tat "), err);
        RgbImage saved = RgbImage.read(partial);
        assertEquals(32, saved.width());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("result.pass1.png")));
    }

    /** Reads a stream of the process to its end; counts {@code iterating} down at the first progress line. */
    private static String read(Process p, boolean stdout, CountDownLatch iterating) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stdout ? p.getInputStream() : p.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                if (iterating != null && line.contains("iteration 25/")) {
                    iterating.countDown();
                }
            }
        } catch (IOException e) {
            all.append(e);
        }
        return all.toString();
    }

    /** Whether this JVM was started with SIGINT ignored (Linux: bit 2 of SigIgn in /proc/self/status). */
    static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
