package dev.painterly.cli;

import dev.painterly.cli.InputValidation.Picture;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.Mask;
import dev.painterly.harmonizer.ObjectPaste;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The images of one job, read and checked before anything is computed: the painting, the
 * composite, the tight mask and the loose mask (null: derived), either read from files or with the
 * composite and tight mask made by pasting a cut-out onto the painting ({@link ObjectPaste}).
 */
record JobInputs(RgbImage painting, RgbImage composite, Mask tight, Mask loose) {

    static JobInputs read(Path painting, Path composite, Path mask, Path looseMask, PrintStream notices) throws IOException {
        RgbImage p = RgbImage.read(painting);
        RgbImage c = RgbImage.read(composite);
        Mask tight = Mask.read(mask);
        Mask loose = looseMask == null ? null : Mask.read(looseMask);
        Picture reference = new Picture("the composite " + composite, c.height(), c.width());
        InputValidation.sameScene(reference, new Picture("the painting " + painting, p.height(), p.width()), notices);
        InputValidation.sameScene(reference, new Picture("the mask " + mask, tight.height(), tight.width()), notices);
        InputValidation.marksAnObject(tight, "the mask " + mask);
        if (loose != null) {
            InputValidation.sameScene(reference, new Picture("the loose mask " + looseMask, loose.height(), loose.width()), notices);
            InputValidation.marksSomething(loose, "the loose mask " + looseMask);
        }
        return new JobInputs(p, c, tight, loose);
    }

    /** The cut-out's top-left corner goes to (x, y) of the painting, after scaling by {@code scale}. */
    static JobInputs paste(Path painting, Path object, int x, int y, double scale, Path looseMask, PrintStream notices)
            throws IOException {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--scale must be a positive number, e.g. 0.5 for half size; got " + scale);
        }
        RgbImage p = RgbImage.read(painting);
        BufferedImage cutout = RgbImage.readBuffered(object);
        if (!cutout.getColorModel().hasAlpha()) {
            throw new IllegalArgumentException(object + " has no transparency: save the cut-out as a PNG whose pixels "
                    + "around the object are transparent");
        }
        ObjectPaste paste = ObjectPaste.of(p, cutout, x, y, scale);
        if (x >= p.width() || y >= p.height() || x + paste.placedWidth() <= 0 || y + paste.placedHeight() <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the object (%dx%d) at --at %d,%d lies outside the painting (%dx%d): --at is where its top-left corner goes, "
                            + "from 0,0 (the painting's top-left) to %d,%d",
                    paste.placedWidth(), paste.placedHeight(), x, y, p.width(), p.height(), p.width() - 1, p.height() - 1));
        }
        Mask tight = paste.mask();
        int marked = tight.count(InputValidation.MARKED);
        if (marked == 0) {
            throw new IllegalArgumentException("the part of " + object + " that lands on the painting is transparent: "
                    + "check the cut-out's transparency, or move it with --at");
        }
        if (tight.size() - marked < InputValidation.MIN_BACKGROUND * tight.size()) {
            throw new IllegalArgumentException(object + " covers the whole painting: make it smaller with --scale, e.g. --scale 0.5");
        }
        Mask loose = null;
        if (looseMask != null) {
            loose = Mask.read(looseMask);
            Picture reference = new Picture("the painting " + painting, p.height(), p.width());
            InputValidation.sameScene(reference, new Picture("the loose mask " + looseMask, loose.height(), loose.width()), notices);
            InputValidation.marksSomething(loose, "the loose mask " + looseMask);
        }
        return new JobInputs(p, paste.composite(), tight, loose);
    }
}
