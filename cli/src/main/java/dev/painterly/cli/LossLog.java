package dev.painterly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.painterly.harmonizer.LossRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The loss log: JSON Lines, one object per objective evaluation,
 * {@code {"pass":1,"evaluation":1,"iteration":0,"seconds":0.412,"terms":{"content":0.0,...},"loss":...}},
 * the terms in {@link dev.painterly.harmonizer.LossRecord}'s order.
 *
 * <p>Unlike the images it is written in place, not through a temporary file, so that a long job's
 * log can be followed while it runs: each line is written whole and flushed at once, so the file
 * always ends with a complete line. It is created at the first evaluation (a job that fails before
 * computing anything leaves none), replacing an earlier file, and a job that fails or is
 * interrupted keeps the lines it wrote. Numbers that are not finite are written as null, since
 * JSON has no NaN.
 */
final class LossLog implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private Writer out;

    LossLog(Path file) {
        this.file = file;
    }

    /** Writes one record; {@code styleLevel} (null: none) is the level of a pass 2 in a sweep of levels. */
    void write(LossRecord record, Double styleLevel) throws IOException {
        if (out == null) {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }
        out.write(line(record, styleLevel));
        out.flush();
    }

    /** One record as a line of JSON, newline included, its keys in the documented order. */
    static String line(LossRecord record, Double styleLevel) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("pass", record.pass());
        if (styleLevel != null) {
            o.put("style_level", styleLevel);
        }
        o.put("evaluation", record.evaluation());
        o.put("iteration", record.iteration());
        // Milliseconds are all a reader of timings needs.
        number(o, "seconds", Math.round(record.seconds() * 1000) / 1000.0);
        ObjectNode terms = o.putObject("terms");
        for (Map.Entry<String, Double> t : record.terms().entrySet()) {
            number(terms, t.getKey(), t.getValue());
        }
        number(o, "loss", record.loss());
        return JSON.writeValueAsString(o) + "\n";
    }

    private static void number(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, value);
        } else {
            o.putNull(key);
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
