package dev.painterly.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code painterly style-level}: PATH, LEVEL and features per painting, and the leave-one-out judgement. */
class StyleLevelCommandTest {

    @TempDir
    Path dir;

    /** Flat blocks with straight contours, or (blocks = false) fine noise of every orientation. */
    private Path painting(String name, boolean blocks, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                int v = blocks ? (x < 40 ? 40 : y < 30 ? 200 : 120) + r.nextInt(3) : 100 + r.nextInt(60);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return TestImages.write(img, dir.resolve(name));
    }

    @Test
    void printsPathLevelAndFeaturesPerPainting() throws IOException {
        Path flat = painting("blocks.png", true, 1);
        Path noisy = painting("noise.png", false, 2);
        Cli.Run run = Cli.run("style-level", flat.toString(), noisy.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        String[] a = lines.get(0).split("\t"), b = lines.get(1).split("\t");
        assertEquals(List.of(flat.toString(), "5"), List.of(a[0], a[1]));
        assertEquals(List.of(noisy.toString(), "5"), List.of(b[0], b[1]));
        assertEquals(3, a.length);
        assertTrue(a[2].matches("edge_concentration=0\\.\\d{4} orientation_coherence=0\\.\\d{4}"), a[2]);
        assertTrue(value(a[2], "orientation_coherence") > value(b[2], "orientation_coherence"), run.out());
        assertTrue(run.err().contains("LEVEL is 5 for every painting: no estimate of ours beats always answering 5"), run.err());
    }

    @Test
    void leaveOneOutReportsTheLineNextToTheConstant() throws IOException {
        Path in = Files.createDirectory(dir.resolve("examples"));
        String[] levels = {"1", "9", "2", "8"};
        for (int i = 0; i < levels.length; i++) {
            Path p = painting(i + "_target.png", i % 2 == 1, i);
            Files.move(p, in.resolve(p.getFileName()));
            TestImages.write(TestImages.filled(96, 64, 128), in.resolve(i + "_naive.png"));
            TestImages.write(TestImages.mask(96, 64, 10, 10, 30, 30), in.resolve(i + "_c_mask.png"));
        }
        Files.writeString(in.resolve("style_levels.tsv"), "0\t1\n1\t9\n2\t2\n3\t8\n");
        Cli.Run run = Cli.run("style-level", "--leave-one-out", in.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("example\tpublished\tleft-out prediction\tfeatures", lines.get(0));
        assertTrue(lines.get(2).startsWith("1\t9.00\t"), lines.get(2));
        assertTrue(lines.get(5).startsWith("line through the features' mean, leave-one-out on 4: Spearman "), lines.get(5));
        // |1-5| + |9-5| + |2-5| + |8-5| = 14, over 4
        assertEquals("always 5: mean absolute error 3.50 levels", lines.get(6));
        // Stylised blocks carry the high levels here, so the line ranks them right.
        assertEquals("on these paintings the line beats always 5", lines.get(7));
    }

    @Test
    void anUnreadablePaintingFailsWithOneLine() throws IOException {
        Path notAnImage = Files.writeString(dir.resolve("notes.png"), "hello");
        Cli.run("style-level", notAnImage.toString()).failsWith(notAnImage.toString());
    }

    @Test
    void needsPaintingsOrAFolder() {
        Cli.run("style-level").failsWith("give paintings, or --leave-one-out DIR (not both)");
    }

    private static double value(String pairs, String name) {
        for (String pair : pairs.split(" ")) {
            if (pair.startsWith(name + "=")) {
                return Double.parseDouble(pair.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " not in " + pairs);
    }
}
