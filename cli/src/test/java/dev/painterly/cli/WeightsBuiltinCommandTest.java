package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.vgg.BuiltinVgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code painterly weights builtin}: writes the network a job on these images would use, and never replaces a file silently. */
class WeightsBuiltinCommandTest {

    @TempDir
    Path dir;

    private Cli.Run builtin(Path out, String... extra) {
        String[] args = {"weights", "builtin", "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(), "--size", "32", "--device", "java",
                "--out", out.toString()};
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return Cli.run(all);
    }

    @Test
    void writesTheNetworkAJobOnTheseImagesUses() throws IOException {
        TestImages.job(dir);
        Path out = dir.resolve("builtin.safetensors");
        Cli.Run run = builtin(out);
        assertEquals(0, run.code(), run.err());
        Vgg19Weights written = Vgg19WeightsFile.read(out);
        Vgg19Weights expected = BuiltinVgg19.forJob(JavaDevice.float32(), 32,
                RgbImage.read(dir.resolve("painting.png")), RgbImage.read(dir.resolve("composite.png")));
        for (int i = 0; i < expected.layers().size(); i++) {
            assertArrayEquals(expected.layers().get(i).weight(), written.layers().get(i).weight());
            assertArrayEquals(expected.layers().get(i).bias(), written.layers().get(i).bias());
        }
    }

    @Test
    void refusesToReplaceAFileWithoutOverwrite() throws IOException {
        TestImages.job(dir);
        Path out = Files.writeString(dir.resolve("taken.safetensors"), "mine");
        builtin(out).failsWith(out + " already exists: choose another --out or pass --overwrite");
        assertEquals("mine", Files.readString(out));
        assertEquals(0, builtin(out, "--overwrite").code());
        Vgg19WeightsFile.read(out);
    }
}
