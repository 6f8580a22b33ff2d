package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.Devices;
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

    Device open() {
        return Devices.open(device);
    }
}
