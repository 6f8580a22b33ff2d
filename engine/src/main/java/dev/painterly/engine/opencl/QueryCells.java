package dev.painterly.engine.opencl;

import java.util.Arrays;

/**
 * How {@code match_tiled} (matching_tiled.cl) groups the queries: the query map is cut into
 * cells of {@code cell} x {@code cell} positions, and each cell holding queries becomes a block.
 * A block's slots are the pixels of the query map within the 3x3 neighbourhoods of its queries
 * (at most (cell + 2)^2 of them), whose pointwise dot products with the candidates the kernel
 * computes once and shares among the queries; its entries are its queries, each naming the slot
 * of each of its 9 neighbours. Arrays hold floats (integers below 2^24, exact) and -1 for an
 * empty slot or entry and for a neighbour outside the map.
 *
 * @param blocks         number of blocks
 * @param slots          slots per block, at least (cell + 2)^2
 * @param entries        query entries per block, cell^2
 * @param slotPixels     [blocks * slots]: the pixel of each slot
 * @param slotCounts     [blocks]: slots in use (the first ones)
 * @param entryPositions [blocks * entries]: the position of each query entry
 * @param entrySlots     [blocks * entries * 9]: each entry's slot (within its block) per 3x3
 *                       offset, row-major from (-1, -1)
 */
record QueryCells(int blocks, int slots, int entries, float[] slotPixels, float[] slotCounts,
                  float[] entryPositions, float[] entrySlots) {

    /** Groups query positions (each in [0, h * w), no repeats) into cells of cell x cell positions. */
    static QueryCells of(float[] positions, int h, int w, int cell, int slots) {
        if (slots < (cell + 2) * (cell + 2)) {
            throw new IllegalArgumentException(slots + " slots cannot hold the neighbourhoods of a cell of " + cell);
        }
        int cellsX = (w + cell - 1) / cell, cellsY = (h + cell - 1) / cell;
        int[] cellOf = new int[positions.length];
        int[] perCell = new int[cellsX * cellsY + 1];
        for (int i = 0; i < positions.length; i++) {
            int p = (int) positions[i];
            cellOf[i] = p / w / cell * cellsX + p % w / cell;
            perCell[cellOf[i] + 1]++;
        }
        int blocks = 0;
        for (int k = 1; k < perCell.length; k++) {
            blocks += perCell[k] > 0 ? 1 : 0;
            perCell[k] += perCell[k - 1];
        }
        // Queries sorted by cell (counting sort): cell k's are byCell[perCell[k] .. perCell[k + 1]).
        int[] byCell = new int[positions.length];
        int[] next = Arrays.copyOf(perCell, perCell.length - 1);
        for (int i = 0; i < positions.length; i++) {
            byCell[next[cellOf[i]]++] = (int) positions[i];
        }
        int entries = cell * cell;
        float[] slotPixels = filled(blocks * slots), slotCounts = new float[blocks];
        float[] entryPositions = filled(blocks * entries), entrySlots = filled(blocks * entries * 9);
        // slotOf[pixel] = its slot in the block being built, -1 when it has none yet.
        int[] slotOf = new int[h * w];
        Arrays.fill(slotOf, -1);
        int block = 0;
        for (int k = 0; k + 1 < perCell.length; k++) {
            if (perCell[k] == perCell[k + 1]) {
                continue;
            }
            int used = 0;
            for (int j = perCell[k]; j < perCell[k + 1]; j++) {
                int p = byCell[j], py = p / w, px = p % w;
                int e = block * entries + j - perCell[k];
                entryPositions[e] = p;
                for (int d = 0; d < 9; d++) {
                    int y = py + d / 3 - 1, x = px + d % 3 - 1;
                    if (y < 0 || y >= h || x < 0 || x >= w) {
                        continue;
                    }
                    int q = y * w + x;
                    if (slotOf[q] < 0) {
                        slotOf[q] = used;
                        slotPixels[block * slots + used++] = q;
                    }
                    entrySlots[9 * e + d] = slotOf[q];
                }
            }
            slotCounts[block] = used;
            for (int s = 0; s < used; s++) {
                slotOf[(int) slotPixels[block * slots + s]] = -1;
            }
            block++;
        }
        return new QueryCells(blocks, slots, entries, slotPixels, slotCounts, entryPositions, entrySlots);
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, -1);
        return a;
    }
}
