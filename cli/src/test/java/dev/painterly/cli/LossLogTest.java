package dev.painterly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.painterly.harmonizer.LossRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss log's lines: valid JSON in the documented key order, null for what JSON cannot hold, on disk as soon as written. */
class LossLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static LossRecord record(int evaluation, double content, double style, double loss) {
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("content", content);
        terms.put("style_relu3_1", style);
        terms.put("hist_relu1_1", 0.25);
        return new LossRecord(2, evaluation, evaluation - 1, 1.23456, terms, loss);
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void eachLineIsAnObjectWithTheKeysInOrder() throws IOException {
        Path file = dir.resolve("losses.jsonl");
        try (LossLog log = new LossLog(file)) {
            log.write(record(1, 0, 2.5e-3, 0.25 + 2.5e-3), null);
            log.write(record(2, 1.5, 1e-3, 1.75 + 1e-3), null);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(List.of("pass", "evaluation", "iteration", "seconds", "terms", "loss"), keys(first));
        assertEquals(List.of("content", "style_relu3_1", "hist_relu1_1"), keys(first.get("terms")));
        assertEquals(2, first.get("pass").asInt());
        assertEquals(1, first.get("evaluation").asInt());
        assertEquals(0, first.get("iteration").asInt());
        assertEquals(1.235, first.get("seconds").asDouble(), "to the millisecond");
        assertEquals(0.0, first.get("terms").get("content").asDouble());
        assertEquals(2.5e-3, first.get("terms").get("style_relu3_1").asDouble());
        assertEquals(0.25 + 2.5e-3, first.get("loss").asDouble());
        assertEquals(2, JSON.readTree(lines.get(1)).get("evaluation").asInt());
    }

    @Test
    void nonFiniteNumbersAreNull() throws IOException {
        String line = LossLog.line(record(3, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN), null);
        assertTrue(line.endsWith("}\n"), line);
        assertFalse(line.contains("NaN") || line.contains("Infinity"), line);
        JsonNode node = JSON.readTree(line);
        assertTrue(node.get("terms").get("content").isNull(), line);
        assertTrue(node.get("terms").get("style_relu3_1").isNull(), line);
        assertEquals(0.25, node.get("terms").get("hist_relu1_1").asDouble());
        assertTrue(node.get("loss").isNull(), line);
    }

    @Test
    void eachLineIsOnDiskAsSoonAsItIsWritten() throws IOException {
        Path file = dir.resolve("losses.jsonl");
        try (LossLog log = new LossLog(file)) {
            assertFalse(Files.exists(file), "created at the first evaluation");
            log.write(record(1, 0, 1, 1.25), null);
            assertEquals(1, Files.readAllLines(file).size());
            log.write(record(2, 1, 1, 2.25), null);
            String text = Files.readString(file);
            assertEquals(2, text.lines().count());
            assertTrue(text.endsWith("\n"), "the last line is complete");
        }
    }

    @Test
    void replacesAnEarlierLog() throws IOException {
        Path file = Files.writeString(dir.resolve("losses.jsonl"), "an earlier log\nof three\nlines\n");
        try (LossLog log = new LossLog(file)) {
            log.write(record(1, 0, 1, 1.25), null);
        }
        assertEquals(1, Files.readAllLines(file).size());
    }
}
