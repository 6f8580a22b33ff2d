package dev.painterly.harmonizer;

/** Rows top..bottom and columns left..right, inclusive. */
record Span(int top, int left, int bottom, int right) {

    /** The bounding box of a mask's non-zero values, or null where it has none. */
    static Span support(Mask m) {
        int top = Integer.MAX_VALUE, left = Integer.MAX_VALUE, bottom = -1, right = -1;
        float[] v = m.values();
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (v[y * m.width() + x] != 0) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        return bottom < 0 ? null : new Span(top, left, bottom, right);
    }

    Span union(Span o) {
        return new Span(Math.min(top, o.top), Math.min(left, o.left), Math.max(bottom, o.bottom), Math.max(right, o.right));
    }

    /** Through a 3x3 convolution with padding 1, either way: one more position on each side, within h x w. */
    Span grown(int h, int w) {
        return new Span(Math.max(0, top - 1), Math.max(0, left - 1), Math.min(h - 1, bottom + 1), Math.min(w - 1, right + 1));
    }

    /** The outputs of a 2x2 stride-2 pooling that read these inputs. */
    Span pooled() {
        return new Span(top / 2, left / 2, bottom / 2, right / 2);
    }

    /** The inputs, of h x w, that a 2x2 stride-2 pooling reads for these outputs. */
    Span unpooled(int h, int w) {
        return new Span(2 * top, 2 * left, Math.min(h - 1, 2 * bottom + 1), Math.min(w - 1, 2 * right + 1));
    }
}
