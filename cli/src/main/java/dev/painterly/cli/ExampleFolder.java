package dev.painterly.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of examples in the paper's naming: for each number N, N_target (the painting), N_naive
 * (the composite), N_c_mask (the tight mask) and optionally N_c_mask_dilated (the loose mask), each
 * a .jpg, .jpeg or .png. Other files are ignored. An optional style_levels.tsv (N, level, and
 * anything after, tab-separated) gives the examples' stylization levels.
 */
final class ExampleFolder {

    static final String LEVELS_FILE = "style_levels.tsv";

    private static final Pattern NAME = Pattern.compile("(\\d+)_(target|naive|c_mask|c_mask_dilated)\\.(jpe?g|png)",
            Pattern.CASE_INSENSITIVE);

    /** One example's files; {@code looseMask} may be null. */
    record Example(String id, Path painting, Path composite, Path mask, Path looseMask) {
    }

    private ExampleFolder() {
    }

    /** The examples of {@code dir}, ordered by number; fails when there are none or one is incomplete. */
    static List<Example> scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder: give the folder that holds N_target, N_naive and N_c_mask images");
        }
        Map<Integer, Map<String, Path>> byNumber = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    Map<String, Path> parts = byNumber.computeIfAbsent(Integer.parseInt(m.group(1)), n -> new HashMap<>());
                    String role = m.group(2).toLowerCase(Locale.ROOT);
                    if (parts.putIfAbsent(role, f) != null) {
                        throw new IOException(dir + " has two " + m.group(1) + "_" + role + " files: keep one");
                    }
                }
            }
        }
        if (byNumber.isEmpty()) {
            throw new IOException(dir + " holds no examples: name them N_target.jpg, N_naive.jpg and N_c_mask.jpg "
                    + "(optionally N_c_mask_dilated.jpg; .png works too)");
        }
        List<Example> out = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Path>> e : byNumber.entrySet()) {
            Map<String, Path> parts = e.getValue();
            String id = String.valueOf(e.getKey());
            for (String role : List.of("target", "naive", "c_mask")) {
                if (!parts.containsKey(role)) {
                    throw new IOException(dir + ": example " + id + " has no " + id + "_" + role
                            + " image: add it, or move that example's other files away");
                }
            }
            out.add(new Example(id, parts.get("target"), parts.get("naive"), parts.get("c_mask"), parts.get("c_mask_dilated")));
        }
        return out;
    }

    /** The levels listed in {@code dir}/style_levels.tsv, by example number; empty without the file. */
    static Map<String, Double> styleLevels(Path dir) throws IOException {
        Path file = dir.resolve(LEVELS_FILE);
        Map<String, Double> levels = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return levels;
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(file)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t");
            try {
                levels.put(String.valueOf(Integer.parseInt(cols[0].trim())), Double.parseDouble(cols[1].trim()));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + lineNumber + ": expected 'N<TAB>level', got '" + line
                        + "': fix the line or remove the file");
            }
        }
        return levels;
    }
}
