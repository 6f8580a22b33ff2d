package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceException;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel that does not compile is reported with its file name and the compiler's log. */
class KernelCompileErrorTest {

    @Test
    void compileErrorNamesTheFileAndCarriesTheLog() {
        OpenClDevice d = TestDevices.openCl();
        DeviceException e = assertThrows(DeviceException.class, () -> d.kernel("broken_for_test.cl", "", "broken"));
        assertTrue(e.getMessage().contains("broken_for_test.cl"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared_identifier_for_test"), "compiler log in: " + e.getMessage());
    }

    @Test
    void missingKernelSourceIsNamed() {
        OpenClDevice d = TestDevices.openCl();
        DeviceException e = assertThrows(DeviceException.class, () -> d.kernel("no_such_file.cl", "", "x"));
        assertTrue(e.getMessage().contains("no_such_file.cl"), e.getMessage());
    }
}
