package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A launch beyond the device's limits is refused before it reaches OpenCL, naming the kernel. */
class LaunchLimitsTest {

    private final OpenClDevice cl = TestDevices.openCl();

    @Test
    void workGroupsBeyondTheLimit() {
        long tooMany = 2 * cl.maxWorkGroupSize();
        try (Tensor t = cl.allocate(Shape.vector(16))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.launch(
                    cl.kernel(ClElementwise.FILE, "", "fill"), new long[] {tooMany}, new long[] {tooMany}, t, 16, 0f));
            assertTrue(e.getMessage().startsWith("fill: work-groups of " + tooMany), e.getMessage());
        }
    }

    @Test
    void localMemoryBeyondTheLimit() {
        Object[] args = new Object[13];
        for (int i = 0; i < 11; i++) {
            args[i] = 1;
        }
        args[11] = new OpenClDevice.Local(cl.localMemoryBytes());
        args[12] = new OpenClDevice.Local(Float.BYTES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.launch(
                cl.kernel(ClWinograd.FILE, KernelLibrary.options(ClWinograd.DEFINES), "winograd_fused"),
                new long[] {1, 1}, new long[] {1, 1}, args));
        assertTrue(e.getMessage().startsWith("winograd_fused: ") && e.getMessage().contains(
                (cl.localMemoryBytes() + Float.BYTES) + " bytes of local memory"), e.getMessage());
    }
}
