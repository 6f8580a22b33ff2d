package dev.painterly.harmonizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leave-one-out judges the line by paintings it was not fitted to, next to always answering 5. */
class StyleLevelValidationTest {

    @Test
    void spearmanRanksWithTiesSharingTheirMeanRank() {
        assertEquals(1.0, StyleLevelValidation.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 400}), 1e-12);
        assertEquals(-1.0, StyleLevelValidation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        assertArrayEquals(new double[] {0, 1.5, 1.5, 3}, StyleLevelValidation.ranks(new double[] {1, 5, 5, 7}));
        assertTrue(Double.isNaN(StyleLevelValidation.spearman(new double[] {5, 5, 5}, new double[] {1, 2, 3})));
    }

    @Test
    void levelsOnALineArePredictedExactlyWithoutTheirOwnPainting() {
        double[] scores = {0.1, 0.2, 0.3, 0.4, 0.5};
        double[] levels = {2, 4, 6, 8, 10};
        StyleLevelValidation.Outcome o = StyleLevelValidation.leaveOneOut(scores, levels);
        assertArrayEquals(levels, o.predicted(), 1e-9);
        assertEquals(0, o.error(), 1e-9);
        assertEquals((3 + 1 + 1 + 3 + 5) / 5.0, o.constantError(), 1e-12);
        assertEquals(1.0, o.spearman(), 1e-12);
        assertTrue(o.beatsConstant());
    }

    @Test
    void aScoreUnrelatedToTheLevelLosesToTheConstant() {
        double[] scores = {0.5, 0.1, 0.4, 0.2, 0.3, 0.6};
        double[] levels = {1, 9, 5, 5, 2, 8};
        StyleLevelValidation.Outcome o = StyleLevelValidation.leaveOneOut(scores, levels);
        assertFalse(o.beatsConstant(), () -> "error " + o.error() + " vs " + o.constantError());
    }

    @Test
    void aPaintingIsNotPartOfItsOwnFit() {
        // In-sample, the outlier at score 1.0 would pull the line up to itself; left out, the
        // other four (all level 1) predict 1 for it.
        StyleLevelValidation.Outcome o = StyleLevelValidation.leaveOneOut(new double[] {0.1, 0.2, 0.3, 0.4, 1.0},
                new double[] {1, 1, 1, 1, 10});
        assertEquals(1.0, o.predicted()[4], 1e-9);
    }

    @Test
    void tooFewPaintings() {
        assertThrows(IllegalArgumentException.class, () -> StyleLevelValidation.leaveOneOut(new double[] {1, 2}, new double[] {1, 2}));
    }
}
