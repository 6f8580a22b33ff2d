package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code painterly bench job}: one machine-readable line per pass, each figure a positive finite number (no timing thresholds). */
class BenchJobCommandTest {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    @Test
    void printsOneLinePerPassWithItsTimesAndTheNetworksTime() {
        Cli.Run run = Cli.run("bench", "job", "--size", "64", "--warmup", "3", "--iterations", "2", "--repeat", "1",
                "--device", Cli.openClDevice());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().filter(l -> l.startsWith("painterly-job-pass ")).toList();
        assertEquals(2, lines.size(), run.out());
        for (int pass = 1; pass <= 2; pass++) {
            Map<String, String> f = fields(lines.get(pass - 1));
            assertEquals(List.of("device", "size", "pass", "layer", "history", "warmup", "iterations", "evaluations", "divergences",
                    "mean_s", "vgg_median_s", "ratio", "median_s", "window", "window_vgg_median_s", "window_ratio"),
                    List.copyOf(f.keySet()));
            assertEquals(String.valueOf(pass), f.get("pass"));
            assertEquals(pass == 1 ? "relu5_1" : "relu4_1", f.get("layer"));
            assertEquals("48x64", f.get("size"));
            assertEquals("100", f.get("history"));
            assertEquals("3", f.get("warmup"));
            assertEquals("2", f.get("iterations"));
            assertTrue(Integer.parseInt(f.get("evaluations")) >= 2, lines.get(pass - 1));
            String[] window = f.get("window").split("x");
            assertTrue(Integer.parseInt(window[0]) <= 48 && Integer.parseInt(window[1]) <= 64, lines.get(pass - 1));
            for (String key : List.of("mean_s", "vgg_median_s", "ratio", "median_s", "window_vgg_median_s", "window_ratio")) {
                double v = Double.parseDouble(f.get(key));
                assertTrue(v > 0 && Double.isFinite(v), key + " in " + lines.get(pass - 1));
            }
            double ratio = Double.parseDouble(f.get("median_s")) / Double.parseDouble(f.get("vgg_median_s"));
            assertEquals(ratio, Double.parseDouble(f.get("ratio")), 0.01 + 0.01 * ratio, lines.get(pass - 1));
            double windowRatio = Double.parseDouble(f.get("median_s")) / Double.parseDouble(f.get("window_vgg_median_s"));
            assertEquals(windowRatio, Double.parseDouble(f.get("window_ratio")), 0.01 + 0.01 * windowRatio, lines.get(pass - 1));
        }
    }

    @Test
    void refusesAWarmupThatWouldTimeThePassSetUp() {
        Cli.run("bench", "job", "--size", "64", "--warmup", "0", "--device", "java")
                .failsWith("--warmup must be at least 1");
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line.substring("painterly-job-pass ".length()));
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        return f;
    }
}
