package dev.painterly.weights;

import dev.painterly.weights.TorchFiles.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A length, count or size field that declares gigabytes in a small file must fail at once with
 * a clear message, without allocating what it declares. The bytes this thread allocates while
 * reading are measured.
 */
class HugeDeclaredLengthTest {

    private static final long ALLOWANCE = 16L << 20;

    @TempDir
    Path dir;

    private void assertFailsFastWithoutAllocating(String name, byte[] content, String expectedFragment) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Load the classes involved first, so that only the read itself is measured.
        assertThrows(WeightsFormatException.class, () -> WeightsConverter.read(file));
        long before = threads.getCurrentThreadAllocatedBytes();
        WeightsFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(WeightsFormatException.class, () -> WeightsConverter.read(file)));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        Fixtures.assertOneLineNaming(e, file);
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
        assertTrue(allocated < ALLOWANCE, "allocated " + allocated + " bytes");
    }

    @Test
    void caffeLayerLongerThanTheFile() throws IOException {
        byte[] net = new ProtoWriter().string(1, "net").tag(100, 2).varint(Integer.MAX_VALUE)
                .raw(ProtoWriter.conv("conv1_1", 3, 2).bytes()).bytes();
        assertFailsFastWithoutAllocating("x.caffemodel", net, "truncated protobuf: expected layer 1 of 2147483647 bytes");
    }

    @Test
    void caffeBlobDataLongerThanItsLayer() throws IOException {
        ProtoWriter blob = new ProtoWriter().tag(5, 2).varint(0x7ffffff0L).packedFloats(6, 4);
        ProtoWriter layer = new ProtoWriter().string(1, "conv1_1").string(2, "Convolution").message(7, blob);
        byte[] net = new ProtoWriter().string(1, "net").message(100, layer)
                .message(100, new ProtoWriter().string(1, "relu1_1").string(2, "ReLU")).bytes();
        assertFailsFastWithoutAllocating("x.caffemodel", net,
                "corrupt protobuf: the data of blob 0 of conv1_1 claims 2147483632 bytes, more than the");
    }

    @Test
    void caffeLengthBeyondALong() throws IOException {
        byte[] net = new ProtoWriter().string(1, "net").tag(100, 2).varint(-5L).bytes();
        assertFailsFastWithoutAllocating("x.caffemodel", net, "truncated protobuf: expected layer 1 of a negative length");
    }

    private static List<Tensor> withFirstStorage(long numel) {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        Tensor t = tensors.get(0);
        tensors.set(0, new Tensor(t.key(), t.storageKey(), t.storageType(), numel, 0, t.size(), t.stride()));
        return tensors;
    }

    @Test
    void legacyStorageOfBillionsOfElements() throws IOException {
        List<Tensor> tensors = withFirstStorage(Integer.MAX_VALUE - 16L);
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(List.of()));
        assertFailsFastWithoutAllocating("x.pth", file, "truncated: storage w0 needs 2147483631 x 4 bytes");
    }

    @Test
    void legacyStorageCountNearLongMax() throws IOException {
        List<Tensor> tensors = withFirstStorage(Long.MAX_VALUE / 2);
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(List.of()));
        assertFailsFastWithoutAllocating("x.pth", file, "truncated: storage w0 needs");
    }

    @Test
    void zipStorageOfBillionsOfElements() throws IOException {
        List<Tensor> tensors = withFirstStorage(Integer.MAX_VALUE / 4 * 3L);
        byte[] file = TorchFiles.zip(TorchFiles.objectPickle(tensors), TorchFiles.dataFor(TorchFiles.tinyVgg()));
        assertFailsFastWithoutAllocating("x.pth", file, "archive/data/w0 holds 216 bytes, expected 6442450932");
    }

    @Test
    void zipStorageBeyondAnArray() throws IOException {
        List<Tensor> tensors = withFirstStorage(1L << 40);
        byte[] file = TorchFiles.zip(TorchFiles.objectPickle(tensors), TorchFiles.dataFor(TorchFiles.tinyVgg()));
        assertFailsFastWithoutAllocating("x.pth", file, "declares 1099511627776 elements, more than a Java array holds");
    }

    @Test
    void tensorBroadcastFromOneElement() throws IOException {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        tensors.set(0, new Tensor("features.0.weight", "w0", "FloatStorage", 1, 0,
                new long[] {1 << 20, 1 << 20, 3, 3}, new long[] {0, 0, 0, 0}));
        byte[] file = TorchFiles.zip(TorchFiles.objectPickle(tensors), TorchFiles.dataFor(tensors));
        assertFailsFastWithoutAllocating("x.pth", file, "features.0.weight of shape [1048576, 1048576, 3, 3] reaches past the 1 elements");
    }

    @Test
    void pickleStringOfFourGigabytes() throws IOException {
        byte[] pickle = new PickleWriter().proto().op('X').le(0xffffffffL, 4).op('a', 'b').stop().bytes();
        assertFailsFastWithoutAllocating("x.pth", TorchFiles.zip(pickle, Map.of()),
                "truncated pickle: expected archive/data.pkl (an item of 4294967295 bytes, but only 3 remain)");
    }

    @Test
    void pickleBytesOfExabytes() throws IOException {
        byte[] object = new PickleWriter().proto().op(0x8e).le(Long.MAX_VALUE, 8).stop().bytes();
        byte[] file = TorchFiles.legacy(object, new LinkedHashMap<>(), Map.of());
        assertFailsFastWithoutAllocating("x.pth", file, "truncated pickle: expected the pickled state dict (an item of 9223372036854775807 bytes");
    }
}
