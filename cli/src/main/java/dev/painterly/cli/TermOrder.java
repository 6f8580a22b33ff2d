package dev.painterly.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order the loss log and plot show a pass's terms in: content, then the style terms, then the
 * histogram terms, each kind from the shallowest layer down. The harmonizer reports them in network
 * order, which puts pass 1's style_relu3_1 before its content term (relu4_1); grouped by kind, a
 * reader finds each term where it expects it in both passes.
 */
final class TermOrder {

    private static final List<String> KINDS = List.of("content", "style_", "hist_");

    private TermOrder() {
    }

    static Map<String, Double> of(Map<String, Double> terms) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String kind : KINDS) {
            terms.forEach((name, value) -> {
                if (name.startsWith(kind)) {
                    ordered.put(name, value);
                }
            });
        }
        // Whatever kind a later objective adds still shows, after the known ones.
        terms.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
