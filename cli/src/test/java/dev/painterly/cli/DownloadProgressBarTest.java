package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloadProgressBarTest {

    /** A clock that the test moves: one second per update. */
    private final long[] now = {0};

    private String run(boolean terminal, long total, long step) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DownloadProgressBar bar = new DownloadProgressBar(out, terminal, () -> now[0]);
        long end = total > 0 ? total : 200_000_000L;
        for (long received = step; received <= end; received += step) {
            now[0] += 1_000_000_000L;
            bar.update(received, total);
        }
        bar.finished(end);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesAtEveryTenthWhenNotATerminal() {
        List<String> lines = run(false, 100_000_000L, 1_000_000L).lines().toList();
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertEquals("downloading: 1.0 MB of 100.0 MB (1%)  1.0 MB/s  1m39s left", lines.get(0));
        assertEquals("downloading: 10.0 MB of 100.0 MB (10%)  1.0 MB/s  1m30s left", lines.get(1));
        assertEquals("downloaded 100.0 MB in 1m40s (1.0 MB/s)", lines.get(10));
    }

    @Test
    void plainLinesEveryFiftyMegabytesWithoutASize() {
        List<String> lines = run(false, -1, 10_000_000L).lines().toList();
        assertEquals(List.of("downloading: 10.0 MB  10.0 MB/s", "downloading: 50.0 MB  10.0 MB/s", "downloading: 100.0 MB  10.0 MB/s",
                "downloading: 150.0 MB  10.0 MB/s", "downloading: 200.0 MB  10.0 MB/s", "downloaded 200.0 MB in 20s (10.0 MB/s)"), lines);
    }

    @Test
    void aBarRewrittenInPlaceOnATerminal() {
        String out = run(true, 100_000_000L, 25_000_000L);
        assertTrue(out.contains("\r[######                  ]  25.0 MB of 100.0 MB (25%)  25.0 MB/s  3s left"), out);
        assertTrue(out.contains("\r[########################]  100.0 MB of 100.0 MB (100%)  25.0 MB/s  0s left"), out);
        assertTrue(out.endsWith("\rdownloaded 100.0 MB in 4s (25.0 MB/s)" + System.lineSeparator()), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line, redrawn");
    }
}
