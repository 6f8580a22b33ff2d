package dev.painterly.cli;

import dev.painterly.engine.TestHooks;
import dev.painterly.engine.vgg.SafeTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights and devices: a corrupt or wrong weights file, an unknown device, a machine without any
 * OpenCL device (simulated with -Dpainterly.hideOpenCl=true, see TestHooks) and a device that
 * runs out of memory (simulated with -Dpainterly.deviceMemoryLimitMiB, see TestHooks, which
 * fails allocations exactly where a full device does). Each ends with one line that says what to
 * do, exit 1, and no output file.
 */
class WeightsAndDeviceErrorsTest {

    @TempDir
    Path dir;

    Path outDir;

    @BeforeEach
    void job() throws IOException {
        TestImages.job(dir);
        outDir = Files.createDirectory(dir.resolve("out"));
    }

    private String[] harmonize(String... extra) {
        List<String> args = new ArrayList<>(List.of("harmonize",
                "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(),
                "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "2,2", "--style-level", "5", "--out", outDir.resolve("result.png").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private void noOutput() throws IOException {
        assertEquals(List.of(), Cli.files(outDir));
    }

    @Test
    void weightsFileOfRandomBytes() throws IOException {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Path w = Files.write(dir.resolve("vgg19.safetensors"), noise);
        Cli.run(harmonize("--device", "java", "--weights", w.toString()))
                .failsWith(w + " is not usable VGG-19 weights (not a safetensors file");
        noOutput();
    }

    @Test
    void imageGivenAsWeights() throws IOException {
        Path w = dir.resolve("painting.png");
        Cli.run(harmonize("--device", "java", "--weights", w.toString()))
                .failsWith("is not usable VGG-19 weights (not a safetensors file: header length");
        noOutput();
    }

    @Test
    void safetensorsThatAreNotOurWeights() throws IOException {
        Path w = dir.resolve("other.safetensors");
        try (OutputStream out = Files.newOutputStream(w)) {
            SafeTensors.write(out, Map.of("embedding", new SafeTensors.Entry(new long[] {2, 2}, new float[4])),
                    Map.of("format", "pt"));
        }
        Cli.run(harmonize("--device", "java", "--weights", w.toString()))
                .failsWith("not painterly VGG-19 weights: metadata format is pt");
        noOutput();
    }

    @Test
    void truncatedWeights() throws IOException {
        Path whole = dir.resolve("whole.safetensors");
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("conv1_1.weight", new SafeTensors.Entry(new long[] {64, 3, 3, 3}, new float[64 * 27]));
        tensors.put("conv1_1.bias", new SafeTensors.Entry(new long[] {64}, new float[64]));
        try (OutputStream out = Files.newOutputStream(whole)) {
            SafeTensors.write(out, tensors, Map.of("format", "painterly-vgg19", "input_convention", "caffe"));
        }
        Path cut = TestImages.truncated(whole, dir.resolve("cut.safetensors"));
        Cli.run(harmonize("--device", "java", "--weights", cut.toString())).failsWith(cut + " is not usable VGG-19 weights");
        noOutput();
    }

    @Test
    void missingWeightsFile() throws IOException {
        Path w = dir.resolve("nowhere.safetensors");
        Cli.run(harmonize("--device", "java", "--weights", w.toString())).failsWith("weights file " + w + " does not exist");
        noOutput();
    }

    @Test
    void unknownDevice() throws IOException {
        Cli.openClDevice();
        Cli.run(harmonize("--device", "no-such-device")).failsWith("unknown device 'no-such-device': choose one of 0: ");
        noOutput();
    }

    @Test
    void noOpenClAtAll() throws IOException {
        Cli.Run run = Cli.runWithProperty(TestHooks.HIDE_OPENCL, "true", harmonize());
        run.failsWith("no OpenCL device found: " + OpenClInstall.advice() + ", or run with --device java (");
        // 32x24 pixels, 2 + 2 iterations
        String time = JavaBackendTime.about(JavaBackendTime.seconds(32 * 24, 4, Runtime.getRuntime().availableProcessors()));
        assertTrue(run.err().contains("--device java (" + time + " for this job on "), run.err());
        noOutput();
    }

    @Test
    void noOpenClForABenchmarkGivesTheAdviceWithoutATime() {
        Cli.Run run = Cli.runWithProperty(TestHooks.HIDE_OPENCL, "true", "bench", "vgg", "--size", "32x32");
        run.failsWith("no OpenCL device found: " + OpenClInstall.advice() + ", or run with --device java");
        assertTrue(run.err().trim().endsWith("--device java"), run.err());
    }

    @Test
    void deviceOutOfMemory() throws IOException {
        Cli.Run run = Cli.runWithProperty(TestHooks.DEVICE_MEMORY_LIMIT_MIB, "1", harmonize("--device", Cli.openClDevice()));
        run.failsWith("ran out of memory at --size 32: try a smaller --size");
        noOutput();
    }
}
