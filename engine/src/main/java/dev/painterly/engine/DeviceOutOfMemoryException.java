package dev.painterly.engine;

/** The device has no memory left for an allocation. */
public class DeviceOutOfMemoryException extends DeviceException {

    public DeviceOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
