package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.Resampler;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.testing.HighFrequency;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.testing.TexturedPainting;
import dev.painterly.engine.vgg.BuiltinVgg19;
import dev.painterly.harmonizer.HarmonizeListener;
import dev.painterly.harmonizer.HarmonizeSettings;
import dev.painterly.harmonizer.Harmonizer;
import dev.painterly.harmonizer.Mask;
import dev.painterly.harmonizer.ObjectPaste;
import dev.painterly.harmonizer.PostProcess;
import dev.painterly.harmonizer.WorkingImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --output native} (the default) and {@code --output working}: the result at the painting
 * file's own size keeps the file's pixels outside the blend mask and gives the object the
 * painting's grain; at working size it is the job's result as the library computes it.
 */
class NativeOutputTest {

    static final int NW = 1600, NH = 1200, OBJECT = 300, AT_X = 650, AT_Y = 450, SIZE = 256;

    @TempDir
    Path dir;

    /** An opaque 300x300 cut-out: a smooth two-colour gradient, with none of the painting's grain. */
    static BufferedImage object() {
        BufferedImage img = new BufferedImage(OBJECT, OBJECT, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < OBJECT; y++) {
            for (int x = 0; x < OBJECT; x++) {
                int r = 170 + 60 * x / OBJECT, g = 60 + 80 * y / OBJECT;
                img.setRGB(x, y, 0xff000000 | r << 16 | g << 8 | 50);
            }
        }
        return img;
    }

    @Test
    void aLargePaintingComesBackAtItsOwnSizeWithTheObjectAsSharpAsThePainting() throws IOException {
        BufferedImage paintingImage = TexturedPainting.of(NW, NH, 7);
        Path painting = TestImages.write(paintingImage, dir.resolve("painting.png"));
        Path object = TestImages.write(object(), dir.resolve("object.png"));
        Path nativeOut = dir.resolve("native.png"), workingOut = dir.resolve("working.png");
        String[] job = {"harmonize", "--painting", painting.toString(), "--object", object.toString(), "--at", AT_X + "," + AT_Y,
                "--size", String.valueOf(SIZE), "--iterations", "5,5", "--style-level", "5", "--device", Cli.openClDevice()};
        Cli.Run run = Cli.run(concat(job, "--out", nativeOut.toString()));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("native size 1600x1200: re-synthesised the object's region"), run.out());
        Cli.Run working = Cli.run(concat(job, "--output", "working", "--out", workingOut.toString()));
        assertEquals(0, working.code(), working.err());
        assertFalse(working.out().contains("native size"), working.out());

        RgbImage result = RgbImage.read(nativeOut);
        assertEquals(NW, result.width());
        assertEquals(NH, result.height());
        RgbImage workingResult = RgbImage.read(workingOut);
        assertEquals(SIZE, workingResult.width());

        // The blend mask as the job computes it: sM of the working-size tight mask, enlarged.
        RgbImage paintingPixels = RgbImage.of(paintingImage);
        ObjectPaste paste = ObjectPaste.of(paintingPixels, object(), AT_X, AT_Y, 1);
        WorkingImages images = WorkingImages.of(paintingPixels, paste.composite(), paste.mask(), null, SIZE,
                HarmonizeSettings.defaultLooseRadius(SIZE));
        Mask blend = PostProcess.blendMask(images.tight());
        float[] m = Resampler.bilinear(blend.values(), 1, images.height(), images.width(), NH, NW);
        int[] out = argb(result.toBuffered()), in = argb(paintingImage);
        int outside = 0, x0 = NW, x1 = 0, y0 = NH, y1 = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                outside++;
                assertEquals(in[i] & 0xffffff, out[i] & 0xffffff, "pixel (" + i % NW + ", " + i / NW + ") outside the blend mask");
            } else {
                x0 = Math.min(x0, i % NW);
                x1 = Math.max(x1, i % NW);
                y0 = Math.min(y0, i / NW);
                y1 = Math.max(y1, i / NW);
            }
        }
        assertTrue(x0 > AT_X - 60 && x1 < AT_X + OBJECT + 60 && y0 > AT_Y - 60 && y1 < AT_Y + OBJECT + 60,
                "the blend mask hugs the object: x " + x0 + ".." + x1 + ", y " + y0 + ".." + y1);

        int inset = 20, side = OBJECT - 2 * inset;
        double inside = HighFrequency.meanAbsLaplacian(result.planes(), 3, NH, NW, AT_Y + inset, AT_X + inset, side, side);
        double around = HighFrequency.frame(paintingPixels.planes(), 3, NH, NW, y0 - 100, x0 - 100, y1 - y0 + 201, x1 - x0 + 201, 60);
        float[] enlarged = Resampler.bilinear(workingResult.planes(), 3, workingResult.height(), workingResult.width(), NH, NW);
        double plain = HighFrequency.meanAbsLaplacian(enlarged, 3, NH, NW, AT_Y + inset, AT_X + inset, side, side);
        assertTrue(inside > around / 1.5 && inside < around * 1.5,
                "high-frequency energy inside the object " + inside + ", in the painting around it " + around);
        assertTrue(plain < around / 2, "plain enlarging of the working result: " + plain + ", the painting around it: " + around);
    }

    @Test
    void atWorkingSizeTheResultIsTheLibrarysJobResult() throws IOException {
        TestImages.job(dir);
        Path out = dir.resolve("working.png");
        Cli.Run run = Cli.run("harmonize", "--painting", dir.resolve("painting.png").toString(),
                "--composite", dir.resolve("composite.png").toString(), "--mask", dir.resolve("mask.png").toString(),
                "--size", "32", "--iterations", "3,3", "--style-level", "5", "--device", Cli.openClDevice(),
                "--output", "working", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        RgbImage painting = RgbImage.read(dir.resolve("painting.png")), composite = RgbImage.read(dir.resolve("composite.png"));
        BufferedImage expected;
        try (Device d = TestDevices.openCl()) {
            expected = Harmonizer.run(d, BuiltinVgg19.forJob(d, 32, painting, composite), painting, composite,
                    Mask.read(dir.resolve("mask.png")), null, new HarmonizeSettings(32, 3, 3, 5, null, true, 0),
                    new HarmonizeListener() { }).result().toBuffered();
        }
        assertEquals(32, expected.getWidth());
        assertArrayEqualsPixels(argb(expected), argb(ImageIO.read(out.toFile())));
    }

    @Test
    void aJpegPaintingGivesAPngResultUnlessTheOutputNameSaysJpeg() throws IOException {
        TestImages.job(dir);
        Path painting = TestImages.write(TestImages.painting(TestImages.W, TestImages.H), dir.resolve("painting.jpg"));
        String[] job = {"harmonize", "--painting", painting.toString(), "--object",
                TestImages.write(TestImages.cutout(12), dir.resolve("cutout.png")).toString(), "--at", "20,10",
                "--size", "32", "--iterations", "1,1", "--style-level", "5", "--device", Cli.openClDevice()};
        Path png = dir.resolve("result.png"), jpg = dir.resolve("other.jpg");
        Cli.Run toPng = Cli.run(concat(job, "--out", png.toString()));
        assertEquals(0, toPng.code(), toPng.err());
        Cli.Run toJpg = Cli.run(concat(job, "--out", jpg.toString()));
        assertEquals(0, toJpg.code(), toJpg.err());
        assertEquals("png", format(png));
        assertEquals("jpeg", format(jpg));
        assertEquals("png", format(dir.resolve("other.pass1.png")), "the other images stay PNG files");
        int[] decoded = argb(ImageIO.read(painting.toFile())), result = argb(ImageIO.read(png.toFile()));
        assertEquals(decoded.length, result.length, "the painting's own size");
        assertEquals(decoded[TestImages.W * TestImages.H - 1], result[TestImages.W * TestImages.H - 1],
                "far from the object, the JPEG's decoded pixel exactly");
    }

    @Test
    void batchWritesEachResultAtItsPaintingsSizeOrAtTheWorkingSize() throws IOException {
        Path in = Files.createDirectory(dir.resolve("examples"));
        BufferedImage p = TestImages.painting(TestImages.W, TestImages.H);
        TestImages.write(p, in.resolve("1_target.png"));
        TestImages.write(TestImages.composite(p, 20, 10, 36, 26), in.resolve("1_naive.png"));
        TestImages.write(TestImages.mask(TestImages.W, TestImages.H, 20, 10, 36, 26), in.resolve("1_c_mask.png"));
        for (String output : new String[] {"native", "working"}) {
            Path out = dir.resolve(output);
            Cli.Run run = Cli.run("batch", in.toString(), "--out", out.toString(), "--size", "32", "--iterations", "1,1",
                    "--style-level", "5", "--device", Cli.openClDevice(), "--output", output);
            assertEquals(0, run.code(), run.err());
            BufferedImage result = ImageIO.read(out.resolve("1_result.png").toFile());
            assertEquals(output.equals("native") ? TestImages.W : 32, result.getWidth(), output);
            assertEquals(output.equals("native") ? TestImages.H : 24, result.getHeight(), output);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String format(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            return readers.next().getFormatName().toLowerCase();
        }
    }

    private static void assertArrayEqualsPixels(int[] expected, int[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xffffff, actual[i] & 0xffffff, "pixel " + i);
        }
    }

    private static int[] argb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
