package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The --device java estimate grows with pixels and iterations, shrinks with cores, and reads as a person would say it. */
class JavaBackendTimeTest {

    @Test
    void scalesWithPixelsIterationsAndCores() {
        double base = JavaBackendTime.seconds(10_000, 100, 2);
        assertEquals(4 * base, JavaBackendTime.seconds(40_000, 100, 2), 1e-9);
        assertEquals(3 * base, JavaBackendTime.seconds(10_000, 300, 2), 1e-9);
        assertEquals(base / 2, JavaBackendTime.seconds(10_000, 100, 4), 1e-9);
    }

    @Test
    void theDemoTakesAboutAnHourOnTwoCores() {
        // 192x144 pixels, 150 + 150 iterations: what the issue measured
        assertEquals("about 55 min", JavaBackendTime.about(JavaBackendTime.seconds(192 * 144, 300, 2)));
    }

    @Test
    void theWorkingImageKeepsTheAspectRatio() {
        assertEquals(700L * 525, JavaBackendTime.workingPixels(1200, 1600, 700));
        assertEquals(525L * 700, JavaBackendTime.workingPixels(1600, 1200, 700));
    }

    @Test
    void roundedAsCoarselyAsAnEstimateDeserves() {
        assertEquals("under a minute", JavaBackendTime.about(30));
        assertEquals("about 2 min", JavaBackendTime.about(100));
        assertEquals("about 1.5 h", JavaBackendTime.about(5400));
        assertEquals("about 2 h", JavaBackendTime.about(7200));
        assertEquals("about 30 h", JavaBackendTime.about(30 * 3600));
        assertEquals("about 3 days", JavaBackendTime.about(3 * 86400));
    }
}
