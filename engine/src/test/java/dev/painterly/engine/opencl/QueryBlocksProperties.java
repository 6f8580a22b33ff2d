package dev.painterly.engine.opencl;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * The query grouping of match_tiled: every query appears in exactly one entry, whose three slots
 * hold its own pixel and the pixels above and below it (or are -1 exactly where those lie outside
 * the map), and blocks are never over-full. Sharing: a full column of h queries takes h slots in
 * all when it fits one block.
 */
class QueryBlocksProperties {

    private static float[] positions(long seed, int h, int w, double density) {
        Random r = new Random(seed);
        return toFloats(IntStream.range(0, h * w).filter(p -> r.nextDouble() < density).toArray());
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    @Property(tries = 200)
    void everyQueryOnceWithItsRows(@ForAll @IntRange(min = 1, max = 30) int h, @ForAll @IntRange(min = 1, max = 30) int w,
                                   @ForAll @IntRange(min = 3, max = 20) int size,
                                   @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll long seed) {
        float[] positions = positions(seed, h, w, percent / 100.0);
        QueryBlocks b = QueryBlocks.of(positions, h, w, size);
        int[] seen = new int[h * w];
        int entries = 0;
        for (int block = 0; block < b.blocks(); block++) {
            for (int e = 0; e < size; e++) {
                int i = block * size + e;
                int p = (int) b.entryPositions()[i];
                if (p < 0) {
                    for (int k = 0; k < 3; k++) {
                        Assertions.assertEquals(-1, b.entrySlots()[3 * i + k], "slots of an empty entry");
                    }
                    continue;
                }
                entries++;
                seen[p]++;
                for (int k = 0; k < 3; k++) {
                    int slot = (int) b.entrySlots()[3 * i + k];
                    int y = p / w + k - 1;
                    if (y < 0 || y >= h) {
                        Assertions.assertEquals(-1, slot, "slot of a row outside the map");
                        continue;
                    }
                    Assertions.assertTrue(slot >= 0 && slot < size, "slot " + slot + " outside the block");
                    Assertions.assertEquals(y * w + p % w, (int) b.slotPixels()[block * size + slot], "pixel of slot");
                }
            }
        }
        Assertions.assertEquals(positions.length, entries, "entries");
        for (float p : positions) {
            Assertions.assertEquals(1, seen[(int) p], "query " + p);
        }
    }

    @Property(tries = 50)
    void aColumnSharesItsRows(@ForAll @IntRange(min = 1, max = 20) int h, @ForAll @IntRange(min = 1, max = 9) int w) {
        float[] column = toFloats(IntStream.range(0, h).map(y -> y * w + w / 2).toArray());
        QueryBlocks b = QueryBlocks.of(column, h, w, 20);
        Assertions.assertEquals(1, b.blocks());
        long used = IntStream.range(0, 20).filter(s -> b.slotPixels()[s] >= 0).count();
        Assertions.assertEquals(h, used);
    }
}
