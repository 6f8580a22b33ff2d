package dev.painterly.cli;

import dev.painterly.engine.DeviceException;
import dev.painterly.engine.DeviceInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which devices {@code --devices} names, on made-up machines. */
class DevicesOptionTest {

    private static final DeviceInfo CPU = new DeviceInfo(0, "Portable Computing Language", "pthread-cpu", "CPU", 8L << 30, 16);
    private static final DeviceInfo GPU_A = new DeviceInfo(1, "NVIDIA CUDA", "NVIDIA A100", "GPU", 40L << 30, 108);
    private static final DeviceInfo GPU_B = new DeviceInfo(2, "NVIDIA CUDA", "NVIDIA L4", "GPU", 24L << 30, 58);
    private static final List<DeviceInfo> MACHINE = List.of(CPU, GPU_A, GPU_B);

    private static List<String> select(String value, List<DeviceInfo> available) {
        DevicesOption option = new DevicesOption();
        option.devices = value;
        return option.selectors(available);
    }

    @Test
    void allIsEveryGpuOrWithoutGpusEveryDevice() {
        assertEquals(List.of("1", "2"), select("all", MACHINE));
        assertEquals(List.of("1", "2"), select(" ALL ", MACHINE));
        assertEquals(List.of("0"), select("all", List.of(CPU)));
        String msg = assertThrows(DeviceException.class, () -> select("all", List.of())).getMessage();
        assertTrue(msg.startsWith("--devices all: no OpenCL device found: ") && msg.contains("--devices java"), msg);
    }

    @Test
    void aListNamesDevicesByIndexNameOrJava() {
        assertEquals(List.of("2", "java", "0"), select("2, java,0", MACHINE));
        assertEquals(List.of("1", "2"), select("nvidia", MACHINE), "a substring takes every device that has it");
        assertEquals(List.of("0", "1"), select("pthread,a100", MACHINE));
        assertEquals(List.of("1"), select("01", MACHINE));
        assertEquals(List.of("java"), select("java", List.of()), "java needs no OpenCL");
    }

    @Test
    void mistakesAreOneLineErrors() {
        assertEquals("--devices nvidia,1 names device 1 twice (nvidia and 1): name each device once",
                assertThrows(IllegalArgumentException.class, () -> select("nvidia,1", MACHINE)).getMessage());
        assertEquals("unknown device 'amd' in --devices: choose from 0: pthread-cpu, 1: NVIDIA A100, 2: NVIDIA L4, java "
                + "(run 'painterly devices' to list them)", assertThrows(DeviceException.class, () -> select("amd", MACHINE)).getMessage());
        assertThrows(DeviceException.class, () -> select("3", MACHINE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> select("1,", MACHINE)).getMessage().contains("has an empty entry"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> select("all,java", MACHINE)).getMessage()
                .contains("'all' stands alone"));
    }
}
