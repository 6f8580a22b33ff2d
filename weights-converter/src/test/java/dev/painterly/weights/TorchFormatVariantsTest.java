package dev.painterly.weights;

import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.weights.TorchFiles.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shapes of PyTorch files that the fixtures made with PyTorch 1.13 do not show: pickles written
 * by Python 2 era PyTorch (as torchvision's vgg19-dcbb9e9d.pth was), storage views, parameters,
 * and checkpoints that wrap the state dict.
 */
class TorchFormatVariantsTest {

    @TempDir
    Path dir;

    /** All 32 tensors as views into ONE root storage "all", laid out one after another. */
    private static List<Tensor> packedIntoOneStorage() {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        long total = tensors.stream().mapToLong(Tensor::storageNumel).sum();
        long offset = 0;
        List<Tensor> views = new java.util.ArrayList<>();
        for (Tensor t : tensors) {
            views.add(new Tensor(t.key(), "all", "FloatStorage", total, offset, t.size(), t.stride()));
            offset += t.storageNumel();
        }
        return views;
    }

    private static byte[] storageBytes(long count) {
        return TorchFiles.floats((int) count);
    }

    /**
     * Python 2 era: OrderedDict([[key, tensor], ...]) with instance state, byte-string keys,
     * _rebuild_tensor without requires_grad, and each tensor's storage a view of one root.
     */
    private static byte[] python2ObjectPickle(List<Tensor> tensors) {
        PickleWriter p = new PickleWriter().proto().global("collections", "OrderedDict").op('(', ']', '(');
        for (Tensor t : tensors) {
            byte[] key = t.key().getBytes(StandardCharsets.US_ASCII);
            p.op('(').op('U', key.length);
            for (byte b : key) {
                p.op(b);
            }
            long numel = t.storageNumel();
            long viewSize = ConvCollector.elementCount(t.size());
            p.global("torch._utils", "_rebuild_tensor").op('(');
            p.op('(').unicode("storage").global("torch", "FloatStorage").unicode("all").unicode("cpu").integer(numel);
            p.op('(').unicode("view-" + t.key()).integer(t.offset()).integer(viewSize).op('t');
            p.op('t', 'Q');
            p.integer(0).tuple(t.size()).tuple(t.stride()).op('t', 'R');
            p.op('l');
        }
        p.op('e', 't', 'R');
        p.op('}').unicode("_metadata").op('}', 's', 'b');
        return p.stop().bytes();
    }

    @Test
    void python2EraLegacyFileWithStorageViews() throws IOException {
        List<Tensor> tensors = packedIntoOneStorage();
        long total = tensors.get(0).storageNumel();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("all", total);
        byte[] file = TorchFiles.legacy(python2ObjectPickle(tensors), counts, Map.of("all", storageBytes(total)));

        Vgg19Weights w = WeightsConverter.read(Files.write(dir.resolve("vgg19-old.pth"), file));

        assertEquals(16, w.layers().size());
        // conv1_1's weight starts the storage; conv1_1's bias follows its 54 weights.
        assertEquals(0.01f, w.layer("conv1_1").weight()[1]);
        assertArrayEquals(new float[] {54 * 0.01f, 55 * 0.01f}, w.layer("conv1_1").bias());
    }

    @Test
    void parametersAndACheckpointWrapper() throws IOException {
        List<Tensor> tensors = TorchFiles.tinyVgg();
        PickleWriter p = new PickleWriter().proto().op('}', '(').unicode("epoch").integer(90).unicode("state_dict")
                .global("collections", "OrderedDict").op(')', 'R', '(');
        for (Tensor t : tensors) {
            p.unicode(t.key()).global("torch._utils", "_rebuild_parameter").op('(');
            p.global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').unicode("storage").global("torch", "FloatStorage").unicode(t.storageKey()).unicode("cpu")
                    .integer(t.storageNumel()).op('t', 'Q');
            p.integer(0).tuple(t.size()).tuple(t.stride()).op(0x88).global("collections", "OrderedDict").op(')', 'R');
            p.op('t', 'R');
            p.op(0x88).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        }
        byte[] pickle = p.op('u', 'u').stop().bytes();

        Vgg19Weights w = WeightsConverter.read(Files.write(dir.resolve("checkpoint.pth"), TorchFiles.zip(pickle, TorchFiles.dataFor(tensors))));

        assertEquals(16, w.layers().size());
        assertEquals(0.01f, w.layer("conv5_4").bias()[1]);
    }

    @Test
    void stridedWeightIsReadInRowMajorOrder() throws IOException {
        List<Tensor> tensors = new java.util.ArrayList<>(TorchFiles.tinyVgg());
        // conv1_2 stored transposed: the storage holds [in][out][3][3], the tensor is [out][in][3][3].
        tensors.set(2, new Tensor("features.2.weight", "w1", "FloatStorage", 36, 0, new long[] {2, 2, 3, 3}, new long[] {9, 18, 3, 1}));
        Map<String, byte[]> data = TorchFiles.dataFor(tensors);

        Vgg19Weights w = WeightsConverter.read(Files.write(dir.resolve("t.pth"), TorchFiles.zip(TorchFiles.objectPickle(tensors), data)));

        float[] storage = new float[36];
        ByteBuffer.wrap(data.get("w1")).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(storage);
        float[] weight = w.layer("conv1_2").weight();
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 9; k++) {
                    assertEquals(storage[(i * 2 + o) * 9 + k], weight[(o * 2 + i) * 9 + k]);
                }
            }
        }
    }
}
