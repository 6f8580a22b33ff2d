package dev.painterly.harmonizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One objective evaluation of a pass, as the loss log records it.
 *
 * @param pass       1 or 2
 * @param evaluation the evaluation's number in the pass, from 1
 * @param iteration  the L-BFGS steps taken before it (0 for the first evaluation)
 * @param seconds    since the pass started (its matching included)
 * @param terms      the weighted value of each term, named content, style_&lt;layer&gt;, hist_&lt;layer&gt;
 * @param loss       what the optimiser sees: the sum of the terms
 */
public record LossRecord(int pass, int evaluation, int iteration, double seconds, Map<String, Double> terms,
                         double loss) {

    public LossRecord {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }
}
