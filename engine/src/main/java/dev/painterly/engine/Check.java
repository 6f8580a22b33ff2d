package dev.painterly.engine;

/** Shape checks shared by the ops: a mismatch is a programming error, reported with both shapes. */
public final class Check {

    private Check() {
    }

    public static void sameShape(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("shape mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    public static void sameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    public static void shape(Tensor t, Shape expected, String what) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(what + " must be " + expected + ", got " + t.shape());
        }
    }

    public static void size(Tensor t, int expected, String what) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " elements, got " + t.shape());
        }
    }

    /** The mask of a C x H x W map: 1 x H x W. */
    public static void maskFor(Tensor x, Tensor mask) {
        shape(mask, x.shape().withChannels(1), "mask");
    }

    /** The output shape of 2x2 stride-2 max pooling in ceil mode. */
    public static Shape pooled(Shape s) {
        return new Shape(s.channels(), (s.height() + 1) / 2, (s.width() + 1) / 2);
    }

    public static void sameDevice(Tensor... ts) {
        Device d = ts[0].device();
        for (Tensor t : ts) {
            if (t != null && t.device() != d) {
                throw new IllegalArgumentException("tensors on different devices: " + d.name() + " vs " + t.device().name());
            }
        }
    }
}
