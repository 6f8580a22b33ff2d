package dev.painterly.engine.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the OpenCL library (the ICD loader, libOpenCL.so.1) before JOCL is touched, so that JOCL's
 * own loader never fails: when it does, its native code prints "Could not load libOpenCL.so.1,
 * error ..." straight to the process's stdout, where Java cannot catch it. On Linux the library is
 * looked for where the dynamic loader looks (LD_LIBRARY_PATH, the paths /etc/ld.so.cache lists,
 * then the default folders) and loaded by absolute path; once it is loaded, JOCL's
 * {@code dlopen("libOpenCL.so.1")} finds it by its soname. When it cannot be found or loaded,
 * OpenCL counts as absent and JOCL is left alone. Elsewhere (macOS, Windows) the system provides
 * the library where JOCL looks.
 */
final class OpenClLibrary {

    static final List<String> NAMES = List.of("libOpenCL.so.1", "libOpenCL.so");
    private static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");
    private static final List<Path> DEFAULT_DIRS = List.of(Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));

    /** JOCL reports its library search through java.util.logging too; kept referenced so the level sticks. */
    private static final Logger JOCL_LOG = Logger.getLogger("org.jocl");

    private static Boolean loaded;

    private OpenClLibrary() {
    }

    /** Whether JOCL may be used: the OpenCL library is loaded, or (not Linux) left to JOCL to find. */
    static synchronized boolean load() {
        if (loaded == null) {
            JOCL_LOG.setLevel(Level.OFF);
            loaded = !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                    || loadFirst(candidates(System.getenv("LD_LIBRARY_PATH"), ldSoCache(), DEFAULT_DIRS));
        }
        return loaded;
    }

    /**
     * Where the dynamic loader would look for the library, in its order: each LD_LIBRARY_PATH
     * folder, the paths the cache lists, the default folders; only files that exist.
     */
    static List<Path> candidates(String ldLibraryPath, byte[] ldSoCache, List<Path> defaultDirs) {
        List<Path> out = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String dir : ldLibraryPath.split(":")) {
                if (!dir.isEmpty()) {
                    inFolder(Path.of(dir), out);
                }
            }
        }
        // The cache's string table holds each library's full path, NUL-terminated.
        for (String s : new String(ldSoCache, StandardCharsets.ISO_8859_1).split("\0")) {
            for (String name : NAMES) {
                if (s.startsWith("/") && s.endsWith("/" + name)) {
                    add(Path.of(s), out);
                }
            }
        }
        for (Path dir : defaultDirs) {
            inFolder(dir, out);
        }
        return out;
    }

    private static void inFolder(Path dir, List<Path> out) {
        for (String name : NAMES) {
            add(dir.resolve(name), out);
        }
    }

    private static void add(Path p, List<Path> out) {
        if (Files.isRegularFile(p) && !out.contains(p)) {
            out.add(p);
        }
    }

    /** Loads the first candidate that loads (one of another architecture does not). */
    static boolean loadFirst(List<Path> candidates) {
        for (Path p : candidates) {
            if (!isElf(p)) {
                // The JVM warns about the stack guard of any file it is asked to load that lacks
                // the ELF header saying so, an empty or truncated one included.
                continue;
            }
            try {
                System.load(p.toAbsolutePath().toString());
                return true;
            } catch (UnsatisfiedLinkError wrongOrBroken) {
                // try the next one, as the dynamic loader would
            }
        }
        return false;
    }

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return Arrays.equals(in.readNBytes(4), new byte[] {0x7f, 'E', 'L', 'F'});
        } catch (IOException | SecurityException unreadable) {
            return false;
        }
    }

    private static byte[] ldSoCache() {
        try {
            return Files.readAllBytes(LD_SO_CACHE);
        } catch (IOException | SecurityException unreadable) {
            return new byte[0];
        }
    }
}
