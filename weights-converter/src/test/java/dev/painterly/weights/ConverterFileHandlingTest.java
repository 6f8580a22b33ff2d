package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** OUT appears complete or not at all, and an existing OUT is only replaced when asked. */
class ConverterFileHandlingTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void failedConversionCreatesNoOutput() throws IOException {
        byte[] cut = Arrays.copyOf(Fixtures.bytes("tiny_vgg19_v2.caffemodel"), 30000);
        Path in = Files.write(dir.resolve("cut.caffemodel"), cut);
        Path out = dir.resolve("vgg19.safetensors");

        assertThrows(WeightsFormatException.class, () -> WeightsConverter.convert(in, out));

        assertFalse(Files.exists(out));
        assertEquals(List.of("cut.caffemodel"), listing());
    }

    @Test
    void existingOutputIsKeptWithoutOverwrite() throws IOException {
        Path out = Files.writeString(dir.resolve("vgg19.safetensors"), "precious");

        assertThrows(FileAlreadyExistsException.class, () -> WeightsConverter.convert(Fixtures.path("tiny_vgg19_zip.pth"), out));
        assertThrows(FileAlreadyExistsException.class,
                () -> WeightsConverter.convert(Fixtures.path("tiny_vgg19_zip.pth"), out, false));

        assertEquals("precious", Files.readString(out));
        assertEquals(List.of("vgg19.safetensors"), listing());
    }

    @Test
    void existingOutputSurvivesAFailedOverwrite() throws IOException {
        Path in = Files.write(dir.resolve("bad.pth"), Arrays.copyOf(Fixtures.bytes("tiny_vgg19_legacy.pth"), 2000));
        Path out = Files.writeString(dir.resolve("vgg19.safetensors"), "precious");

        assertThrows(WeightsFormatException.class, () -> WeightsConverter.convert(in, out, true));

        assertEquals("precious", Files.readString(out));
        assertEquals(List.of("bad.pth", "vgg19.safetensors"), listing());
    }

    @Test
    void overwriteReplacesTheOutput() throws IOException {
        Path out = Files.writeString(dir.resolve("vgg19.safetensors"), "old");

        WeightsConverter.convert(Fixtures.path("tiny_vgg19_v1.caffemodel"), out, true);

        Fixtures.assertSameWeights(Fixtures.expected(InputConvention.CAFFE), Vgg19WeightsFile.read(out));
        assertEquals(List.of("vgg19.safetensors"), listing());
    }

    @Test
    void missingInput() {
        Path out = dir.resolve("vgg19.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> WeightsConverter.convert(dir.resolve("absent.pth"), out));
        assertEquals(dir.resolve("absent.pth") + ": no such weights file", e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void convertedFileIsTheSameFromEverySource() throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        WeightsConverter.convert(Fixtures.path("tiny_vgg19_zip.pth"), a);
        WeightsConverter.convert(Fixtures.path("tiny_vgg19_legacy.pth"), b);
        byte[] x = Files.readAllBytes(a);
        byte[] y = Files.readAllBytes(b);
        // Only the recorded source differs.
        assertArrayEquals(Arrays.copyOfRange(x, x.length - 40000, x.length), Arrays.copyOfRange(y, y.length - 40000, y.length));
    }
}
