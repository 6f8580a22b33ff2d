package dev.painterly.cli;

import dev.painterly.cli.ExampleFolder.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --shard K/N}: the parts of a folder are disjoint, cover it, and keep their examples as the folder grows. */
class BatchShardProperties {

    /** Every example of a folder (as scanned from disk) is in exactly one of the N parts. */
    @Property(tries = 40)
    void everyExampleIsInExactlyOnePart(@ForAll @Size(min = 1, max = 30) @UniqueElements List<@IntRange(min = 0, max = 100_000) Integer> numbers,
                                        @ForAll @IntRange(min = 1, max = 12) int parts) throws IOException {
        Path dir = folder(numbers);
        try {
            List<Example> examples = ExampleFolder.scan(dir);
            List<String> covered = new ArrayList<>();
            for (int k = 0; k < parts; k++) {
                new BatchShard(k, parts).of(examples).forEach(e -> covered.add(e.id()));
            }
            List<String> expected = numbers.stream().sorted().map(String::valueOf).toList();
            assertEquals(expected, covered.stream().sorted(Comparator.comparingInt(Integer::parseInt)).toList(),
                    "each example once over the parts 0.." + (parts - 1));
        } finally {
            delete(dir);
        }
    }

    /**
     * An example's part depends on nothing but its own number: whatever else a folder holds, and
     * in whatever order, the example stays in the same part.
     */
    @Property(tries = 200)
    void anExampleKeepsItsPartAsTheFolderGrows(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 5000) Integer> before,
                                               @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 5000) Integer> added,
                                               @ForAll @IntRange(min = 1, max = 12) int parts) {
        for (int k = 0; k < parts; k++) {
            BatchShard shard = new BatchShard(k, parts);
            Set<String> small = ids(shard.of(examples(before)));
            List<Integer> grown = new ArrayList<>(added);
            grown.addAll(before);
            Set<String> large = ids(shard.of(examples(grown)));
            for (Integer n : before) {
                assertEquals(small.contains(String.valueOf(n)), large.contains(String.valueOf(n)), "example " + n + ", part " + shard);
            }
        }
    }

    /** Numbered 0, 1, 2, ... as the paper's examples are, the parts differ in size by at most one. */
    @Property(tries = 100)
    void consecutiveNumbersSpreadEvenly(@ForAll @IntRange(min = 0, max = 200) int first, @ForAll @IntRange(max = 300) int count,
                                        @ForAll @IntRange(min = 1, max = 16) int parts) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(first + i);
        }
        int smallest = Integer.MAX_VALUE, largest = 0;
        for (int k = 0; k < parts; k++) {
            int n = new BatchShard(k, parts).of(examples(numbers)).size();
            smallest = Math.min(smallest, n);
            largest = Math.max(largest, n);
        }
        assertTrue(largest - smallest <= 1, smallest + " to " + largest + " examples per part");
    }

    @Test
    void parsesKOfNCountingFromZero() {
        assertEquals(new BatchShard(0, 4), BatchShard.parse("0/4"));
        assertEquals(new BatchShard(3, 4), BatchShard.parse(" 3 / 4 "));
        assertEquals(new BatchShard(0, 1), BatchShard.parse("0/1"));
        assertEquals("shard2of5", BatchShard.parse("2/5").fileTag());
    }

    @Test
    void refusesWhatIsNotAPart() {
        for (String bad : List.of("4/4", "-1/4", "7/3")) {
            String msg = assertThrows(IllegalArgumentException.class, () -> BatchShard.parse(bad)).getMessage();
            assertTrue(msg.contains("K counts from 0"), msg);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchShard.parse("4/4")).getMessage()
                .contains("goes from 0 to 3 (with Slurm: --array=0-3"));
        for (String bad : List.of("0/0", "0/-2")) {
            String msg = assertThrows(IllegalArgumentException.class, () -> BatchShard.parse(bad)).getMessage();
            assertTrue(msg.contains("N must be at least 1"), msg);
        }
        for (String bad : List.of("", "3", "a/b", "1/2/3", "1/", "/2", "1.5/2", "99999999999/2")) {
            String msg = assertThrows(IllegalArgumentException.class, () -> BatchShard.parse(bad)).getMessage();
            assertTrue(msg.contains("is not K/N"), msg);
        }
    }

    private static List<Example> examples(List<Integer> numbers) {
        return numbers.stream().map(n -> new Example(String.valueOf(n), null, null, null, null)).toList();
    }

    private static Set<String> ids(List<Example> examples) {
        return new HashSet<>(examples.stream().map(Example::id).toList());
    }

    /** A folder with the (empty) files of each numbered example, which is all a scan looks at. */
    private static Path folder(List<Integer> numbers) throws IOException {
        Path dir = Files.createTempDirectory("shard-examples");
        for (int n : numbers) {
            for (String role : List.of("target.jpg", "naive.png", "c_mask.jpg")) {
                Files.createFile(dir.resolve(n + "_" + role));
            }
        }
        return dir;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
