package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * The plain two-loop recursion (Nocedal and Wright, algorithm 7.4) over pairs kept as separate
 * tensors, each dot product and axpy a device op: the reference that {@link VectorFreeHistory}
 * must agree with. The pairs are a ring plus one spare pair holding the candidate; storing swaps
 * the spare into the ring and the dropped oldest pair becomes the spare.
 */
final class TwoLoopHistory implements CurvatureHistory {

    private final Device device;
    private final Shape shape;
    private final Tensor[] s;
    private final Tensor[] y;
    private final double[] rho;
    private final double[] alpha;
    private Tensor spareS;
    private Tensor spareY;
    private Tensor q;
    private int oldest;
    private int size;
    private double scale = 1;

    TwoLoopHistory(Device device, Shape shape, int capacity) {
        this.device = device;
        this.shape = shape;
        this.s = new Tensor[capacity];
        this.y = new Tensor[capacity];
        this.rho = new double[capacity];
        this.alpha = new double[capacity];
    }

    @Override
    public Tensor candidateS() {
        if (spareS == null) {
            spareS = device.allocate(shape);
        }
        return spareS;
    }

    @Override
    public Tensor candidateY() {
        if (spareY == null) {
            spareY = device.allocate(shape);
        }
        return spareY;
    }

    @Override
    public void direction(Tensor g, Tensor d) {
        double ys = device.reductions().dot(candidateY(), candidateS());
        if (ys > MIN_CURVATURE) {
            scale = ys / device.reductions().dot(spareY, spareY);
            push(1 / ys);
        }
        if (q == null) {
            q = device.allocate(shape);
        }
        device.elementwise().scale(g, -1, q);
        for (int i = size - 1; i >= 0; i--) {
            int k = slot(i);
            alpha[k] = device.reductions().dot(s[k], q) * rho[k];
            device.elementwise().axpy(-alpha[k], y[k], q);
        }
        device.elementwise().scale(q, scale, d);
        for (int i = 0; i < size; i++) {
            int k = slot(i);
            double beta = device.reductions().dot(y[k], d) * rho[k];
            device.elementwise().axpy(alpha[k] - beta, s[k], d);
        }
    }

    private void push(double newRho) {
        int slot;
        if (size < s.length) {
            slot = slot(size);
            size++;
        } else {
            slot = oldest;
            oldest = (oldest + 1) % s.length;
        }
        Tensor droppedS = s[slot];
        Tensor droppedY = y[slot];
        s[slot] = spareS;
        y[slot] = spareY;
        rho[slot] = newRho;
        spareS = droppedS;
        spareY = droppedY;
    }

    private int slot(int i) {
        return (oldest + i) % s.length;
    }

    @Override
    public void clear() {
        size = 0;
        oldest = 0;
        scale = 1;
    }

    @Override
    public void close() {
        for (int i = 0; i < s.length; i++) {
            closeIfSet(s[i]);
            closeIfSet(y[i]);
        }
        closeIfSet(spareS);
        closeIfSet(spareY);
        closeIfSet(q);
    }

    private static void closeIfSet(Tensor t) {
        if (t != null) {
            t.close();
        }
    }
}
