package dev.painterly.weights.download;

import java.io.IOException;

/** A download that failed or was refused; the message is one line that says what to do. */
public final class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    DownloadException(String message) {
        super(message);
    }

    DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
