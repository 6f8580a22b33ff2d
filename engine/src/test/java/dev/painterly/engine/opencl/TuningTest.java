package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice of tuning from a device's type and limits, and its override. */
class TuningTest {

    private static final long KIB = 1024;

    @Test
    void cpuOnlyDevicesGetTheCpuTuning() {
        assertEquals(Tuning.CPU, Tuning.of(null, "CPU", 2048 * KIB));
        assertEquals(Tuning.CPU, Tuning.of("", "CPU", 32 * KIB));
    }

    @Test
    void aDeviceThatCountsItselfAGpuGetsTheGpuTuning() {
        assertEquals(Tuning.GPU, Tuning.of(null, "GPU", 48 * KIB));
        // Oclgrind reports every type.
        assertEquals(Tuning.GPU, Tuning.of(null, "GPU+CPU+ACCELERATOR", 48 * KIB));
    }

    @Test
    void otherDevicesAreJudgedByTheirLocalMemory() {
        assertEquals(Tuning.GPU, Tuning.of(null, "ACCELERATOR", 64 * KIB));
        assertEquals(Tuning.CPU, Tuning.of(null, "ACCELERATOR", 2048 * KIB));
        assertEquals(Tuning.CPU, Tuning.of(null, "CPU+ACCELERATOR", 2048 * KIB));
    }

    @Test
    void theEnvironmentOverrides() {
        assertEquals(Tuning.GPU, Tuning.of("gpu", "CPU", 2048 * KIB));
        assertEquals(Tuning.CPU, Tuning.of(" CPU ", "GPU", 48 * KIB));
    }

    @Test
    void aBadOverrideIsAOneLineError() {
        DeviceException e = assertThrows(DeviceException.class, () -> Tuning.of("fast", "CPU", 2048 * KIB));
        assertTrue(e.getMessage().contains("PAINTERLY_TUNING must be cpu or gpu, not 'fast'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
