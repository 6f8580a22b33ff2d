package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles the {@code .cl} resources of module {@code kernels} for one device, once per
 * (file, build options) and process, and hands out their kernels. A compile error names the file
 * and carries the compiler's log. Programs are built with their argument info, so that
 * {@link #writableArguments} can tell which arguments a kernel may write.
 */
final class KernelLibrary {

    static final String RESOURCE_DIR = "/dev/painterly/kernels/";

    private final cl_context context;
    private final cl_device_id device;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<cl_kernel, boolean[]> writable = new IdentityHashMap<>();

    KernelLibrary(cl_context context, cl_device_id device) {
        this.context = context;
        this.device = device;
    }

    /**
     * Build options that define each named constant, {@code -DNAME=value}, in name order (so that
     * equal maps give equal option strings, which {@link #kernel} caches by).
     */
    static String options(Map<String, Integer> defines) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(defines).forEach((name, value) -> s.append(s.length() == 0 ? "" : " ")
                .append("-D").append(name).append('=').append(value));
        return s.toString();
    }

    /** The source text of a kernel file, e.g. {@code "elementwise.cl"}. */
    static String source(String file) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new DeviceException("kernel source " + file + " not found on the classpath (module kernels)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeviceException("cannot read kernel source " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized cl_kernel kernel(String file, String options, String name) {
        String key = file + "|" + options + "|" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            k = CL.clCreateKernel(program(file, options), name, null);
            kernels.put(key, k);
            writable.put(k, writable(k));
        }
        return k;
    }

    /** Compiles a kernel file with the given build options (once; a failure throws as {@link #kernel} does). */
    synchronized void compile(String file, String options) {
        program(file, options);
    }

    private cl_program program(String file, String options) {
        String key = file + "|" + options;
        cl_program p = programs.get(key);
        if (p != null) {
            return p;
        }
        String src = source(file);
        p = CL.clCreateProgramWithSource(context, 1, new String[] {src}, null, null);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options + " -cl-kernel-arg-info", null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            // A failed program left alive made PoCL crash the JVM on the next compile.
            CL.clReleaseProgram(p);
            throw new DeviceException("OpenCL compile of " + file + " failed (" + e.getMessage() + "):\n" + log, e);
        }
        programs.put(key, p);
        return p;
    }

    /**
     * For each argument of a kernel from {@link #kernel}: whether the kernel may write through it,
     * i.e. it is a global pointer not declared {@code const}. Every argument counts as writable
     * where the driver gives no argument info.
     */
    synchronized boolean[] writableArguments(cl_kernel k) {
        return writable.get(k);
    }

    private static boolean[] writable(cl_kernel k) {
        int[] count = new int[1];
        CL.clGetKernelInfo(k, CL.CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(count), null);
        boolean[] w = new boolean[count[0]];
        for (int i = 0; i < w.length; i++) {
            try {
                int[] address = new int[1];
                long[] qualifier = new long[1];
                CL.clGetKernelArgInfo(k, i, CL.CL_KERNEL_ARG_ADDRESS_QUALIFIER, Sizeof.cl_uint, Pointer.to(address),
                        null);
                CL.clGetKernelArgInfo(k, i, CL.CL_KERNEL_ARG_TYPE_QUALIFIER, Sizeof.cl_ulong, Pointer.to(qualifier),
                        null);
                w[i] = address[0] == CL.CL_KERNEL_ARG_ADDRESS_GLOBAL && (qualifier[0] & CL.CL_KERNEL_ARG_TYPE_CONST) == 0;
            } catch (CLException e) {
                w[i] = true;
            }
        }
        return w;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }
}
