package dev.painterly.engine.opencl;

import java.util.Arrays;

/**
 * How {@code match_tiled} (matching_tiled.cl) groups the queries: blocks of a fixed number of
 * slots, each slot a pixel of the query map whose 1x3 row scores the kernel computes, and the
 * query entries of each block, each naming the slots of its rows above, at and below it. Queries
 * are taken in column runs, so k consecutive queries of a column share k + 2 slots (fewer at the
 * map's top and bottom); a run that does not fit the rest of a block continues in the next one.
 * Arrays hold floats (integers below 2^24, exact), -1 for an empty slot or entry, and -1 for the
 * row above or below that lies outside the map.
 *
 * @param blocks         number of blocks
 * @param slotPixels     [blocks * size]: the pixel of each slot
 * @param entryPositions [blocks * size]: the position of each query entry
 * @param entrySlots     [blocks * size * 3]: each entry's slots (within its block) above, at, below
 */
record QueryBlocks(int blocks, float[] slotPixels, float[] entryPositions, float[] entrySlots) {

    /** Groups query positions (each in [0, h * w), no repeats) into blocks of {@code size} slots. */
    static QueryBlocks of(float[] positions, int h, int w, int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a block needs at least 3 slots, got " + size);
        }
        // Column-major order: key = x * h + y, so a run of consecutive keys in one column is a run of rows.
        int[] keys = new int[positions.length];
        for (int i = 0; i < keys.length; i++) {
            int p = (int) positions[i];
            keys[i] = p % w * h + p / w;
        }
        Arrays.sort(keys);
        Builder b = new Builder(size, w);
        for (int i = 0; i < keys.length; ) {
            int x = keys[i] / h, end = i;
            while (end + 1 < keys.length && keys[end + 1] == keys[end] + 1 && keys[end + 1] / h == x) {
                end++;
            }
            int last = keys[end] % h;
            for (int y = keys[i] % h; y <= last; ) {
                if (slots(y, y, h) > b.free()) {
                    b.newBlock();
                }
                int k = last - y + 1;
                while (slots(y, y + k - 1, h) > b.free()) {
                    k--;
                }
                int top = Math.max(0, y - 1);
                int first = b.addSlots(x, top, Math.min(h - 1, y + k));
                for (int yy = y; yy < y + k; yy++) {
                    b.addEntry(yy * w + x, yy > 0 ? first + yy - 1 - top : -1, first + yy - top,
                            yy + 1 < h ? first + yy + 1 - top : -1);
                }
                y += k;
            }
            i = end + 1;
        }
        return b.build();
    }

    /** Slots that queries y .. last of one column need: their rows and one above and below, inside the map. */
    private static int slots(int y, int last, int h) {
        return Math.min(h - 1, last + 1) - Math.max(0, y - 1) + 1;
    }

    private static final class Builder {
        private final int size;
        private final int width;
        private int blocks;
        private int usedSlots;
        private int usedEntries;
        private float[] slotPixels = new float[0];
        private float[] entryPositions = new float[0];
        private float[] entrySlots = new float[0];

        Builder(int size, int width) {
            this.size = size;
            this.width = width;
            this.usedSlots = size;
        }

        int free() {
            return size - usedSlots;
        }

        void newBlock() {
            blocks++;
            usedSlots = 0;
            usedEntries = 0;
            slotPixels = grow(slotPixels, blocks * size);
            entryPositions = grow(entryPositions, blocks * size);
            entrySlots = grow(entrySlots, blocks * size * 3);
        }

        /** a, or a copy at least {@code length} long, new elements -1; doubling keeps copies linear. */
        private static float[] grow(float[] a, int length) {
            if (length <= a.length) {
                return a;
            }
            float[] b = Arrays.copyOf(a, Math.max(length, a.length * 2));
            Arrays.fill(b, a.length, b.length, -1);
            return b;
        }

        /** Takes slots for rows top .. bottom of column x; returns the first's index in the block. */
        int addSlots(int x, int top, int bottom) {
            int first = usedSlots;
            for (int y = top; y <= bottom; y++) {
                slotPixels[(blocks - 1) * size + usedSlots++] = y * width + x;
            }
            return first;
        }

        void addEntry(int position, int above, int at, int below) {
            int e = (blocks - 1) * size + usedEntries++;
            entryPositions[e] = position;
            entrySlots[3 * e] = above;
            entrySlots[3 * e + 1] = at;
            entrySlots[3 * e + 2] = below;
        }

        QueryBlocks build() {
            return new QueryBlocks(blocks, Arrays.copyOf(slotPixels, blocks * size),
                    Arrays.copyOf(entryPositions, blocks * size), Arrays.copyOf(entrySlots, blocks * size * 3));
        }
    }
}
