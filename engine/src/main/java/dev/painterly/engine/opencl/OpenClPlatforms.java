package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceInfo;
import dev.painterly.engine.TestHooks;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Enumerates OpenCL platforms and devices through JOCL.
 *
 * <p>The test hook {@link TestHooks#HIDE_OPENCL} makes this machine look as if it had no OpenCL
 * at all (no device is listed, and JOCL is never loaded, as where no OpenCL library is found).
 */
public final class OpenClPlatforms {

    private OpenClPlatforms() {
    }

    /** A device together with the handles needed to open it. */
    record Handle(DeviceInfo info, cl_platform_id platform, cl_device_id device) {
    }

    /** All devices, or an empty list when no OpenCL runtime (ICD loader or driver) is present. */
    public static List<DeviceInfo> devices() {
        List<DeviceInfo> out = new ArrayList<>();
        for (Handle h : handles()) {
            out.add(h.info());
        }
        return out;
    }

    static List<Handle> handles() {
        List<Handle> out = new ArrayList<>();
        if (TestHooks.hideOpenCl() || !OpenClLibrary.load()) {
            return out;
        }
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            CL.clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id p : platforms) {
                String platformName = platformString(p, CL.CL_PLATFORM_NAME);
                int[] n = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (RuntimeException noDevices) {
                    continue;
                }
                cl_device_id[] ds = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                for (cl_device_id d : ds) {
                    DeviceInfo info = new DeviceInfo(out.size(), platformName,
                            deviceString(d, CL.CL_DEVICE_NAME), type(d),
                            deviceLong(d, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                            (int) deviceInt(d, CL.CL_DEVICE_MAX_COMPUTE_UNITS));
                    out.add(new Handle(info, p, d));
                }
            }
        } catch (UnsatisfiedLinkError | RuntimeException noRuntime) {
            return List.of();
        }
        return out;
    }

    static Handle handle(DeviceInfo info) {
        for (Handle h : handles()) {
            if (h.info().index() == info.index() && h.info().name().equals(info.name())) {
                return h;
            }
        }
        throw new IllegalStateException("OpenCL device disappeared: " + info.label());
    }

    private static String type(cl_device_id d) {
        long t = deviceLong(d, CL.CL_DEVICE_TYPE);
        List<String> parts = new ArrayList<>();
        if ((t & CL.CL_DEVICE_TYPE_GPU) != 0) {
            parts.add("GPU");
        }
        if ((t & CL.CL_DEVICE_TYPE_CPU) != 0) {
            parts.add("CPU");
        }
        if ((t & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            parts.add("ACCELERATOR");
        }
        return parts.isEmpty() ? "OTHER" : String.join("+", parts);
    }

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xffffffffL;
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }
}
