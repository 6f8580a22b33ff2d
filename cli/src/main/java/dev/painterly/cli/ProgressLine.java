package dev.painterly.cli;

import java.io.PrintStream;

/**
 * Progress of a pass: one line rewritten in place on a terminal; on anything else (a log, a pipe)
 * a plain line every {@link #PLAIN_EVERY} iterations and at the end.
 */
final class ProgressLine {

    static final int PLAIN_EVERY = 25;

    private final PrintStream out;
    private final boolean terminal;
    private long started;
    private int total;
    private int pass;
    private int lastLength;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void start(int pass, int total) {
        this.pass = pass;
        this.total = total;
        this.started = System.nanoTime();
        this.lastLength = 0;
    }

    void update(int iteration, double loss) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        double left = iteration > 0 ? elapsed / iteration * Math.max(0, total - iteration) : 0;
        String line = String.format("pass %d  iteration %d/%d  loss %.4g  %s left", pass, iteration, total, loss, duration(left));
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
        } else if (iteration % PLAIN_EVERY == 0 || iteration == total) {
            out.println(line);
        }
    }

    void finish(String summary) {
        clear();
        out.println(summary);
    }

    /**
     * Erases a line left open on a terminal, so that a message on stderr (the same screen) starts
     * at its beginning; the next update draws the line again.
     */
    void clear() {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }

    /** Ends a line left open on a terminal, so that a message about an interrupted pass starts on its own. */
    void abandon() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
