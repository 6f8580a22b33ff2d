package dev.painterly.cli;

import dev.painterly.engine.testing.TestDevices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the tool in-process as a user would, capturing what it prints, and checks what users rely on. */
final class Cli {

    /** What a run printed and returned. */
    record Run(int code, String out, String err) {

        /** The stderr lines that are not notices a successful run also prints (divergences included). */
        List<String> errorLines() {
            return err.lines().filter(l -> !l.contains("no VGG-19 weights found") && !l.contains("no --style-level given")
                    && !l.matches("painterly: pass \\d diverged.*")).toList();
        }

        /**
         * The run failed as the tool promises: exit 1, one line on stderr that contains {@code phrase},
         * no stack trace.
         */
        void failsWith(String phrase) {
            assertEquals(1, code, () -> "exit code; stderr: " + err);
            List<String> lines = errorLines();
            assertEquals(1, lines.size(), () -> "expected one error line, got: " + err);
            assertTrue(lines.get(0).startsWith("painterly: "), lines.get(0));
            assertTrue(lines.get(0).contains(phrase), () -> "expected '" + phrase + "' in: " + lines.get(0));
            assertFalse(err.contains("\tat "), () -> "stack trace printed: " + err);
        }
    }

    private Cli() {
    }

    static synchronized Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(po);
            System.setErr(pe);
            int code = Painterly.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs with a system property set (a test hook of the engine), then clears it. */
    static Run runWithProperty(String property, String value, String... args) {
        System.setProperty(property, value);
        try {
            return run(args);
        } finally {
            System.clearProperty(property);
        }
    }

    /** The --device value of the OpenCL device tests run on (fails with CI=true when there is none). */
    static String openClDevice() {
        return String.valueOf(TestDevices.openCl().info().index());
    }

    /** The names of the files in a folder, sorted. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
