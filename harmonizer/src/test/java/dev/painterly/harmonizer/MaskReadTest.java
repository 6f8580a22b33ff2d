package dev.painterly.harmonizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Masks may be grayscale, RGB (red channel, docs/algorithm.md section 0) or images with transparency (alpha). */
class MaskReadTest {

    @TempDir
    Path dir;

    private Mask write(BufferedImage img) throws IOException {
        Path f = dir.resolve("mask.png");
        ImageIO.write(img, "png", f.toFile());
        return Mask.read(f);
    }

    @Test
    void grayscaleKeepsItsValues() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 128);
        img.getRaster().setSample(1, 0, 0, 255);
        Mask m = write(img);
        assertEquals(128 / 255f, m.values()[0], 1e-6, "a grey mask must not be gamma-brightened");
        assertEquals(1f, m.values()[1]);
    }

    @Test
    void rgbUsesTheRedChannel() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x00ffff);
        img.setRGB(1, 0, 0xff0000);
        img.setRGB(2, 0, 0x4080c0);
        Mask m = write(img);
        assertEquals(0f, m.values()[0], "green and blue must not count");
        assertEquals(1f, m.values()[1]);
        assertEquals(0x40 / 255f, m.values()[2], 1e-6);
    }

    @Test
    void transparencyIsTheMaskWhateverTheColours() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00ffffff);
        img.setRGB(1, 0, 0xff000000);
        img.setRGB(2, 0, 0x80123456);
        Mask m = write(img);
        assertEquals(0f, m.values()[0]);
        assertEquals(1f, m.values()[1]);
        assertEquals(0x80 / 255f, m.values()[2], 1e-6);
    }

    @Test
    void grayWithAlphaUsesAlpha() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000);
        img.setRGB(1, 0, 0xffffffff);
        Mask m = write(img);
        assertEquals(0f, m.values()[0]);
        assertEquals(1f, m.values()[1]);
    }

    @Test
    void opaqueAlphaFallsBackToRed() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xff00ffff);
        img.setRGB(1, 0, 0xffff0000);
        Mask m = write(img);
        assertEquals(0f, m.values()[0]);
        assertEquals(1f, m.values()[1]);
    }
}
