package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * The L-BFGS history in the "vector-free" form of Chen, Wang and Zhou (NeurIPS 2014): the pairs
 * live as rows of one device matrix, the host keeps every inner product between them, and the
 * two-loop recursion runs on those scalars. It yields d as coefficients on the stored vectors and
 * g, which one pass over the matrix turns into d. In exact arithmetic this is the two-loop
 * recursion; per direction the device makes one pass computing the candidate pair's and g's dot
 * products with every row ({@link Device#dots}) and one forming d ({@link Device#combineRows}),
 * where the two-loop recursion makes two dot products and two axpys per stored pair.
 *
 * <p>Pair slot k holds s in row 2k and y in row 2k + 1. Slots fill from 0 and a full history
 * overwrites its oldest, so the stored pairs always occupy rows 0 .. 2 size - 1. Memory: the
 * matrix of 2 capacity rows and the candidate pair, allocated on first use.
 */
final class VectorFreeHistory implements CurvatureHistory {

    private final Device device;
    private final Shape shape;
    private final int capacity;
    /** Inner products by slot: s_a . s_b, s_a . y_b and y_a . y_b. */
    private final double[][] ss;
    private final double[][] sy;
    private final double[][] yy;
    /** g . s_a and g . y_a for the latest g. */
    private final double[] gs;
    private final double[] gy;
    /** The two-loop recursion's coefficients of d on s_a and y_a, and its alpha_a. */
    private final double[] onS;
    private final double[] onY;
    private final double[] alpha;
    private Tensor rows;
    private Tensor candidateS;
    private Tensor candidateY;
    private int oldest;
    private int size;
    private double scale = 1;

    VectorFreeHistory(Device device, Shape shape, int capacity) {
        this.device = device;
        this.shape = shape;
        this.capacity = capacity;
        this.ss = new double[capacity][capacity];
        this.sy = new double[capacity][capacity];
        this.yy = new double[capacity][capacity];
        this.gs = new double[capacity];
        this.gy = new double[capacity];
        this.onS = new double[capacity];
        this.onY = new double[capacity];
        this.alpha = new double[capacity];
    }

    @Override
    public Tensor candidateS() {
        if (candidateS == null) {
            candidateS = device.allocate(shape);
        }
        return candidateS;
    }

    @Override
    public Tensor candidateY() {
        if (candidateY == null) {
            candidateY = device.allocate(shape);
        }
        return candidateY;
    }

    @Override
    public void direction(Tensor g, Tensor d) {
        if (rows == null) {
            long floats = 2L * capacity * shape.size();
            if (floats > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("an L-BFGS history of " + capacity + " pairs of " + shape.size()
                        + " floats exceeds one tensor's 2^31 elements: use a smaller history or a smaller image");
            }
            rows = device.allocate(Shape.vector((int) floats));
        }
        int count = 2 * size;
        // Row by row: candidate s, candidate y and g against the stored rows, then against s, y, g.
        double[][] dots = device.reductions().dots(rows, count, candidateS(), candidateY(), g);
        double[] sDots = dots[0];
        double[] yDots = dots[1];
        double[] gDots = dots[2];
        int added = -1;
        double ys = sDots[count + 1];
        if (ys > MIN_CURVATURE) {
            added = store(sDots, yDots, count);
            scale = ys / yDots[count + 1];
            gs[added] = gDots[count];
            gy[added] = gDots[count + 1];
        }
        for (int a = 0; a < size; a++) {
            if (a != added) {
                gs[a] = gDots[2 * a];
                gy[a] = gDots[2 * a + 1];
            }
        }
        double onG = twoLoop();
        double[] coefficients = new double[2 * size];
        for (int a = 0; a < size; a++) {
            coefficients[2 * a] = onS[a];
            coefficients[2 * a + 1] = onY[a];
        }
        device.combination().combineRows(rows, coefficients, onG, g, d);
    }

    /**
     * Copies the candidate pair into the next slot and records its inner products (the dots of
     * the candidate against rows 0 .. count - 1, then against s and y); returns the slot.
     */
    private int store(double[] sDots, double[] yDots, int count) {
        int slot;
        if (size < capacity) {
            slot = size++;
        } else {
            slot = oldest;
            oldest = (oldest + 1) % capacity;
        }
        device.copyToRow(candidateS, rows, 2 * slot);
        device.copyToRow(candidateY, rows, 2 * slot + 1);
        for (int a = 0; a < size; a++) {
            if (a == slot) {
                continue;
            }
            ss[slot][a] = sDots[2 * a];
            ss[a][slot] = sDots[2 * a];
            sy[slot][a] = sDots[2 * a + 1];
            sy[a][slot] = yDots[2 * a];
            yy[slot][a] = yDots[2 * a + 1];
            yy[a][slot] = yDots[2 * a + 1];
        }
        ss[slot][slot] = sDots[count];
        sy[slot][slot] = sDots[count + 1];
        yy[slot][slot] = yDots[count + 1];
        return slot;
    }

    /**
     * The two-loop recursion on coefficients: q and then r are kept as c_g g + sum_a (onS[a] s_a +
     * onY[a] y_a), starting from q = -g, and each dot product with s_a or y_a is read off the
     * recorded inner products. Returns the coefficient of g.
     */
    private double twoLoop() {
        for (int a = 0; a < size; a++) {
            onS[a] = 0;
            onY[a] = 0;
        }
        double onG = -1;
        for (int i = size - 1; i >= 0; i--) {
            int k = slot(i);
            double sq = onG * gs[k];
            for (int a = 0; a < size; a++) {
                sq += onS[a] * ss[k][a] + onY[a] * sy[k][a];
            }
            alpha[k] = sq / sy[k][k];
            onY[k] -= alpha[k];
        }
        for (int a = 0; a < size; a++) {
            onS[a] *= scale;
            onY[a] *= scale;
        }
        onG *= scale;
        for (int i = 0; i < size; i++) {
            int k = slot(i);
            double yr = onG * gy[k];
            for (int a = 0; a < size; a++) {
                yr += onS[a] * sy[a][k] + onY[a] * yy[k][a];
            }
            onS[k] += alpha[k] - yr / sy[k][k];
        }
        return onG;
    }

    /** The slot of the i-th pair, 0 the oldest. */
    private int slot(int i) {
        return (oldest + i) % capacity;
    }

    @Override
    public void clear() {
        size = 0;
        oldest = 0;
        scale = 1;
    }

    @Override
    public void close() {
        closeIfSet(rows);
        closeIfSet(candidateS);
        closeIfSet(candidateY);
    }

    private static void closeIfSet(Tensor t) {
        if (t != null) {
            t.close();
        }
    }
}
