package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the image being optimised is saved as OUT.partial.png
 * before the process exits, and the user is told so.
 *
 * <p>The JVM answers both signals by running its shutdown hooks and then exiting (status 130 or
 * 143). Our hook only raises a flag and waits: the computing thread notices the flag at its next
 * checkpoint (after each L-BFGS iteration and at the end of each pass), where the device is free,
 * saves the current image and ends the run with {@link RunInterrupted}. When no checkpoint comes
 * within {@value #WAIT_SECONDS} s (pass 2 spends a while matching before its first iteration), the
 * hook saves the last finished pass's image itself, if there is one.
 */
final class InterruptHandler implements AutoCloseable {

    static final long WAIT_SECONDS = 20;

    private final Thread hook = new Thread(this::onSignal, "painterly-interrupt");
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean requested;
    private Path partial;
    private RgbImage lastPass;
    private String lastPassLabel;
    private boolean saved;
    /** Whether an interrupt that finds no run says so (not where other handlers watch other runs). */
    private final boolean sayWhenIdle;

    private InterruptHandler(boolean sayWhenIdle) {
        this.sayWhenIdle = sayWhenIdle;
    }

    /** Starts listening for interrupts; close() stops. */
    static InterruptHandler install() {
        return install(true);
    }

    /**
     * Starts listening for interrupts, for one of several runs side by side (each with its own
     * handler) when {@code sayWhenIdle} is false: this one keeps quiet when its device is idle.
     */
    static InterruptHandler install(boolean sayWhenIdle) {
        InterruptHandler h = new InterruptHandler(sayWhenIdle);
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    boolean requested() {
        return requested;
    }

    /** A job starts: from now on an interrupt saves its image to {@code partial}. */
    synchronized void jobStarted(Path partial) {
        this.partial = partial;
        this.lastPass = null;
    }

    /** A job's results are written: there is nothing left to save for it; ends the run if interrupted. */
    void jobDone() {
        synchronized (this) {
            partial = null;
            lastPass = null;
        }
        if (requested) {
            settled.countDown();
            throw new RunInterrupted();
        }
    }

    /** A pass finished: its image is what the hook saves if the computing thread is slow to come back. */
    synchronized void passFinished(RgbImage image, String label) {
        lastPass = image;
        lastPassLabel = label;
    }

    /**
     * Called by the computing thread between steps: if an interrupt came, saves the current image
     * and ends the run.
     */
    void checkpoint(String label, Supplier<RgbImage> current) {
        if (requested) {
            save(current.get(), label);
            throw new RunInterrupted();
        }
    }

    private synchronized void save(RgbImage image, String label) {
        if (!saved && partial != null) {
            saved = true;
            try {
                OutputFile.writePng(image, partial);
                System.err.println("painterly: interrupted: saved the current image (" + label + ") to " + partial);
            } catch (IOException e) {
                System.err.println("painterly: interrupted, and the current image could not be saved: " + e.getMessage());
            }
        }
        settled.countDown();
    }

    private void onSignal() {
        requested = true;
        synchronized (this) {
            if (partial == null) {
                if (sayWhenIdle) {
                    System.err.println("painterly: interrupted; no run was in progress, nothing to save");
                }
                return;
            }
        }
        try {
            if (settled.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (lastPass != null) {
                save(lastPass, lastPassLabel);
            } else if (!saved) {
                System.err.println("painterly: interrupted before the first iteration finished; nothing to save");
            }
        }
    }

    @Override
    public void close() {
        settled.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running and the JVM exits when it returns, which the countdown allows.
        }
    }
}
