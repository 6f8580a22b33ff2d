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
import dev.painterly.engine.device.Combination;
import dev.painterly.engine.device.Gather;
import dev.painterly.engine.device.Histogram;
import dev.painterly.engine.device.Convolution;
import dev.painterly.engine.device.Elementwise;
import dev.painterly.engine.device.Gram;
import dev.painterly.engine.device.Matching;
import dev.painterly.engine.device.Pooling;
import dev.painterly.engine.device.PostProcess;
import dev.painterly.engine.device.Reductions;
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

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An OpenCL device: one context and one in-order queue, living for the whole process so that each
 * kernel file compiles once per device and process. This class owns memory, transfers and kernel
 * launches; the ops live in one class per family ({@link ClElementwise}, {@link ClReductions},
 * {@link ClCombination}, {@link ClHistogram}, {@link ClGather}, {@link ClConvolution},
 * {@link ClPooling}, {@link ClGram}, {@link ClMatching}, {@link ClPostProcess}), which the family
 * accessors hand out.
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

    /** Given-back buffers for reuse, at most a quarter of the device's memory. */
    private final BufferPool pool;
    /** Sizes of the scratch buffers handed out and not given back. */
    private final Map<cl_mem, Integer> scratchSizes = new IdentityHashMap<>();
    private final long localMemoryBytes;
    private final long maxWorkGroupSize;
    private final Tuning tuning;

    private final ClConvolution convolution;
    private final ClElementwise elementwise;
    private final ClPooling pooling;
    private final ClGram gram;
    private final ClReductions reductions;
    private final ClCombination combination;
    private final ClHistogram histogram;
    private final ClGather gather;
    private final ClMatching matching;
    private final ClPostProcess postProcess;

    private OpenClDevice(DeviceInfo info) {
        this.info = info;
        OpenClPlatforms.Handle h = OpenClPlatforms.handle(info);
        this.device = h.device();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, h.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = createQueue();
        this.library = new KernelLibrary(context, device);
        this.pool = new BufferPool(context, info.name(), info.globalMemoryBytes() / 4);
        this.localMemoryBytes = OpenClPlatforms.deviceLong(device, CL.CL_DEVICE_LOCAL_MEM_SIZE);
        this.maxWorkGroupSize = OpenClPlatforms.deviceSize(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.tuning = Tuning.of(info.type(), localMemoryBytes);
        this.convolution = new ClConvolution(this);
        this.elementwise = new ClElementwise(this);
        this.pooling = new ClPooling(this);
        this.gram = new ClGram(this);
        this.reductions = new ClReductions(this);
        this.combination = new ClCombination(this);
        this.histogram = new ClHistogram(this);
        this.gather = new ClGather(this);
        this.matching = new ClMatching(this);
        this.postProcess = new ClPostProcess(this);
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

    /** The most work-items a work-group may have on this device. */
    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    /** The tuning the ops run with (see {@link Tuning#of}). */
    public Tuning tuning() {
        return tuning;
    }

    /**
     * A work-group size of at most {@code wanted} that the device allows: the largest power of two
     * within both (kernels that tree-reduce in a group need a power of two).
     */
    long groupSize(long wanted) {
        return Long.highestOneBit(Math.max(1, Math.min(wanted, maxWorkGroupSize)));
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
        DeviceMemoryLimit.check(ledger, BufferPool.bytes(shape.size()), info.name());
        cl_mem m = pool.obtain(shape.size());
        ledger.allocated(BufferPool.bytes(shape.size()));
        return new Tensor(this, shape, m);
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
        pool.giveBack((cl_mem) memory, floats);
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

    /** Compiles a {@code .cl} resource with the given build options, creating no kernel. */
    void compile(String file, String options) {
        library.compile(file, options);
    }

    /** Local memory of a given byte size, as a kernel argument. */
    record Local(long bytes) {
    }

    /**
     * Sets the arguments (Tensor, Integer, Float or {@link Local}) and enqueues the kernel over
     * {@code global} work-items in groups of {@code local} (null: the driver chooses).
     */
    synchronized void launch(cl_kernel k, long[] global, long[] local, Object... args) {
        checkLimits(k, local, args);
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

    /**
     * Refuses a launch whose work-groups or local-memory arguments exceed the device's limits, with
     * the kernel's name: the host classes pick only variants that fit, so this is a bug, which
     * OpenCL would report as a bare status (and PoCL, for local memory, by aborting the process).
     */
    private void checkLimits(cl_kernel k, long[] local, Object[] args) {
        long items = 1;
        for (long l : local == null ? new long[0] : local) {
            items *= l;
        }
        long localBytes = 0;
        for (Object a : args) {
            localBytes += a instanceof Local l ? l.bytes() : 0;
        }
        if (items > maxWorkGroupSize || localBytes > localMemoryBytes) {
            throw new IllegalArgumentException(kernelName(k) + ": work-groups of " + items + " work-items and "
                    + localBytes + " bytes of local memory exceed the " + maxWorkGroupSize + " and " + localMemoryBytes
                    + " of " + info.name());
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
        cl_mem m = pool.obtain(n);
        scratchSizes.put(m, n);
        return m;
    }

    synchronized void releaseScratch(cl_mem m) {
        Integer n = scratchSizes.remove(m);
        if (n == null) {
            throw new IllegalStateException("not a live scratch buffer");
        }
        pool.giveBack(m, n);
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

    // ---- memory ops and the op families ----------------------------------------------------------

    @Override
    public void fill(Tensor t, double value) {
        elementwise.fill(t, (float) value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        elementwise.copy(src, dst);
    }

    @Override
    public synchronized void copyToRow(Tensor x, Tensor rows, int row) {
        Check.rows(rows, row + 1, x.size());
        packedWeights.invalidate(mem(rows));
        long bytes = (long) Sizeof.cl_float * x.size();
        CL.clEnqueueCopyBuffer(queue, mem(x), mem(rows), 0, row * bytes, bytes, 0, null, null);
    }

    @Override
    public Elementwise elementwise() {
        return elementwise;
    }

    @Override
    public Reductions reductions() {
        return reductions;
    }

    @Override
    public Combination combination() {
        return combination;
    }

    @Override
    public Histogram histogram() {
        return histogram;
    }

    @Override
    public Gather gather() {
        return gather;
    }

    @Override
    public Convolution convolution() {
        return convolution;
    }

    @Override
    public Pooling pooling() {
        return pooling;
    }

    @Override
    public Gram gram() {
        return gram;
    }

    @Override
    public Matching matching() {
        return matching;
    }

    @Override
    public PostProcess postProcess() {
        return postProcess;
    }
}
