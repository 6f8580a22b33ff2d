package dev.painterly.cli;

import dev.painterly.engine.vgg.WeightsLocator;
import dev.painterly.weights.download.FixtureServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code painterly weights download} end to end, against a local server serving the legacy-format
 * fixture (the format of torchvision's official file), with the data folder in a temporary
 * folder: it installs where {@code harmonize} looks, and refuses what it must with one line, exit
 * 1 and nothing installed.
 */
class WeightsDownloadCommandTest {

    static final String LEGACY = "tiny_vgg19_legacy.pth";

    @TempDir
    Path dir;

    Path data;
    Path installed;
    FixtureServer server;

    @BeforeEach
    void start() throws IOException {
        data = dir.resolve("data");
        installed = data.resolve("painterly").resolve("vgg19.safetensors");
        System.setProperty(WeightsLocator.DATA_HOME_PROPERTY, data.toString());
        server = FixtureServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        System.clearProperty(WeightsLocator.DATA_HOME_PROPERTY);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private String[] harmonize() throws IOException {
        TestImages.job(dir);
        return new String[] {"harmonize", "--device", "java",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "2,2", "--style-level", "5", "--out", dir.resolve("result.png").toString(), "--overwrite"};
    }

    private List<String> dataFiles() throws IOException {
        if (!Files.exists(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).map(p -> data.relativize(p).toString()).toList();
        }
    }

    @Test
    void installsWhereHarmonizeLooks() throws Exception {
        Cli.Run untrained = Cli.run(harmonize());
        assertEquals(0, untrained.code(), untrained.err());
        assertTrue(untrained.err().contains("run 'painterly weights download' once (a 575 MB download)"), untrained.err());

        Cli.Run download = Cli.run("weights", "download", "--url", server.uri(LEGACY).toString(),
                "--sha256", sha256(FixtureServer.fixture(LEGACY)));

        assertEquals(0, download.code(), download.err());
        assertTrue(download.out().contains("installed " + installed), download.out());
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
        Cli.Run trained = Cli.run(harmonize());
        assertEquals(0, trained.code(), trained.err());
        assertFalse(trained.err().contains("no VGG-19 weights found"), trained.err());
        assertFalse(trained.err().contains("untrained"), trained.err());
    }

    @Test
    void aWrongDigestIsRefused() throws Exception {
        Cli.run("weights", "download", "--url", server.uri(LEGACY).toString(), "--sha256", "ab".repeat(32))
                .failsWith("has SHA-256 " + sha256(FixtureServer.fixture(LEGACY)) + ", expected abab");
        assertFalse(Files.exists(data), "nothing left in the data folder, not even the folder");
    }

    @Test
    void anUnreachableServerIsRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/models/vgg19-dcbb9e9d.pth";
        Cli.run("weights", "download", "--url", url, "--sha256", "ab".repeat(32))
                .failsWith("cannot reach 127.0.0.1 (");
        Cli.Run again = Cli.run("weights", "download", "--url", url, "--sha256", "ab".repeat(32));
        assertTrue(again.err().contains("download " + url + " on another machine and run 'painterly convert-weights vgg19-dcbb9e9d.pth "
                + installed + "'"), again.err());
        assertFalse(Files.exists(data), "nothing left in the data folder, not even the folder");
    }

    @Test
    void aStalledServerIsRefused() throws Exception {
        server.behave(FixtureServer.Behaviour.STALL_IN_BODY);
        Cli.run("weights", "download", "--url", server.uri(LEGACY).toString(), "--sha256", sha256(FixtureServer.fixture(LEGACY)),
                "--timeout-ms", "300").failsWith("127.0.0.1 stopped sending after");
        assertFalse(Files.exists(data), "nothing left in the data folder, not even the folder");
    }

    @Test
    void existingWeightsNeedOverwrite() throws Exception {
        Files.createDirectories(installed.getParent());
        Files.writeString(installed, "older weights");
        String[] args = {"weights", "download", "--url", server.uri(LEGACY).toString(), "--sha256", sha256(FixtureServer.fixture(LEGACY))};
        Cli.run(args).failsWith(installed + " already exists: pass --overwrite to replace it");
        assertEquals(0, server.requests());
        assertEquals("older weights", Files.readString(installed));
    }

    @Test
    void keepsTheDownloadWhereAsked() throws Exception {
        Path keep = dir.resolve(LEGACY);
        Path to = dir.resolve("elsewhere.safetensors");
        Cli.Run run = Cli.run("weights", "download", "--url", server.uri(LEGACY).toString(),
                "--sha256", sha256(FixtureServer.fixture(LEGACY)), "--to", to.toString(), "--keep", keep.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isRegularFile(to));
        assertEquals(sha256(FixtureServer.fixture(LEGACY)), sha256(Files.readAllBytes(keep)));
        assertEquals(List.of(), dataFiles(), "--to installs elsewhere");
    }

    @Test
    void aUrlNeedsItsDigestAndExcludesFrom() {
        assertEquals(2, Cli.run("weights", "download", "--url", server.uri(LEGACY).toString()).code());
        assertEquals(2, Cli.run("weights", "download", "--from", "caffe", "--url", server.uri(LEGACY).toString(),
                "--sha256", "ab".repeat(32)).code());
        assertEquals(2, Cli.run("weights", "download", "--from", "imagenet").code());
        Cli.run("weights", "download", "--url", server.uri(LEGACY).toString(), "--sha256", "dcbb9e9d")
                .failsWith("--sha256 dcbb9e9d is not a SHA-256: give its 64 hex digits");
        assertEquals(0, server.requests());
    }
}
