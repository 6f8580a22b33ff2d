package dev.painterly.cli;

import dev.painterly.engine.optim.IterationListener.Divergence;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a divergence prints: where it happened and what the pass did about it. */
class DivergenceNoticeTest {

    @Test
    void resumed() {
        assertEquals("pass 2 diverged at iteration 26; resumed from iteration 16 with step 0.05",
                JobRunner.divergenceNotice(2, new Divergence(26, 1e30, 16, 0.05), false));
        assertEquals("pass 1 diverged again at iteration 9; resumed from iteration 0 with step 0.333",
                JobRunner.divergenceNotice(1, new Divergence(9, Double.NaN, 0, 1.0 / 3), true));
    }

    @Test
    void ended() {
        assertEquals("pass 2 diverged again at iteration 40; ended the pass with its best iterate (iteration 16)",
                JobRunner.divergenceNotice(2, new Divergence(40, Double.POSITIVE_INFINITY, 16, 0), true));
        assertEquals("pass 1 diverged at iteration 3; ended the pass with its best iterate (iteration 2)",
                JobRunner.divergenceNotice(1, new Divergence(3, Double.NaN, 2, 0), false));
    }
}
