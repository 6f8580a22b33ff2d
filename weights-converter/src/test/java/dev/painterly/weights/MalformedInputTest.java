package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.weights.TorchFiles.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files that are not what they claim: each fails with one line saying what was expected. */
class MalformedInputTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private void assertRejected(Path file, String expectedFragment) {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightsConverter.read(file));
        Fixtures.assertOneLineNaming(e, file);
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    // ---- recognising the format ----

    @Test
    void emptyFile() throws IOException {
        assertRejected(write("empty.pth", new byte[0]), "is empty");
    }

    @Test
    void textFile() throws IOException {
        assertRejected(write("notes.caffemodel", "hello, weights\n".getBytes(StandardCharsets.UTF_8)),
                "not a recognised weights file: expected a PyTorch .pth (zip or legacy) or a Caffe .caffemodel");
    }

    @Test
    void aPickleThatIsNotTorchs() throws IOException {
        assertRejected(write("list.pkl", new PickleWriter().op(0x80, 4).op(']').stop().bytes()),
                "is a pickle but not a PyTorch file");
    }

    // ---- PyTorch zip ----

    @Test
    void zipWithoutDataPkl() throws IOException {
        byte[] zip = TorchFiles.zipEntries(Map.of("archive/readme.txt", "hi".getBytes(StandardCharsets.UTF_8)));
        assertRejected(write("x.pth", zip), "not a PyTorch state dict: expected a zip archive with data.pkl");
    }

    @Test
    void zipSignatureOnly() throws IOException {
        assertRejected(write("x.pth", "PK\3\4 and nothing of a zip".getBytes(StandardCharsets.US_ASCII)),
                "not a PyTorch state dict: expected a zip archive with data.pkl");
    }

    @Test
    void zipHoldingAListRatherThanADict() throws IOException {
        byte[] pickle = new PickleWriter().proto().op(']').stop().bytes();
        assertRejected(write("x.pth", TorchFiles.zip(pickle, Map.of())), "expected a state dict");
    }

    @Test
    void zipHoldingAWholeModule() throws IOException {
        byte[] pickle = new PickleWriter().proto().global("torch.nn.modules.container", "Sequential").op(')', 0x81)
                .op('}').op('b').stop().bytes();
        assertRejected(write("x.pth", TorchFiles.zip(pickle, Map.of())),
                "holds a torch.nn.modules.container.Sequential, expected a state dict");
    }

    @Test
    void halfPrecisionWeights() throws IOException {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        Tensor first = tensors.get(0);
        tensors.set(0, new Tensor(first.key(), first.storageKey(), "HalfStorage", first.storageNumel(), 0, first.size(), first.stride()));
        assertRejected(write("x.pth", TorchFiles.zip(TorchFiles.objectPickle(tensors), TorchFiles.dataFor(tensors))),
                "features.0.weight is stored as torch.HalfStorage, expected float32");
    }

    @Test
    void zipLackingAStorage() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        Map<String, byte[]> data = TorchFiles.dataFor(tensors);
        data.remove("w4");
        assertRejected(write("x.pth", TorchFiles.zip(TorchFiles.objectPickle(tensors), data)),
                "lacks archive/data/w4, the storage of conv3_1");
    }

    @Test
    void zipWithAShortStorage() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        Map<String, byte[]> data = TorchFiles.dataFor(tensors);
        data.put("w2", new byte[12]);
        assertRejected(write("x.pth", TorchFiles.zip(TorchFiles.objectPickle(tensors), data)),
                "archive/data/w2 holds 12 bytes, expected 144");
    }

    @Test
    void handBuiltZipAndKeysWithoutTheFeaturesPrefix() throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : TorchFiles.tinyVgg()) {
            tensors.add(new Tensor(t.key().substring("features.".length()), t.storageKey(), t.storageType(), t.storageNumel(),
                    t.offset(), t.size(), t.stride()));
        }
        Vgg19Weights w = WeightsConverter.read(write("x.pth", TorchFiles.zip(TorchFiles.objectPickle(tensors), TorchFiles.dataFor(tensors))));
        assertEquals(16, w.layers().size());
        assertEquals(InputConvention.TORCHVISION, w.convention());
        assertEquals(0.01f, w.layer("conv1_1").weight()[1]);
    }

    // ---- PyTorch legacy ----

    @Test
    void handBuiltLegacyFile() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        Vgg19Weights w = WeightsConverter.read(write("x.pth", file));
        assertEquals(16, w.layers().size());
        assertEquals(0.01f, w.layer("conv5_4").bias()[1]);
    }

    @Test
    void legacyMissingConv5_1() throws IOException {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg().subList(0, 24));
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        assertRejected(write("x.pth", file), "expected the VGG-19 convolutions conv1_1 to conv5_1, but conv5_1 (features.28) is missing");
    }

    @Test
    void legacyWithAGap() throws IOException {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        tensors.subList(10, 12).clear();
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        assertRejected(write("x.pth", file), "has conv3_3 (features.14) but lacks conv3_2 (features.12)");
    }

    @Test
    void legacyStorageCountDisagreesWithThePickle() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        Map<String, Long> counts = new LinkedHashMap<>(TorchFiles.countsFor(tensors));
        counts.put("w0", 7L);
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), counts, TorchFiles.dataFor(tensors));
        assertRejected(write("x.pth", file), "storage w0 holds 7 elements, but the pickle declares 54");
    }

    @Test
    void legacyWithoutMagic() throws IOException {
        byte[] file = new PickleWriter().proto().integer(42).stop().bytes();
        assertRejected(write("x.pth", file), "is a pickle but not a PyTorch file");
    }

    @Test
    void legacyTruncatedInsideThePickle() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        assertRejected(write("x.pth", java.util.Arrays.copyOf(file, 300)), "truncated pickle: expected the pickled state dict");
    }

    @Test
    void channelsThatDoNotChain() throws IOException {
        List<Tensor> tensors = new ArrayList<>(TorchFiles.tinyVgg());
        tensors.set(2, Tensor.contiguous("features.2.weight", "w1", 2, 5, 3, 3));
        byte[] file = TorchFiles.legacy(TorchFiles.objectPickle(tensors), TorchFiles.countsFor(tensors), TorchFiles.dataFor(tensors));
        assertRejected(write("x.pth", file), "the convolutions do not chain like VGG-19's: conv1_2 takes 5 channels");
    }

    // ---- Caffe ----

    private static byte[] caffeNet(List<ProtoWriter> layers) {
        ProtoWriter net = new ProtoWriter().string(1, "net");
        layers.forEach(l -> net.message(100, l));
        return net.bytes();
    }

    private static List<ProtoWriter> caffeConvs() {
        List<ProtoWriter> layers = new ArrayList<>();
        int in = 3;
        for (String name : Vgg19Weights.CONV_NAMES) {
            layers.add(ProtoWriter.conv(name, in, 2));
            in = 2;
        }
        return layers;
    }

    @Test
    void handBuiltCaffeModel() throws IOException {
        Vgg19Weights w = WeightsConverter.read(write("x.caffemodel", caffeNet(caffeConvs())));
        assertEquals(16, w.layers().size());
        assertEquals(InputConvention.CAFFE, w.convention());
    }

    @Test
    void caffeMissingALayer() throws IOException {
        List<ProtoWriter> layers = caffeConvs();
        layers.remove(5);
        assertRejected(write("x.caffemodel", caffeNet(layers)), "has conv3_3 but lacks conv3_2");
    }

    @Test
    void caffeWithoutConvolutions() throws IOException {
        assertRejected(write("x.caffemodel", caffeNet(List.of(new ProtoWriter().string(1, "relu").string(2, "ReLU")))),
                "expected the VGG-19 convolutions conv1_1 to conv5_1, found none");
    }

    @Test
    void caffeConvolutionOfTheWrongType() throws IOException {
        List<ProtoWriter> layers = caffeConvs();
        layers.set(0, new ProtoWriter().string(1, "conv1_1").string(2, "ReLU"));
        assertRejected(write("x.caffemodel", caffeNet(layers)), "layer conv1_1 has type ReLU, expected Convolution");
    }

    @Test
    void caffeConvolutionWithoutBias() throws IOException {
        List<ProtoWriter> layers = caffeConvs();
        layers.set(1, new ProtoWriter().string(1, "conv1_2").string(2, "Convolution").message(7, ProtoWriter.blob(2, 2, 3, 3)));
        assertRejected(write("x.caffemodel", caffeNet(layers)), "layer conv1_2 has 1 blobs, expected 2 (weights and bias)");
    }

    @Test
    void caffeBlobWhoseShapeDisagreesWithItsData() throws IOException {
        List<ProtoWriter> layers = caffeConvs();
        ProtoWriter blob = new ProtoWriter().packedFloats(5, 10).message(7, new ProtoWriter().integer(1, 2).integer(1, 3).integer(1, 3).integer(1, 3));
        layers.set(0, new ProtoWriter().string(1, "conv1_1").string(2, "Convolution").message(7, blob).message(7, ProtoWriter.blob(2)));
        assertRejected(write("x.caffemodel", caffeNet(layers)), "blob 0 of conv1_1 has shape [2, 3, 3, 3] but 10 values");
    }

    @Test
    void caffeWithAGroupField() throws IOException {
        byte[] net = new ProtoWriter().string(1, "net").tag(9, 3).tag(9, 4).bytes();
        assertRejected(write("x.caffemodel", net), "wire type 3");
    }

    @Test
    void caffeTruncatedInsideABlob() throws IOException {
        byte[] net = caffeNet(caffeConvs());
        assertRejected(write("x.caffemodel", java.util.Arrays.copyOf(net, 40)), "truncated protobuf: expected layer 1 of");
    }
}
