package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** painterly bench kernels: one checked and timed line per variant, and one-line errors. */
class BenchKernelsCommandTest {

    @Test
    void everyGramVariantIsCheckedThenTimed() {
        Cli.Run run = Cli.run("bench", "kernels", "--family", "gram", "--size", "16x8x12", "--repeat", "1",
                "--device", Cli.openClDevice());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().filter(l -> l.startsWith("painterly-kernel ")).toList();
        assertEquals(6, lines.size(), run.out());
        for (String variant : List.of("PLAIN", "VECTOR", "LOCAL")) {
            for (String op : List.of("forward", "backward")) {
                assertTrue(lines.stream().anyMatch(l -> l.contains(" op=" + op + " variant=" + variant + " ")
                        && l.contains(" check=ok ") && l.matches(".* median_s=[0-9.]+")), op + " " + variant + ": " + run.out());
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains(" variant=PLAIN kind=plain ")), run.out());
    }

    @Test
    void anUnknownFamilyNamesTheFamilies() {
        Cli.run("bench", "kernels", "--family", "grams", "--device", Cli.openClDevice())
                .failsWith("unknown family grams; the families: elementwise, reductions, combination, histogram, gather, convolution, pooling, gram");
    }

    @Test
    void aSizeNeedsOneFamily() {
        Cli.run("bench", "kernels", "--size", "8x8x8", "--device", Cli.openClDevice())
                .failsWith("give --size with exactly one --family");
    }

    @Test
    void aMalformedSizeIsAnErrorBeforeAnyOutput() {
        Cli.Run run = Cli.run("bench", "kernels", "--family", "matching", "--size", "8x8", "--device", Cli.openClDevice());
        run.failsWith("matching sizes are CxHxW:queries, e.g. 64x40x48:200, got 8x8");
        assertEquals("", run.out());
    }

    @Test
    void theJavaReferenceHasNoKernelsToTime() {
        Cli.run("bench", "kernels", "--family", "gram", "--device", "java").failsWith("pick an OpenCL device");
    }
}
