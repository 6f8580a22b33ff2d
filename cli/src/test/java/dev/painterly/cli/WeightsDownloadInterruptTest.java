package dev.painterly.cli;

import dev.painterly.weights.download.FixtureServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C sent to a real {@code painterly weights download} process while the body is coming (the
 * server stalls after the first KB): the process says that nothing was installed, exits with 130,
 * and leaves nothing in the data folder, its temporary file included (nor the folders it created).
 */
class WeightsDownloadInterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCLeavesNothingInstalled() throws Exception {
        Path data = dir.resolve("data");
        try (FixtureServer server = FixtureServer.start()) {
            server.behave(FixtureServer.Behaviour.STALL_IN_BODY);
            List<String> command = new ArrayList<>();
            if (InterruptTest.sigintIgnored()) {
                command.addAll(List.of("env", "--default-signal=INT"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Painterly.class.getName(), "weights", "download",
                    "--url", server.uri("tiny_vgg19_legacy.pth").toString(), "--sha256", "ab".repeat(32)));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("XDG_DATA_HOME", data.toString());
            Process p = pb.start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try {
                assertTrue(waitForTemporaryFile(data.resolve("painterly"), 60), "no download in progress within 60 s");
                new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGINT");
            } finally {
                p.destroyForcibly();
            }
            String err = stderr.get(10, TimeUnit.SECONDS);
            assertTrue(stdout.get(10, TimeUnit.SECONDS).contains("downloading " + server.uri("tiny_vgg19_legacy.pth")), err);
            assertEquals(130, p.exitValue(), err);
            assertTrue(err.contains("painterly: download interrupted; nothing was installed"), err);
            assertFalse(err.contains("\tat "), err);
            assertFalse(Files.exists(data), "left behind: " + files(data));
        }
    }

    private static boolean waitForTemporaryFile(Path folder, int seconds) throws IOException, InterruptedException {
        for (long end = System.nanoTime() + seconds * 1_000_000_000L; System.nanoTime() < end; Thread.sleep(50)) {
            if (files(folder).stream().anyMatch(name -> name.endsWith(".part"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
