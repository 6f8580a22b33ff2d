package dev.painterly.engine.opencl;

import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The contract between each {@code .cl} file and its host class: every constant the host passes
 * as {@code -D} has an {@code #ifndef} default in the file equal to the Java value (the CPU
 * tuning's, where both tunings set it), the file has no other such default, and with those
 * defaults every file compiles on its own.
 */
class KernelSourcesTest {

    /** What each file's host class passes, under each tuning. */
    private static final Map<String, Function<Tuning, Map<String, Integer>>> HOSTS = Map.ofEntries(
            Map.entry(ClConvolution.FILE, ClConvolution::defines),
            Map.entry(ClWinograd.FILE, t -> ClWinograd.DEFINES),
            Map.entry(ClGram.FILE, ClGram::defines),
            Map.entry(ClMatching.FILE, t -> ClMatching.PLAIN_DEFINES),
            Map.entry(ClMatching.TILED_FILE, ClMatching::tiledDefines),
            Map.entry(ClReductions.FILE, ClReductions::defines),
            Map.entry(ClCombination.FILE, ClCombination::defines),
            Map.entry(ClHistogram.FILE, ClHistogram::defines),
            Map.entry(DevicePeak.FILE, DevicePeak::defines),
            Map.entry(ClElementwise.FILE, t -> Map.of()),
            Map.entry(ClGather.FILE, t -> Map.of()),
            Map.entry(ClPooling.FILE, t -> Map.of()),
            Map.entry(ClPostProcess.FILE, t -> ClPostProcess.DEFINES));

    private static final Pattern IFNDEF = Pattern.compile("^#ifndef\\s+(\\w+)\\s*$", Pattern.MULTILINE);
    private static final Pattern DEFAULT =
            Pattern.compile("^#ifndef\\s+(\\w+)\\s*\\n#define\\s+(\\w+)\\s+(\\S+)\\s*\\n#endif\\s*$", Pattern.MULTILINE);

    @Test
    void everyKernelFileHasAHostClass() throws IOException {
        Assertions.assertEquals(new TreeSet<>(HOSTS.keySet()), kernelFiles(),
                "kernel files of module kernels vs the files this test knows the host class of");
    }

    @Test
    void ifndefDefaultsEqualTheJavaValues() {
        for (var host : HOSTS.entrySet()) {
            String file = host.getKey();
            // The CPU tuning's value where both tunings pass a constant.
            Map<String, Integer> expected = new TreeMap<>(host.getValue().apply(Tuning.GPU));
            expected.putAll(host.getValue().apply(Tuning.CPU));
            Assertions.assertEquals(expected, defaults(KernelLibrary.source(file)), file + ": #ifndef defaults vs Java");
        }
    }

    @Test
    void defaultsAreParsed() {
        String src = "#ifndef A\n#define A 16\n#endif\n#define B 2\n#ifndef C\n#define C 3\n#endif\n";
        Assertions.assertEquals(Map.of("A", 16, "C", 3), defaults(src));
        Assertions.assertThrows(AssertionError.class, () -> defaults("#ifndef A\n#define B 1\n#endif\n"));
        Assertions.assertThrows(AssertionError.class, () -> defaults("#ifndef A\n#endif\n"));
    }

    @Test
    void everyKernelFileCompilesOnItsOwn() throws IOException {
        OpenClDevice cl = TestDevices.openCl();
        for (String file : kernelFiles()) {
            cl.compile(file, "");
        }
    }

    /**
     * A source's {@code #ifndef NAME / #define NAME value / #endif} defaults; fails on an
     * {@code #ifndef} of any other shape.
     */
    static Map<String, Integer> defaults(String source) {
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = DEFAULT.matcher(source);
        while (m.find()) {
            Assertions.assertEquals(m.group(1), m.group(2), "#ifndef " + m.group(1) + " defines " + m.group(2));
            out.put(m.group(1), Integer.parseInt(m.group(3)));
        }
        Matcher any = IFNDEF.matcher(source);
        int count = 0;
        while (any.find()) {
            count++;
        }
        Assertions.assertEquals(count, out.size(), "every #ifndef is a default of one #define");
        return out;
    }

    /** The names of the .cl files in module kernels (a folder or a jar on the class path). */
    static TreeSet<String> kernelFiles() throws IOException {
        URL one = KernelLibrary.class.getResource(KernelLibrary.RESOURCE_DIR + ClElementwise.FILE);
        Assertions.assertNotNull(one, "module kernels on the class path");
        try {
            URI uri = one.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, new HashMap<>())) {
                    return list(jar.getPath(KernelLibrary.RESOURCE_DIR));
                }
            }
            return list(Path.of(uri).getParent());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static TreeSet<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cl"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
