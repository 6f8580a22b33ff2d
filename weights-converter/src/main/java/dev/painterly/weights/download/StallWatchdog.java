package dev.painterly.weights.download;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a body stream when a read has waited too long for its bytes. java.net.http's request
 * timeout ends with the response headers; a server that stalls inside the body would otherwise
 * block the read forever. Only time spent waiting in a read counts, not the time the reader
 * spends between reads (writing the converted weights, say).
 */
final class StallWatchdog implements AutoCloseable {

    private static final long NOT_READING = Long.MIN_VALUE;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "painterly-download-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final long timeoutNanos;
    /** When the read in progress began; NOT_READING between reads. */
    private volatile long readingSince = NOT_READING;
    private volatile boolean fired;

    StallWatchdog(Duration timeout, Closeable body) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(1, timeout.toMillis() / 4);
        timer.scheduleAtFixedRate(() -> {
            long since = readingSince;
            if (!fired && since != NOT_READING && System.nanoTime() - since > timeoutNanos) {
                fired = true;
                try {
                    body.close();
                } catch (IOException ignored) {
                    // The reader learns of the stall from fired(), whatever close reported.
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** A read begins: the clock runs. */
    void reading() {
        readingSince = System.nanoTime();
    }

    /** The read has returned: the clock stops. */
    void idle() {
        readingSince = NOT_READING;
    }

    /** Whether the stream was closed for stalling. */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
