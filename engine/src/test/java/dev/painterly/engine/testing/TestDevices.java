package dev.painterly.engine.testing;

import dev.painterly.engine.Devices;
import dev.painterly.engine.DeviceInfo;
import dev.painterly.engine.opencl.OpenClDevice;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.Optional;

/**
 * The OpenCL device tests run on. With {@code CI=true} a missing OpenCL device fails the test:
 * CI never skips silently. Elsewhere the test is skipped with a reason.
 */
public final class TestDevices {

    private TestDevices() {
    }

    public static OpenClDevice openCl() {
        Optional<DeviceInfo> info = Devices.defaultDevice();
        if (info.isEmpty()) {
            String msg = "no OpenCL device found (install ocl-icd-libopencl1 and pocl-opencl-icd)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg + "; CI=true forbids skipping OpenCL tests");
            }
            Assumptions.abort(msg);
        }
        String selector = Devices.effectiveSelector(null);
        DeviceInfo chosen = selector == null || selector.equalsIgnoreCase(Devices.JAVA)
                ? info.get() : Devices.resolve(selector);
        return OpenClDevice.open(chosen);
    }
}
