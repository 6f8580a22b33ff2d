package dev.painterly.engine;

/**
 * A float32 tensor resident on a {@link Device}. Its memory is released by {@link #close()}, never
 * by the garbage collector: a tensor that is not closed is a leak that {@link DeviceStats} shows.
 * Host transfers are explicit ({@link Device#upload}, {@link Device#download}) and counted.
 */
public final class Tensor implements AutoCloseable {

    private final Device device;
    private final Shape shape;
    private Object memory;

    /** For {@link Device} implementations: wraps memory the device has just allocated. */
    public Tensor(Device device, Shape shape, Object memory) {
        this.device = device;
        this.shape = shape;
        this.memory = memory;
    }

    public Device device() {
        return device;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return shape.size();
    }

    /** For {@link Device} implementations: the device-specific memory handle. */
    public Object memory() {
        if (memory == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return memory;
    }

    public boolean isClosed() {
        return memory == null;
    }

    /** Copies the contents to the host (one counted download). */
    public float[] toArray() {
        return device.download(this);
    }

    /**
     * The same memory under another shape of the same size, handed over: this tensor is closed
     * without releasing it, and the new one releases it.
     */
    public Tensor reshape(Shape s) {
        if (s.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        }
        Tensor t = new Tensor(device, s, memory());
        memory = null;
        return t;
    }

    @Override
    public void close() {
        if (memory != null) {
            Object m = memory;
            memory = null;
            device.release(m, shape.size());
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + "@" + device.name();
    }
}
