package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceException;
import dev.painterly.engine.Devices;
import dev.painterly.engine.NoOpenClDeviceException;
import picocli.CommandLine.Option;

/** The options every command that computes shares: which device, and how much to say. */
final class DeviceOptions {

    @Option(names = "--device", paramLabel = "D",
            description = "OpenCL device: index or name substring from 'painterly devices', or 'java' "
                    + "for the reference backend (default: $" + Devices.ENVIRONMENT_VARIABLE
                    + ", else the first GPU, else the first CPU device)")
    String device;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** Opens the device; where there is no OpenCL device, fails with how to install a runtime on this system. */
    Device open() {
        return open("");
    }

    /**
     * Opens the device for a job of {@code pixelIterations} (working pixels times L-BFGS
     * iterations, all passes and jobs together); where there is no OpenCL device, fails with how
     * to install a runtime on this system and how long the job would take with --device java.
     */
    Device open(long pixelIterations) {
        int cores = Runtime.getRuntime().availableProcessors();
        return open(" (" + JavaBackendTime.about(JavaBackendTime.seconds(pixelIterations, 1, cores)) + " for this job on " + cores
                + (cores == 1 ? " core)" : " cores)"));
    }

    private Device open(String javaTime) {
        try {
            return Devices.open(device);
        } catch (NoOpenClDeviceException e) {
            throw new DeviceException("no OpenCL device found: " + OpenClInstall.advice() + ", or run with --device java" + javaTime, e);
        }
    }
}
