package dev.painterly.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weights file is not what it claims to be (truncated, corrupt, or another format). The message
 * is one line: the file's name, then what was expected.
 */
public class WeightsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WeightsFormatException(Path file, String problem) {
        super(oneLine(label(file) + ": " + problem));
    }

    public WeightsFormatException(Path file, String problem, Throwable cause) {
        super(oneLine(label(file) + ": " + problem), cause);
    }

    static String label(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /** Messages quote third-party text (protobuf, pickle), which may span lines. */
    private static String oneLine(String message) {
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> out.appendCodePoint(shown(c) ? c : ' '));
        return out.toString().replaceAll("\\s+", " ").trim();
    }

    /** Text read from a corrupt file (a layer name), made fit to quote: short and printable. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(shown(c) ? c : '?'));
        return text.codePointCount(0, text.length()) > 64 ? out + "..." : out.toString();
    }

    private static boolean shown(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> c != '\uFFFD';
        };
    }
}
