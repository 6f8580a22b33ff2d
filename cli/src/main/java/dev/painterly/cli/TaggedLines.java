package dev.painterly.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What one of several jobs running at once prints: each line gets the job's tag and reaches the
 * shared stream whole, so that lines of jobs on different devices never mix within a line. A line
 * that starts with "painterly: " (a notice or an error) keeps that start, with the tag after it.
 */
final class TaggedLines extends OutputStream {

    private static final String TOOL = "painterly: ";

    private final PrintStream target;
    private final String tag;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private TaggedLines(PrintStream target, String tag) {
        this.target = target;
        this.tag = tag;
    }

    /** A stream that prints to {@code target}, each line tagged, e.g. "[0] example 3: ". */
    static PrintStream to(PrintStream target, String tag) {
        return new PrintStream(new TaggedLines(target, tag), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        // One println per line: PrintStream makes each call whole with respect to the other threads' calls.
        target.println(text.startsWith(TOOL) ? TOOL + tag + text.substring(TOOL.length()) : tag + text);
    }
}
