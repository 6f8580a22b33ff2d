package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceException;
import dev.painterly.engine.DeviceOutOfMemoryException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;

/**
 * An OpenCL device's buffers given back (tensors released, scratch returned), most recent first,
 * kept for reuse by a later request of the same size: every iteration of an optimisation allocates
 * the same sizes, and a fresh buffer costs a page fault per page on first touch, which on a CPU
 * took about as long as the ReLU or the Winograd input transform that touched it. The queue is in
 * order, so a command that gets a reused buffer runs after every command on its last use. Callers
 * synchronise (the device does).
 */
final class BufferPool {

    /** A pooled buffer. */
    private record Pooled(cl_mem mem, int floats) {
    }

    private final cl_context context;
    private final String deviceName;
    /** The most the pool may hold. */
    private final long limitBytes;
    private final ArrayDeque<Pooled> pool = new ArrayDeque<>();
    private long pooledBytes;

    BufferPool(cl_context context, String deviceName, long limitBytes) {
        this.context = context;
        this.deviceName = deviceName;
        this.limitBytes = limitBytes;
    }

    static long bytes(int floats) {
        return (long) Sizeof.cl_float * floats;
    }

    /**
     * A buffer of n floats: a given-back one of that size if the pool holds one, else a new one
     * (after emptying the pool, should the device be out of memory).
     */
    cl_mem obtain(int n) {
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
        trim(0);
        try {
            return CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes(n), null, null);
        } catch (CLException e) {
            throw outOfMemory(bytes(n), e);
        }
    }

    /** Keeps a buffer no longer in use for {@link #obtain}, within the pool's limit. */
    void giveBack(cl_mem m, int floats) {
        pool.addFirst(new Pooled(m, floats));
        pooledBytes += bytes(floats);
        trim(limitBytes);
    }

    /** Releases the least recently given-back buffers until the pool holds at most {@code limit} bytes. */
    private void trim(long limit) {
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
            return new DeviceOutOfMemoryException("the OpenCL device " + deviceName + " ran out of memory allocating "
                    + (bytes >> 20) + " MiB: try a smaller --size", e);
        }
        return new DeviceException("OpenCL allocation failed on " + deviceName + ": " + e.getMessage(), e);
    }
}
