package dev.painterly.harmonizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One objective evaluation of a pass, as the loss log records it.
 *
 * @param pass       1 or 2
 * @param evaluation the evaluation's number in the pass, from 1
 * @param iteration  the L-BFGS steps taken before it (0 for the first evaluation)
 * @param seconds    since the pass started (its matching included)
 * @param terms      the weighted value of each term, named content, style_&lt;layer&gt;, hist_&lt;layer&gt;,
 *                   kept grouped by kind in that order (each kind in the order given, i.e. network
 *                   order): the objective reports network order, which puts pass 1's style_relu3_1
 *                   before its content term, and a reader finds each term where it expects it
 * @param loss       what the optimiser sees: the sum of the terms
 */
public record LossRecord(int pass, int evaluation, int iteration, double seconds, Map<String, Double> terms,
                         double loss) {

    private static final List<String> KINDS = List.of("content", "style_", "hist_");

    public LossRecord {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String kind : KINDS) {
            terms.forEach((name, value) -> {
                if (name.startsWith(kind)) {
                    ordered.put(name, value);
                }
            });
        }
        // A kind a later objective adds still shows, after the known ones.
        terms.forEach(ordered::putIfAbsent);
        terms = Collections.unmodifiableMap(ordered);
    }
}
