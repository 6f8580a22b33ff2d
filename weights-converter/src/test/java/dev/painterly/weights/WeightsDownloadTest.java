package dev.painterly.weights;

import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.SafeTensors;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import dev.painterly.weights.download.DownloadException;
import dev.painterly.weights.download.DownloadProgress;
import dev.painterly.weights.download.FixtureServer;
import dev.painterly.weights.download.FixtureServer.Behaviour;
import dev.painterly.weights.download.WeightsDownloader;
import dev.painterly.weights.download.WeightsSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads from a local server serving the fixtures, well and badly. Every test ends by checking
 * the data folder: the weights installed whole, or nothing at all, and never a temporary file.
 */
class WeightsDownloadTest {

    /** The output channels of the fixtures' narrow VGG-19 (make_vgg_fixtures.py). */
    static final List<Integer> FIXTURE_CHANNELS = List.of(4, 4, 6, 6, 8, 8, 8, 8, 10, 10, 10, 10, 12, 12, 12, 12);
    static final String LEGACY = "tiny_vgg19_legacy.pth";

    @TempDir
    Path dir;

    Path data;
    Path target;
    FixtureServer server;

    @BeforeEach
    void start() throws IOException {
        data = dir.resolve("data");
        target = data.resolve("painterly").resolve("vgg19.safetensors");
        server = FixtureServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private WeightsSource mirror(String name) {
        return WeightsSource.mirror(server.uri(name), sha256(FixtureServer.fixture(name)));
    }

    /** As the official sources are checked: size, the first 8 hex digits of the digest, the channels. */
    private WeightsSource official(String name, List<Integer> channels) {
        byte[] bytes = FixtureServer.fixture(name);
        return new WeightsSource("official", server.uri(name), bytes.length, sha256(bytes).substring(0, 8), channels);
    }

    private static WeightsDownloader downloader() {
        return new WeightsDownloader(Duration.ofSeconds(10), DownloadProgress.NONE);
    }

    private List<String> dataFiles() throws IOException {
        if (!Files.exists(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).map(p -> data.relativize(p).toString()).sorted().toList();
        }
    }

    /** Not even the folders that the download created are left. */
    private void nothingInstalled() {
        assertFalse(Files.exists(data), "the data folder is left behind");
    }

    private DownloadException refused(WeightsSource source, String phrase) {
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(source, target, false, null));
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg19_legacy.pth", "tiny_vgg19_zip.pth", "tiny_vgg19_v2.caffemodel", "tiny_vgg19_v1.caffemodel"})
    void installsWhatPyTorchComputesWith(String name) throws IOException {
        WeightsDownloader.Installed installed = downloader().download(mirror(name), target, false, null);

        InputConvention convention = Fixtures.convention(name);
        Fixtures.assertSameWeights(Fixtures.expected(convention), Vgg19WeightsFile.read(target));
        VggGoldenTest.assertReproducesPyTorch(target, convention.id(), JavaDevice.float32(), Files.createDirectory(dir.resolve("golden")));
        assertEquals(FixtureServer.fixture(name).length, installed.bytes());
        try (InputStream in = Files.newInputStream(target)) {
            var metadata = SafeTensors.read(in).metadata();
            assertEquals(name, metadata.get("source_file"));
            assertEquals(server.uri(name).toString(), metadata.get("source_url"));
        }
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void checksTheOfficialFilesAsTorchHubDoes() throws IOException {
        downloader().download(official(LEGACY, FIXTURE_CHANNELS), target, false, null);
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void aBodyWithoutContentLength() throws IOException {
        server.behave(Behaviour.CHUNKED);
        downloader().download(mirror(LEGACY), target, false, null);
        Fixtures.assertSameWeights(Fixtures.expected(InputConvention.TORCHVISION), Vgg19WeightsFile.read(target));
    }

    @Test
    void wrongDigest() throws IOException {
        WeightsSource wrong = WeightsSource.mirror(server.uri(LEGACY), "0".repeat(64));
        refused(wrong, "has SHA-256 " + sha256(FixtureServer.fixture(LEGACY)) + ", expected 0000");
        nothingInstalled();
    }

    @Test
    void wrongDigestPrefixOfAnOfficialFile() throws IOException {
        byte[] bytes = FixtureServer.fixture(LEGACY);
        refused(new WeightsSource("official", server.uri(LEGACY), bytes.length, "dcbb9e9d", FIXTURE_CHANNELS),
                "expected dcbb9e9d...: the download is corrupt or not the expected file");
        nothingInstalled();
    }

    @Test
    void aNetworkThatIsNotVgg19Itself() throws IOException {
        refused(official(LEGACY, WeightsSource.VGG19_CHANNELS), "output channels, expected VGG-19's [64, 64, 128");
        nothingInstalled();
    }

    @Test
    void anOfficialFileOfTheWrongSize() throws IOException {
        byte[] bytes = FixtureServer.fixture(LEGACY);
        WeightsSource source = new WeightsSource("official", server.uri(LEGACY), bytes.length + 1, "", FIXTURE_CHANNELS);
        refused(source, "offers " + bytes.length + " bytes for " + LEGACY + ", expected " + (bytes.length + 1));
        nothingInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg19_legacy.pth", "tiny_vgg19_zip.pth", "tiny_vgg19_v2.caffemodel"})
    void aTruncatedFile(String name) throws IOException {
        server.behave(Behaviour.SHORT);
        refused(mirror(name), "expected " + sha256(FixtureServer.fixture(name)));
        nothingInstalled();
    }

    @Test
    void aTruncatedOfficialFile() throws IOException {
        server.behave(Behaviour.SHORT);
        WeightsSource source = official(LEGACY, FIXTURE_CHANNELS);
        byte[] bytes = FixtureServer.fixture(LEGACY);
        refused(source, "offers " + bytes.length / 2 + " bytes for " + LEGACY + ", expected " + bytes.length);
        nothingInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg19_legacy.pth", "tiny_vgg19_zip.pth", "tiny_vgg19_v2.caffemodel"})
    void aConnectionDroppedMidBody(String name) throws IOException {
        server.behave(Behaviour.DROP_HALFWAY);
        refused(mirror(name), "broke off after");
        nothingInstalled();
    }

    @Test
    void aRerunAfterADroppedConnectionStartsOver() throws IOException {
        server.behave(Behaviour.DROP_HALFWAY);
        refused(mirror(LEGACY), "run the command again (it starts over)");
        nothingInstalled();
        server.behave(Behaviour.WHOLE);
        downloader().download(mirror(LEGACY), target, false, null);
        Fixtures.assertSameWeights(Fixtures.expected(InputConvention.TORCHVISION), Vgg19WeightsFile.read(target));
        assertEquals(List.of("", ""), server.rangeHeaders(), "both requests ask for the whole file");
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void notFound() throws IOException {
        refused(WeightsSource.mirror(server.uri("vgg19-missing.pth"), "0".repeat(64)), "answered HTTP 404 for " + server.uri("vgg19-missing.pth"));
        nothingInstalled();
    }

    @Test
    void serverError() throws IOException {
        server.behave(Behaviour.FAIL);
        refused(mirror(LEGACY), "answered HTTP 500 for " + server.uri(LEGACY) + ": the server has a problem; try again later");
        nothingInstalled();
    }

    @Test
    void aServerThatStallsInTheBody() throws IOException {
        server.behave(Behaviour.STALL_IN_BODY);
        WeightsDownloader quick = new WeightsDownloader(Duration.ofMillis(300), DownloadProgress.NONE);
        DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DownloadException.class, () -> quick.download(mirror(LEGACY), target, false, null)));
        assertTrue(e.getMessage().contains("127.0.0.1 stopped sending after 0.0 MB of 0.1 MB (nothing for 300 ms): run the command again later"), e.getMessage());
        nothingInstalled();
    }

    @Test
    void aServerThatNeverAnswers() throws IOException {
        server.behave(Behaviour.STALL_BEFORE_HEADERS);
        WeightsDownloader quick = new WeightsDownloader(Duration.ofMillis(300), DownloadProgress.NONE);
        DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DownloadException.class, () -> quick.download(mirror(LEGACY), target, false, null)));
        assertTrue(e.getMessage().contains("accepted the connection but sent no answer within 300 ms"), e.getMessage());
        nothingInstalled();
    }

    @Test
    void anUnreachableServerNamesTheFileAndConvertWeights() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + closedPort + "/models/vgg19-dcbb9e9d.pth");
        DownloadException e = refused(WeightsSource.mirror(uri, "0".repeat(64)), "cannot reach 127.0.0.1");
        assertTrue(e.getMessage().contains("download " + uri + " on another machine and run 'painterly convert-weights vgg19-dcbb9e9d.pth "
                + target + "'"), e.getMessage());
        nothingInstalled();
    }

    @Test
    void anUnknownHost() throws IOException {
        // RFC 6761: names under .invalid never resolve.
        URI uri = URI.create("http://painterly-test.invalid/vgg19-dcbb9e9d.pth");
        DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> refused(WeightsSource.mirror(uri, "0".repeat(64)), "cannot reach painterly-test.invalid (unknown host): check the network"));
        assertTrue(e.getMessage().contains("'painterly convert-weights vgg19-dcbb9e9d.pth " + target + "'"), e.getMessage());
        nothingInstalled();
    }

    @Test
    void keepsTheDownloadedFileWhenAsked() throws IOException {
        Path keep = dir.resolve("kept").resolve(LEGACY);
        downloader().download(mirror(LEGACY), target, false, keep);
        assertArrayEquals(FixtureServer.fixture(LEGACY), Files.readAllBytes(keep));
        assertEquals(List.of(LEGACY), names(keep.getParent()));
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void keepsNothingOfAFailedDownload() throws IOException {
        Path keep = dir.resolve(LEGACY);
        server.behave(Behaviour.DROP_HALFWAY);
        assertThrows(DownloadException.class, () -> downloader().download(mirror(LEGACY), target, false, keep));
        assertFalse(Files.exists(keep));
        assertEquals(List.of(), names(dir));
        nothingInstalled();
    }

    @Test
    void anExistingTargetNeedsOverwrite() throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, "older weights");
        refused(mirror(LEGACY), target + " already exists: pass --overwrite to replace it");
        assertEquals(0, server.requests(), "refused before downloading");
        assertEquals("older weights", Files.readString(target));

        downloader().download(mirror(LEGACY), target, true, null);
        Fixtures.assertSameWeights(Fixtures.expected(InputConvention.TORCHVISION), Vgg19WeightsFile.read(target));
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void aFailedDownloadLeavesTheInstalledWeightsAlone() throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, "older weights");
        server.behave(Behaviour.DROP_HALFWAY);
        assertThrows(DownloadException.class, () -> downloader().download(mirror(LEGACY), target, true, null));
        assertEquals("older weights", Files.readString(target));
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    @Test
    void aTargetWhoseFolderCannotBeCreated() throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("painterly"), "a file where the folder should be");
        refused(mirror(LEGACY), "cannot create the folder " + data.resolve("painterly"));
        assertEquals(0, server.requests(), "refused before downloading");
        assertEquals(List.of("painterly"), dataFiles());
    }

    @Test
    void showsProgressToTheEnd() throws IOException {
        List<Long> seen = new ArrayList<>();
        long[] finished = {-1};
        DownloadProgress progress = new DownloadProgress() {
            @Override
            public void update(long received, long total) {
                assertEquals(FixtureServer.fixture(LEGACY).length, total);
                seen.add(received);
            }

            @Override
            public void finished(long received) {
                finished[0] = received;
            }
        };
        new WeightsDownloader(Duration.ofSeconds(10), progress).download(mirror(LEGACY), target, false, null);
        assertEquals(FixtureServer.fixture(LEGACY).length, finished[0]);
        assertEquals(FixtureServer.fixture(LEGACY).length, seen.get(seen.size() - 1));
        assertTrue(seen.stream().sorted().toList().equals(seen), "progress only grows");
    }

    /** A state dict with a fully connected layer of 32 MB after the convolutions, as in the official file. */
    @Test
    void skipsTheFullyConnectedLayersWithoutHoldingThem() throws IOException {
        List<TorchFiles.Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        tensors.add(TorchFiles.Tensor.contiguous("classifier.0.weight", "fc6", 2048, 4096));
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        server.serve("with-fc.pth", file);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // A first download loads the classes involved, so that only the second is measured.
        downloader().download(mirror(LEGACY), dir.resolve("warm-up.safetensors"), false, null);

        long before = threads.getCurrentThreadAllocatedBytes();
        WeightsDownloader.Installed installed = downloader().download(
                WeightsSource.mirror(server.uri("with-fc.pth"), sha256(file)), target, false, null);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(file.length, installed.bytes());
        assertEquals(16, Vgg19WeightsFile.read(target).layers().size());
        assertTrue(allocated < file.length / 8, "allocated " + allocated + " bytes for a file of " + file.length);
        assertEquals(List.of("painterly/vgg19.safetensors"), dataFiles());
    }

    /** The names in a folder. */
    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
