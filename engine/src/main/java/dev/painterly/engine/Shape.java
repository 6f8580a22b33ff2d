package dev.painterly.engine;

/**
 * The shape of a tensor: C x H x W feature maps (batch 1) or plain vectors. A vector of n
 * elements is the shape n x 1 x 1, so every shape is C x H x W and elements are stored
 * channel-major, then row-major.
 */
public record Shape(int channels, int height, int width) {

    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape dimensions must be positive: " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape too large: " + channels + "x" + height + "x" + width);
        }
    }

    public static Shape of(int channels, int height, int width) {
        return new Shape(channels, height, width);
    }

    public static Shape vector(int n) {
        return new Shape(n, 1, 1);
    }

    /** Number of elements. */
    public int size() {
        return channels * height * width;
    }

    /** Elements in one channel plane. */
    public int plane() {
        return height * width;
    }

    public boolean isVector() {
        return height == 1 && width == 1;
    }

    /** The same spatial size with another channel count. */
    public Shape withChannels(int c) {
        return new Shape(c, height, width);
    }

    @Override
    public String toString() {
        return isVector() ? "[" + channels + "]" : channels + "x" + height + "x" + width;
    }
}
