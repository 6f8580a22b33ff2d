package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.SafeTensors;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each golden source file converts to exactly the expected weights, bit for bit. */
class FixtureConversionTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg19_zip.pth", "tiny_vgg19_legacy.pth", "tiny_vgg19_v2.caffemodel", "tiny_vgg19_v1.caffemodel"})
    void convertsToTheExpectedWeights(String source, @TempDir Path dir) throws IOException {
        InputConvention convention = Fixtures.convention(source);
        Vgg19Weights expected = Fixtures.expected(convention);
        assertEquals(16, expected.layers().size());
        Path out = dir.resolve("vgg19.safetensors");

        Vgg19Weights returned = WeightsConverter.convert(Fixtures.path(source), out);

        Fixtures.assertSameWeights(expected, returned);
        Fixtures.assertSameWeights(expected, Vgg19WeightsFile.read(out));
        try (InputStream in = Files.newInputStream(out)) {
            var metadata = SafeTensors.read(in).metadata();
            assertEquals("painterly-vgg19", metadata.get("format"));
            assertEquals(convention.id(), metadata.get("input_convention"));
            assertEquals(source, metadata.get("source_file"));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "tiny_vgg19_zip.pth, TORCH_ZIP",
            "tiny_vgg19_legacy.pth, TORCH_LEGACY",
            "tiny_vgg19_v2.caffemodel, CAFFE_MODEL",
            "tiny_vgg19_v1.caffemodel, CAFFE_MODEL"})
    void recognisesTheFormatByContent(String source, WeightsConverter.SourceFormat format) throws IOException {
        assertEquals(format, WeightsConverter.detect(Fixtures.path(source)));
    }

    @Test
    void theReadersWorkOnTheirOwn() throws IOException {
        Vgg19Weights torchvision = Fixtures.expected(InputConvention.TORCHVISION);
        Vgg19Weights caffe = Fixtures.expected(InputConvention.CAFFE);
        Fixtures.assertSameWeights(torchvision, TorchStateDictReader.readZip(Fixtures.path("tiny_vgg19_zip.pth")));
        Fixtures.assertSameWeights(torchvision, TorchStateDictReader.readLegacy(Fixtures.path("tiny_vgg19_legacy.pth")));
        Fixtures.assertSameWeights(caffe, CaffeModelReader.read(Fixtures.path("tiny_vgg19_v2.caffemodel")));
        Fixtures.assertSameWeights(caffe, CaffeModelReader.read(Fixtures.path("tiny_vgg19_v1.caffemodel")));
    }

    /** The two conventions describe one network: only conv1_1's input channels are swapped (RGB vs BGR). */
    @Test
    void caffeWeightsAreTorchvisionsWithConv1_1InputChannelsReversed() throws IOException {
        Vgg19Weights torchvision = Fixtures.expected(InputConvention.TORCHVISION);
        Vgg19Weights caffe = Fixtures.expected(InputConvention.CAFFE);
        for (int i = 1; i < 16; i++) {
            assertArrayEquals(torchvision.layers().get(i).weight(), caffe.layers().get(i).weight());
            assertArrayEquals(torchvision.layers().get(i).bias(), caffe.layers().get(i).bias());
        }
        var t = torchvision.layer("conv1_1");
        var c = caffe.layer("conv1_1");
        assertArrayEquals(t.bias(), c.bias());
        for (int o = 0; o < t.outChannels(); o++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int k = 0; k < 9; k++) {
                    assertEquals(t.weight()[(o * 3 + ch) * 9 + k], c.weight()[(o * 3 + 2 - ch) * 9 + k]);
                }
            }
        }
    }
}
