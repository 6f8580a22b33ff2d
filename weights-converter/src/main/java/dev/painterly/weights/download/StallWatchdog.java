package dev.painterly.weights.download;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a body stream when no byte has arrived for a while. java.net.http's request timeout
 * ends with the response headers; a server that stalls inside the body would otherwise block the
 * read forever.
 */
final class StallWatchdog implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "painterly-download-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final long timeoutNanos;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;

    StallWatchdog(Duration timeout, Closeable body) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(1, timeout.toMillis() / 4);
        timer.scheduleAtFixedRate(() -> {
            if (!fired && System.nanoTime() - lastActivity > timeoutNanos) {
                fired = true;
                try {
                    body.close();
                } catch (IOException ignored) {
                    // The reader learns of the stall from fired(), whatever close reported.
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Bytes arrived: the clock starts again. */
    void activity() {
        lastActivity = System.nanoTime();
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
