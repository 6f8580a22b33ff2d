package dev.painterly.engine;

/** A device could not do what was asked; the message says what the user can do about it. */
public class DeviceException extends RuntimeException {

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
