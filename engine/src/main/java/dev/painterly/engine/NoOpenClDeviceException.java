package dev.painterly.engine;

/**
 * A device was needed but this machine shows no OpenCL device at all (no OpenCL library, no
 * driver, or a driver without devices); the command line turns it into advice for this system.
 */
public final class NoOpenClDeviceException extends DeviceException {

    public NoOpenClDeviceException(String message) {
        super(message);
    }
}
