package dev.painterly.cli;

import dev.painterly.cli.ExampleFolder.Example;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;

/**
 * {@code --shard K/N}: the part K (counted from 0) of N disjoint parts of a folder, for a cluster
 * scheduler's array jobs, which number their tasks from 0 ({@code $SLURM_ARRAY_TASK_ID} with
 * {@code --array=0-(N-1)}, Kubernetes' {@code $JOB_COMPLETION_INDEX}).
 *
 * <p>Example N belongs to part N mod the number of parts. That depends on the example's own number
 * only, not on the order a file system lists files in nor on which other examples exist, so a
 * folder that grows keeps every earlier example in its part (a rank in sorted order would move
 * them all), and for the usual numbering 0, 1, 2, ... the parts differ in size by at most one
 * (a hash of the name would leave them unequal by chance).
 */
record BatchShard(int index, int count) {

    BatchShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist");
        }
    }

    /** Parses K/N, or fails with one line that says what is expected. */
    static BatchShard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        int k, n;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            k = Integer.parseInt(parts[0].trim());
            n = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not K/N: give the part K (from 0) of N parts, e.g. --shard 0/4");
        }
        if (n < 1) {
            throw new IllegalArgumentException("'" + text + "' has no parts: N must be at least 1, e.g. --shard 0/4");
        }
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "'%s': K counts from 0, so it goes from 0 to %d (with Slurm: --array=0-%d; from a 1-based index I: --shard $((I-1))/%d)",
                    text, n - 1, n - 1, n));
        }
        return new BatchShard(k, n);
    }

    /** Whether the example numbered {@code id} belongs to this part. */
    boolean holds(String id) {
        return Math.floorMod(Long.parseLong(id), (long) count) == index;
    }

    /** The examples of this part, in their order. */
    List<Example> of(List<Example> examples) {
        return examples.stream().filter(e -> holds(e.id())).toList();
    }

    /** How this part's own files are told apart from the other parts' in a shared folder: "shard0of4". */
    String fileTag() {
        return "shard" + index + "of" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** Turns the option's text into a part, for picocli: a mistake is a usage error of one line. */
    static final class Converter implements ITypeConverter<BatchShard> {
        @Override
        public BatchShard convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
