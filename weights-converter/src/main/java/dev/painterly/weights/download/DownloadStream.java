package dev.painterly.weights.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The body of a download as the readers see it: every byte that passes is counted, hashed
 * (SHA-256), shown as progress and, with {@code --keep}, copied to a file. It extends
 * InputStream rather than FilterInputStream so that skipping, too, reads and hashes the bytes.
 *
 * <p>A failure of the connection is remembered, whatever a reader above makes of it, so that the
 * user is told about the network rather than about a file that merely looks truncated.
 */
final class DownloadStream extends InputStream {

    private final InputStream body;
    private final long total;
    private final OutputStream keep;
    private final DownloadProgress progress;
    private final StallWatchdog watchdog;
    private final MessageDigest sha256;
    private String sha256Hex;
    private long received;
    private boolean ended;
    private IOException transportFailure;
    private IOException keepFailure;

    DownloadStream(InputStream body, long total, OutputStream keep, DownloadProgress progress, StallWatchdog watchdog) {
        this.body = body;
        this.total = total;
        this.keep = keep;
        this.progress = progress;
        this.watchdog = watchdog;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (transportFailure != null) {
            throw transportFailure;
        }
        if (ended || len == 0) {
            return ended ? -1 : 0;
        }
        int n;
        watchdog.reading();
        try {
            n = body.read(buf, off, len);
        } catch (IOException e) {
            transportFailure = watchdog.fired() ? new StalledException(e) : e;
            throw transportFailure;
        } finally {
            watchdog.idle();
        }
        if (n < 0 && watchdog.fired()) {
            // Closing the body to end a stall makes it look like a normal end.
            transportFailure = new StalledException(null);
            throw transportFailure;
        }
        if (n < 0) {
            ended = true;
            progress.finished(received);
            return -1;
        }
        sha256.update(buf, off, n);
        if (keep != null) {
            try {
                keep.write(buf, off, n);
            } catch (IOException e) {
                keepFailure = e;
                throw e;
            }
        }
        received += n;
        progress.update(received, total);
        return n;
    }

    /** Reads what the readers left, to its end, so that all of it is hashed (and kept). */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // Only the hash and the count matter.
        }
    }

    long received() {
        return received;
    }

    /** Whether the body reached its end without a failure of the connection. */
    boolean ended() {
        return ended;
    }

    /** The connection's failure, if it failed: dropped, reset, or closed for stalling ({@link StalledException}). */
    IOException transportFailure() {
        return transportFailure;
    }

    /** Why the copy for {@code --keep} could not be written, if it could not. */
    IOException keepFailure() {
        return keepFailure;
    }

    /** The SHA-256 of all bytes read, in lower-case hex; ask at the end, as it ends the hashing. */
    String sha256() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
        }
        return sha256Hex;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    /** The server sent nothing for longer than the timeout. */
    static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(IOException cause) {
            super("the server stopped sending", cause);
        }
    }
}
