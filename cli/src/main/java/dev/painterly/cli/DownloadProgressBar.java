package dev.painterly.cli;

import dev.painterly.weights.download.DownloadProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a download: on a terminal a bar rewritten in place (bytes, rate, time left), at
 * most {@value #REDRAWS_PER_SECOND} times a second; elsewhere (a log, a pipe) a plain line at
 * every tenth of the file, or every {@value #PLAIN_EVERY_MB} MB when its size is not known.
 */
final class DownloadProgressBar implements DownloadProgress {

    static final int REDRAWS_PER_SECOND = 5;
    static final long PLAIN_EVERY_MB = 50;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long started;
    private long lastDraw;
    private long lastStep = -1;
    private int lastLength;

    DownloadProgressBar(PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.lastDraw = started - 1_000_000_000L;
    }

    @Override
    public void update(long received, long total) {
        long now = nanoClock.getAsLong();
        if (terminal) {
            if (now - lastDraw >= 1_000_000_000L / REDRAWS_PER_SECOND) {
                lastDraw = now;
                String line = (bar(received, total) + "  " + status(received, total, now)).trim();
                out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
                out.flush();
                lastLength = line.length();
            }
            return;
        }
        long step = total > 0 ? received * 10 / total : received / (PLAIN_EVERY_MB * 1_000_000);
        if (step > lastStep && (total <= 0 || received < total)) {
            lastStep = step;
            out.println("downloading: " + status(received, total, now));
        }
    }

    @Override
    public void finished(long received) {
        clear();
        double seconds = Math.max(1e-9, (nanoClock.getAsLong() - started) / 1e9);
        out.printf(Locale.ROOT, "downloaded %s in %s (%s/s)%n", mb(received), ProgressLine.duration(seconds), mb(received / seconds));
    }

    /** Erases the bar so that a message starts on a clean line. */
    void clear() {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }

    private static String bar(long received, long total) {
        if (total <= 0) {
            return "";
        }
        int filled = (int) (BAR_WIDTH * Math.min(received, total) / total);
        return "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "]";
    }

    private String status(long received, long total, long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? received / seconds : 0;
        if (total <= 0) {
            return mb(received) + "  " + mb(rate) + "/s";
        }
        String left = rate > 0 ? ProgressLine.duration((total - received) / rate) + " left" : "";
        return String.format(Locale.ROOT, "%s of %s (%d%%)  %s/s  %s", mb(received), mb(total), received * 100 / total, mb(rate), left).trim();
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
