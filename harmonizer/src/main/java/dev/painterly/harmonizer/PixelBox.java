package dev.painterly.harmonizer;

/** A rectangle of an image's pixels: rows [top, top + height), columns [left, left + width). */
public record PixelBox(int top, int left, int height, int width) {

    public PixelBox {
        if (top < 0 || left < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("box " + width + "x" + height + " at (" + left + ", " + top + ")");
        }
    }

    /** The box grown by {@code margin} on every side, cut to an image of h x w. */
    PixelBox grown(int margin, int h, int w) {
        int t = Math.max(0, top - margin), l = Math.max(0, left - margin);
        int b = Math.min(h, top + height + margin), r = Math.min(w, left + width + margin);
        return new PixelBox(t, l, b - t, r - l);
    }

    /** The pixels of this box of a C x H x W image (W = {@code imageWidth}), as C x height x width planes. */
    float[] cut(float[] planes, int channels, int imageHeight, int imageWidth) {
        float[] out = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(planes, (c * imageHeight + top + y) * imageWidth + left, out, (c * height + y) * width, width);
            }
        }
        return out;
    }

    /** Writes {@link #cut}'s C x height x width planes back into the C x H x W image they came from. */
    void paste(float[] part, float[] planes, int channels, int imageHeight, int imageWidth) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(part, (c * height + y) * width, planes, (c * imageHeight + top + y) * imageWidth + left, width);
            }
        }
    }

    int area() {
        return height * width;
    }

    @Override
    public String toString() {
        return width + "x" + height + " at (" + left + ", " + top + ")";
    }
}
