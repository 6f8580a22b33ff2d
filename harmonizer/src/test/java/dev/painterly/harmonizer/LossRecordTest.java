package dev.painterly.harmonizer;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Terms come out grouped by kind, each kind in the order the harmonizer gave, values untouched. */
class LossRecordTest {

    @Test
    void contentThenStyleThenHistogram() {
        Map<String, Double> network = new LinkedHashMap<>();
        network.put("style_relu1_1", 1.0);
        network.put("hist_relu1_1", 2.0);
        network.put("style_relu3_1", 3.0);
        network.put("content", 4.0);
        network.put("tv", 5.0);
        network.put("style_relu4_1", 6.0);
        network.put("hist_relu4_1", 7.0);
        Map<String, Double> ordered = new LossRecord(1, 1, 0, 0, network, 28).terms();
        assertEquals(List.of("content", "style_relu1_1", "style_relu3_1", "style_relu4_1", "hist_relu1_1", "hist_relu4_1", "tv"),
                List.copyOf(ordered.keySet()));
        assertEquals(network, ordered);
    }
}
