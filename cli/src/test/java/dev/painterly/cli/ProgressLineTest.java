package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line makes way for a message on stderr and comes back after it. */
class ProgressLineTest {

    @Test
    void clearErasesTheOpenLineOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        line.start(2, 100);
        line.update(26, 12.5);
        line.clear();
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\rpass 2  iteration 26/100  loss 12.50"), shown);
        String erased = shown.substring(shown.indexOf('\r', 1));
        assertTrue(erased.matches("\r +\r"), "cursor back at the start of a blank line: " + erased);
        bytes.reset();
        line.update(27, 12.4);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).matches("\rpass 2  iteration 27/100  loss 12.40  \\d+s left"),
                "drawn again, with nothing left to pad: " + bytes);
        bytes.reset();
        line.clear();
        line.clear();
        assertTrue(bytes.toString(StandardCharsets.UTF_8).matches("\r +\r"), "erased once: " + bytes);
    }

    @Test
    void clearWritesNothingToALog() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.start(1, 100);
        line.update(25, 3.0);
        String before = bytes.toString(StandardCharsets.UTF_8);
        line.clear();
        assertEquals(before, bytes.toString(StandardCharsets.UTF_8));
    }
}
