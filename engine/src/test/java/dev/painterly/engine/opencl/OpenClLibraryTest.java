package dev.painterly.engine.opencl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The OpenCL library is looked for where the dynamic loader looks, and a file that is no library is passed over quietly. */
class OpenClLibraryTest {

    @TempDir
    Path dir;

    private Path file(String path) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not a library");
    }

    @Test
    void inTheDynamicLoadersOrderExistingFilesOnly() throws IOException {
        Path env = file("env/libOpenCL.so");
        Path cached = file("cached/libOpenCL.so.1");
        Path standard = file("lib/libOpenCL.so.1");
        file("lib/libOpenCL.so.2");
        byte[] cache = ("glibc-ld.so.cache1.1\0libOpenCL.so.1\0" + cached + "\0libm.so.6\0/lib/libm.so.6\0" + dir.resolve("gone/libOpenCL.so.1")
                + "\0").getBytes(StandardCharsets.ISO_8859_1);
        List<Path> found = OpenClLibrary.candidates(dir.resolve("empty") + "::" + dir.resolve("env"), cache,
                List.of(dir.resolve("lib"), dir.resolve("cached")));
        assertEquals(List.of(env, cached, standard), found);
    }

    @Test
    void nothingFoundWithoutTheLibrary() {
        assertEquals(List.of(), OpenClLibrary.candidates(null, new byte[0], List.of(dir)));
    }

    @Test
    void aFileThatIsNoLibraryDoesNotLoad() throws IOException {
        assertFalse(OpenClLibrary.loadFirst(List.of(file("bad/libOpenCL.so.1"))));
    }
}
