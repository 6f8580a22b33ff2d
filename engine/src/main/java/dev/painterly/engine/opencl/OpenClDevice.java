package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceException;
import dev.painterly.engine.DeviceInfo;
import dev.painterly.engine.DeviceMemoryLimit;
import dev.painterly.engine.DeviceOutOfMemoryException;
import dev.painterly.engine.DeviceStats;
import dev.painterly.engine.MemoryLedger;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_queue_properties;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An OpenCL device: one context and one in-order queue, living for the whole process so that each
 * kernel file compiles once per device and process. The ops are grouped by family in
 * {@link ClConvolution}, {@link ClElementwise}, {@link ClPooling}, {@link ClGram},
 * {@link ClReductions}, {@link ClCombination} and {@link ClMatching}; this class owns memory, transfers and kernel launches.
 */
public final class OpenClDevice implements Device {

    private static final Map<Integer, OpenClDevice> OPEN = new HashMap<>();

    private final DeviceInfo info;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final KernelLibrary library;
    private final MemoryLedger ledger = new MemoryLedger();
    private final KernelProfile profile = new KernelProfile();
    private final PackedWeights packedWeights = new PackedWeights(this);

    /**
     * Buffers given back (tensors released, scratch returned), most recent first, kept for reuse
     * by a later request of the same size: every iteration of an optimisation allocates the same
     * sizes, and a fresh buffer costs a page fault per page on first touch, which on a CPU took
     * about as long as the ReLU or the Winograd input transform that touched it. The queue is in
     * order, so a command that gets a reused buffer runs after every command on its last use.
     */
    private final ArrayDeque<Pooled> pool = new ArrayDeque<>();

    /** A pooled buffer. */
    private record Pooled(cl_mem mem, int floats) {
    }

    private long pooledBytes;
    /** The most the pool may hold: a quarter of the device's memory. */
    private final long poolBytes;
    /** Sizes of the scratch buffers handed out and not given back. */
    private final Map<cl_mem, Integer> scratchSizes = new IdentityHashMap<>();
    private final long localMemoryBytes;
    private final boolean cpu;

    private final ClConvolution convolution;
    private final ClElementwise elementwise;
    private final ClPooling pooling;
    private final ClGram gram;
    private final ClReductions reductions;
    private final ClCombination combination;
    private final ClMatching matching;

    private OpenClDevice(DeviceInfo info) {
        this.info = info;
        OpenClPlatforms.Handle h = OpenClPlatforms.handle(info);
        this.device = h.device();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, h.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = createQueue();
        this.library = new KernelLibrary(context, device);
        this.cpu = info.isCpu();
        this.poolBytes = info.globalMemoryBytes() / 4;
        this.localMemoryBytes = OpenClPlatforms.deviceLong(device, CL.CL_DEVICE_LOCAL_MEM_SIZE);
        this.convolution = new ClConvolution(this);
        this.elementwise = new ClElementwise(this);
        this.pooling = new ClPooling(this);
        this.gram = new ClGram(this);
        this.reductions = new ClReductions(this);
        this.combination = new ClCombination(this);
        this.matching = new ClMatching(this);
    }

    /** The process-wide instance for a device (created on first use). */
    public static synchronized OpenClDevice open(DeviceInfo info) {
        try {
            return OPEN.computeIfAbsent(info.index(), i -> new OpenClDevice(info));
        } catch (CLException e) {
            throw new DeviceException("cannot open OpenCL device " + info.label() + ": " + e.getMessage(), e);
        }
    }

    private cl_command_queue createQueue() {
        String version = OpenClPlatforms.deviceString(device, CL.CL_DEVICE_VERSION);
        boolean cl2 = version.startsWith("OpenCL 2") || version.startsWith("OpenCL 3");
        if (cl2) {
            return CL.clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), null);
        }
        return createLegacyQueue();
    }

    @SuppressWarnings("deprecation")
    private cl_command_queue createLegacyQueue() {
        return CL.clCreateCommandQueue(context, device, 0, null);
    }

    public DeviceInfo info() {
        return info;
    }

    /** Bytes of local memory a work-group may use. */
    public long localMemoryBytes() {
        return localMemoryBytes;
    }

    /** True for CPU devices (PoCL): kernels pick their tuning constants by this. */
    public boolean isCpu() {
        return cpu;
    }

    @Override
    public String name() {
        return info.name() + " (" + info.platform() + ")";
    }

    // ---- memory and transfers --------------------------------------------------------------------

    static cl_mem mem(Tensor t) {
        return (cl_mem) t.memory();
    }

    @Override
    public synchronized Tensor allocate(Shape shape) {
        DeviceMemoryLimit.check(ledger, bytes(shape.size()), info.name());
        cl_mem m = obtain(shape.size());
        ledger.allocated(bytes(shape.size()));
        return new Tensor(this, shape, m);
    }

    /**
     * A buffer of n floats: a given-back one of that size if the pool holds one, else a new one
     * (after emptying the pool, should the device be out of memory).
     */
    private cl_mem obtain(int n) {
        for (var it = pool.iterator(); it.hasNext(); ) {
            Pooled p = it.next();
            if (p.floats() == n) {
                it.remove();
                pooledBytes -= bytes(n);
                return p.mem();
            }
        }
        try {
            return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes(n), null, null);
        } catch (CLException e) {
            if (pool.isEmpty()) {
                throw outOfMemory(bytes(n), e);
            }
        }
        trimPool(0);
        try {
            return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes(n), null, null);
        } catch (CLException e) {
            throw outOfMemory(bytes(n), e);
        }
    }

    /** Keeps a buffer no longer in use for {@link #obtain}, within {@link #poolBytes}. */
    private void giveBack(cl_mem m, int floats) {
        pool.addFirst(new Pooled(m, floats));
        pooledBytes += bytes(floats);
        trimPool(poolBytes);
    }

    /** Releases the least recently given-back buffers until the pool holds at most {@code limit} bytes. */
    private void trimPool(long limit) {
        while (pooledBytes > limit) {
            Pooled oldest = pool.removeLast();
            pooledBytes -= bytes(oldest.floats());
            CL.clReleaseMemObject(oldest.mem());
        }
    }

    private RuntimeException outOfMemory(long bytes, CLException e) {
        int s = e.getStatus();
        if (s == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL.CL_OUT_OF_RESOURCES
                || s == CL.CL_OUT_OF_HOST_MEMORY || s == CL.CL_INVALID_BUFFER_SIZE) {
            return new DeviceOutOfMemoryException("the OpenCL device " + info.name() + " ran out of memory allocating "
                    + (bytes >> 20) + " MiB: try a smaller --size", e);
        }
        return new DeviceException("OpenCL allocation failed on " + info.name() + ": " + e.getMessage(), e);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        Tensor t = allocate(shape);
        write(t, data);
        return t;
    }

    @Override
    public synchronized void write(Tensor t, float[] data) {
        if (data.length != t.size()) {
            throw new IllegalArgumentException("write of " + data.length + " floats into " + t.shape());
        }
        packedWeights.invalidate(mem(t));
        CL.clEnqueueWriteBuffer(queue, mem(t), CL.CL_TRUE, 0, (long) Sizeof.cl_float * data.length,
                Pointer.to(data), 0, null, null);
        ledger.uploaded((long) Sizeof.cl_float * data.length);
    }

    @Override
    public synchronized float[] download(Tensor t) {
        float[] out = new float[t.size()];
        read(mem(t), out, out.length);
        return out;
    }

    /** Blocking write of host floats into the start of a buffer: one counted upload. */
    synchronized void write(cl_mem m, float[] data) {
        CL.clEnqueueWriteBuffer(queue, m, CL.CL_TRUE, 0, (long) Sizeof.cl_float * data.length, Pointer.to(data),
                0, null, null);
        ledger.uploaded((long) Sizeof.cl_float * data.length);
    }

    /** Blocking read of the first n floats of a buffer into {@code out}: one counted download. */
    synchronized void read(cl_mem m, float[] out, int n) {
        CL.clEnqueueReadBuffer(queue, m, CL.CL_TRUE, 0, (long) Sizeof.cl_float * n, Pointer.to(out), 0, null, null);
        ledger.downloaded((long) Sizeof.cl_float * n);
    }

    @Override
    public synchronized void release(Object memory, int floats) {
        packedWeights.invalidate((cl_mem) memory);
        giveBack((cl_mem) memory, floats);
        ledger.released((long) Sizeof.cl_float * floats);
    }

    @Override
    public DeviceStats stats() {
        return ledger.snapshot();
    }

    @Override
    public void finish() {
        CL.clFinish(queue);
    }

    /** The context lives for the process (see the class comment): closing only drains the queue. */
    @Override
    public void close() {
        finish();
    }

    // ---- kernels ---------------------------------------------------------------------------------

    /** A kernel of a {@code .cl} resource, compiled with the given build options. */
    cl_kernel kernel(String file, String options, String name) {
        return library.kernel(file, options, name);
    }

    /** Local memory of a given byte size, as a kernel argument. */
    record Local(long bytes) {
    }

    /**
     * Sets the arguments (Tensor, Integer, Float or {@link Local}) and enqueues the kernel over
     * {@code global} work-items in groups of {@code local} (null: the driver chooses).
     */
    synchronized void launch(cl_kernel k, long[] global, long[] local, Object... args) {
        boolean[] writable = library.writableArguments(k);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Tensor t) {
                if (writable[i]) {
                    packedWeights.invalidate(mem(t));
                }
                CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(mem(t)));
            } else if (a instanceof cl_mem m) {
                CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            } else if (a instanceof Integer v) {
                CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof Local l) {
                CL.clSetKernelArg(k, i, l.bytes(), null);
            } else {
                throw new IllegalArgumentException("unsupported kernel argument " + a);
            }
        }
        try {
            if (KernelProfile.ENABLED) {
                CL.clFinish(queue);
            }
            long cpuStart = KernelProfile.ENABLED ? profile.cpuNow() : 0;
            long start = KernelProfile.ENABLED ? System.nanoTime() : 0;
            CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
            if (KernelProfile.ENABLED) {
                CL.clFinish(queue);
                long wall = System.nanoTime() - start;
                profile.add(kernelName(k), wall, profile.cpuNow() - cpuStart);
            }
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || e.getStatus() == CL.CL_OUT_OF_RESOURCES) {
                throw new DeviceOutOfMemoryException("the OpenCL device " + info.name()
                        + " ran out of memory or resources: try a smaller --size", e);
            }
            throw e;
        }
    }

    private static String kernelName(cl_kernel k) {
        long[] size = new long[1];
        CL.clGetKernelInfo(k, CL.CL_KERNEL_FUNCTION_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetKernelInfo(k, CL.CL_KERNEL_FUNCTION_NAME, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A scratch buffer of n floats, not counted as a tensor; give it back with
     * {@link #releaseScratch}.
     */
    synchronized cl_mem scratch(int n) {
        cl_mem m = obtain(n);
        scratchSizes.put(m, n);
        return m;
    }

    synchronized void releaseScratch(cl_mem m) {
        Integer n = scratchSizes.remove(m);
        if (n == null) {
            throw new IllegalStateException("not a live scratch buffer");
        }
        giveBack(m, n);
    }

    private static long bytes(int floats) {
        return (long) Sizeof.cl_float * floats;
    }

    /**
     * The rearrangement of a weight tensor named {@code layout}, made by {@code make} on first use
     * and kept until the tensor is released or written (see {@link PackedWeights}); the device
     * owns it, so callers do not release it.
     */
    synchronized cl_mem packedWeights(Tensor weight, String layout, Supplier<cl_mem> make) {
        return packedWeights.get(mem(weight), layout, make);
    }

    /** How many weight rearrangements the device holds: for tests. */
    synchronized int packedWeightCount() {
        return packedWeights.size();
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    // ---- ops, by family --------------------------------------------------------------------------

    @Override
    public void fill(Tensor t, double value) {
        elementwise.fill(t, (float) value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        elementwise.copy(src, dst);
    }

    @Override
    public void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        convolution.forward(input, weight, bias, output);
    }

    @Override
    public void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput) {
        convolution.backwardInput(gradOutput, weight, gradInput);
    }

    @Override
    public void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        convolution.backwardWeight(input, gradOutput, gradWeight, gradBias);
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        elementwise.relu(x, out);
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        elementwise.reluBackward(x, gradOut, gradIn);
    }

    @Override
    public void maxPool2x2(Tensor x, Tensor out) {
        pooling.maxPool(x, out);
    }

    @Override
    public void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn) {
        pooling.maxPoolBackward(x, gradOut, gradIn);
    }

    @Override
    public void avgPool3x3(Tensor x, Tensor out) {
        pooling.avgPool3x3(x, out);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise.add(a, b, out);
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        elementwise.multiply(a, b, out);
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        elementwise.scale(a, (float) s, out);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        elementwise.axpy((float) alpha, x, y);
    }

    @Override
    public void multiplyMask(Tensor x, Tensor mask, Tensor out) {
        elementwise.multiplyMask(x, mask, out);
    }

    @Override
    public void maskGradient(Tensor x, Tensor gradOut, Tensor gradMask) {
        elementwise.maskGradient(x, gradOut, gradMask);
    }

    @Override
    public void gram(Tensor f, double scale, Tensor out) {
        gram.forward(f, (float) scale, out);
    }

    @Override
    public void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF) {
        gram.backward(f, gradGram, (float) scale, gradF);
    }

    @Override
    public void totalVariationGradient(Tensor x, double weight, Tensor grad) {
        elementwise.totalVariationGradient(x, (float) weight, grad);
    }

    @Override
    public double sum(Tensor x) {
        return reductions.sum(x);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        return reductions.dot(a, b);
    }

    @Override
    public double sumAbs(Tensor x) {
        return reductions.sumAbs(x);
    }

    @Override
    public double sumSquaredDifference(Tensor a, Tensor b) {
        return reductions.sumSquaredDifference(a, b);
    }

    @Override
    public double totalVariation(Tensor x) {
        return reductions.totalVariation(x);
    }

    // ---- rows of a matrix: a buffer copy, ClReductions and ClCombination ------------------------------

    @Override
    public synchronized void copyToRow(Tensor x, Tensor rows, int row) {
        Check.rows(rows, row + 1, x.size());
        packedWeights.invalidate(mem(rows));
        long bytes = bytes(x.size());
        CL.clEnqueueCopyBuffer(queue, mem(x), mem(rows), 0, row * bytes, bytes, 0, null, null);
    }

    @Override
    public double[][] dots(Tensor rows, int count, Tensor... vectors) {
        return reductions.dots(rows, count, vectors);
    }

    @Override
    public void combineRows(Tensor rows, double[] coefficients, double alpha, Tensor x, Tensor out) {
        combination.combineRows(rows, coefficients, alpha, x, out);
    }

    // ---- matching, in ClMatching ------------------------------------------------------------------

    @Override
    public void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out) {
        matching.matchNcc(f, s, queryMask, out);
    }

    @Override
    public void normalizePositions(Tensor x, Tensor out) {
        matching.normalizePositions(x, out);
    }

    @Override
    public void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out) {
        matching.matchDot(a, p, queryMask, out);
    }

    @Override
    public void refineMatches(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out) {
        matching.refineMatches(nnf, guide, tightMask, out);
    }

    @Override
    public void usedRegion(Tensor nnf, Tensor tightMask, Tensor out) {
        matching.usedRegion(nnf, tightMask, out);
    }

    // ---- post-processing, in ClPostProcess -------------------------------------------------------

    /** Declared here rather than with the other families to keep this section self-contained. */
    private final ClPostProcess postProcess = new ClPostProcess(this);

    @Override
    public void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out) {
        postProcess.guidedFilter(guide, input, radius, eps, out);
    }

    @Override
    public void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, long seed, Tensor nnf) {
        postProcess.patchMatch(a, b, queryMask, radius, iterations, seed, nnf);
    }

    @Override
    public void vote(Tensor nnf, Tensor b, int radius, Tensor out) {
        postProcess.vote(nnf, b, radius, out);
    }
}
