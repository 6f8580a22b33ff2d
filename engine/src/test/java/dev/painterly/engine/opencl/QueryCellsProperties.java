package dev.painterly.engine.opencl;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The query grouping of match_tiled: every query appears in exactly one entry, of the block of its
 * cell; the entry's nine slots hold its neighbours' pixels, and are -1 exactly where a neighbour
 * lies outside the map; a block's slots in use are distinct pixels, come first, and are exactly
 * the neighbourhoods of its queries.
 */
class QueryCellsProperties {

    private static float[] positions(long seed, int h, int w, double density) {
        Random r = new Random(seed);
        int[] p = IntStream.range(0, h * w).filter(i -> r.nextDouble() < density).toArray();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = p[i];
        }
        return f;
    }

    @Property(tries = 200)
    void everyQueryOnceWithItsNeighbours(@ForAll @IntRange(min = 1, max = 30) int h,
                                         @ForAll @IntRange(min = 1, max = 30) int w,
                                         @ForAll @IntRange(min = 1, max = 9) int cell,
                                         @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll long seed) {
        float[] positions = positions(seed, h, w, percent / 100.0);
        int slots = (cell + 2) * (cell + 2) + cell % 3;
        QueryCells b = QueryCells.of(positions, h, w, cell, slots);
        int[] seen = new int[h * w];
        int entries = 0;
        for (int block = 0; block < b.blocks(); block++) {
            int used = (int) b.slotCounts()[block];
            Set<Integer> pixels = new HashSet<>(), needed = new HashSet<>();
            for (int s = 0; s < slots; s++) {
                int pixel = (int) b.slotPixels()[block * slots + s];
                Assertions.assertEquals(s < used, pixel >= 0, "slot " + s + " of " + used + " in use");
                if (pixel >= 0) {
                    Assertions.assertTrue(pixels.add(pixel), "pixel " + pixel + " in two slots");
                }
            }
            int cellOfBlock = -1;
            for (int e = 0; e < b.entries(); e++) {
                int i = block * b.entries() + e;
                int p = (int) b.entryPositions()[i];
                if (p < 0) {
                    for (int d = 0; d < 9; d++) {
                        Assertions.assertEquals(-1, b.entrySlots()[9 * i + d], "slots of an empty entry");
                    }
                    continue;
                }
                entries++;
                seen[p]++;
                int cellOfP = p / w / cell * w + p % w / cell;
                Assertions.assertTrue(cellOfBlock < 0 || cellOfBlock == cellOfP, "queries of two cells in a block");
                cellOfBlock = cellOfP;
                for (int d = 0; d < 9; d++) {
                    int slot = (int) b.entrySlots()[9 * i + d];
                    int y = p / w + d / 3 - 1, x = p % w + d % 3 - 1;
                    if (y < 0 || y >= h || x < 0 || x >= w) {
                        Assertions.assertEquals(-1, slot, "slot of a neighbour outside the map");
                        continue;
                    }
                    Assertions.assertTrue(slot >= 0 && slot < used, "slot " + slot + " not in use");
                    Assertions.assertEquals(y * w + x, (int) b.slotPixels()[block * slots + slot], "pixel of slot");
                    needed.add(y * w + x);
                }
            }
            Assertions.assertEquals(needed, pixels, "slots of block " + block);
        }
        Assertions.assertEquals(positions.length, entries, "entries");
        for (float p : positions) {
            Assertions.assertEquals(1, seen[(int) p], "query " + p);
        }
    }
}
