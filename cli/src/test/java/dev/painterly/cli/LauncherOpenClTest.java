package dev.painterly.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's OpenCL set-up (cli/src/main/shell/opencl-runtime.sh), run by bash on a PATH of
 * fakes: ldconfig, apt-get (which records its calls and, on install, adds an ICD file), sudo and id.
 */
@EnabledOnOs(OS.LINUX)
class LauncherOpenClTest {

    private static final Path SCRIPT = Path.of("src/main/shell/opencl-runtime.sh").toAbsolutePath();

    @TempDir
    Path dir;

    Path bin;
    Path vendors;
    Path calls;

    private record Result(int code, String err, List<String> calls) {
    }

    @BeforeEach
    void fakes() throws IOException {
        bin = Files.createDirectory(dir.resolve("bin"));
        vendors = Files.createDirectory(dir.resolve("vendors"));
        calls = dir.resolve("calls");
        Files.createFile(calls);
        for (String tool : List.of("bash", "grep", "ls", "mktemp", "rm", "env", "tr", "uname", "cat", "touch", "true")) {
            for (String folder : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(folder, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
        script("ldconfig", "if [ -e \"$FAKE_VENDORS/pocl.icd\" ]; then echo '\tlibOpenCL.so.1 (libc6,x86-64) => /x/libOpenCL.so.1'; fi");
        script("id", "echo \"$FAKE_UID\"");
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!" + bin.resolve("bash") + "\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** apt-get that records each call; install fails until an update ran when {@code needsUpdate}. */
    private void aptGet(boolean needsUpdate) throws IOException {
        script("apt-get", "echo \"apt-get $*\" >> \"$FAKE_CALLS\"\n"
                + "case \"$*\" in\n"
                + "  *update*) touch \"$FAKE_VENDORS/.lists\" ;;\n"
                + "  *install*) " + (needsUpdate ? "[ -e \"$FAKE_VENDORS/.lists\" ] || exit 100; " : "")
                + "touch \"$FAKE_VENDORS/pocl.icd\" ;;\n"
                + "esac");
    }

    /** sudo that works without a password only when {@code passwordless}. */
    private void sudo(boolean passwordless) throws IOException {
        script("sudo", "[ \"$1\" = -n ] && shift\n"
                + (passwordless ? "" : "exit 1\n")
                + "echo \"sudo $*\" >> \"$FAKE_CALLS\"\n"
                + "[ \"$1\" = true ] && exit 0\n"
                + "\"$@\"");
    }

    private Result launch(int uid, String... args) throws IOException, InterruptedException {
        String call = "set -euo pipefail; . " + SCRIPT + "; "
                + "if painterly_needs_opencl \"$@\" && ! painterly_opencl_present; then painterly_install_opencl || true; fi; "
                + "painterly_opencl_present";
        List<String> command = new ArrayList<>(List.of(bin.resolve("bash").toString(), "-c", call, "painterly"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.of("PATH", bin.toString(), "OCL_ICD_VENDORS", vendors.toString(), "FAKE_VENDORS", vendors.toString(),
                "FAKE_CALLS", calls.toString(), "FAKE_UID", String.valueOf(uid), "TMPDIR", dir.toString()));
        pb.redirectErrorStream(false).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), Files.readString(dir.resolve("err")), Files.readAllLines(calls));
    }

    private static final String INSTALL = "apt-get install -y -q ocl-icd-libopencl1 pocl-opencl-icd";
    private static final String NOTICE =
            "painterly: no OpenCL runtime found: installing one (apt-get install -y ocl-icd-libopencl1 pocl-opencl-icd)...\n";

    @Test
    void asRootItInstallsAfterOneLine() throws Exception {
        aptGet(false);
        Result r = launch(0, "demo");
        assertEquals(NOTICE, r.err());
        assertEquals(List.of(INSTALL), r.calls());
        assertEquals(0, r.code(), "present afterwards");
    }

    @Test
    void emptyPackageListsAreUpdatedFirst() throws Exception {
        aptGet(true);
        Result r = launch(0, "harmonize", "--painting", "p.jpg");
        assertEquals(NOTICE, r.err());
        assertEquals(List.of(INSTALL, "apt-get update -q", INSTALL), r.calls());
        assertEquals(0, r.code());
    }

    @Test
    void withPasswordlessSudoItInstallsThroughSudo() throws Exception {
        aptGet(false);
        sudo(true);
        Result r = launch(1000, "batch", "examples/");
        assertEquals(NOTICE, r.err());
        assertEquals(List.of("sudo true", "sudo env DEBIAN_FRONTEND=noninteractive " + INSTALL, INSTALL), r.calls());
        assertEquals(0, r.code());
    }

    @Test
    void whereItCannotInstallItLeavesTheAdviceToTheTool() throws Exception {
        aptGet(false);
        sudo(false);
        Result r = launch(1000, "demo");
        assertEquals("", r.err());
        assertEquals(List.of(), r.calls());
        assertEquals(1, r.code(), "still absent: the tool gives the one-line advice");
    }

    @Test
    void withoutAptGetNothingIsTried() throws Exception {
        Result r = launch(0, "demo");
        assertEquals("", r.err());
        assertEquals(1, r.code());
    }

    @Test
    void aFailedInstallNamesItsLog() throws Exception {
        script("apt-get", "echo 'E: no space left' >&2; exit 100");
        Result r = launch(0, "demo");
        assertTrue(r.err().startsWith(NOTICE + "painterly: installing the OpenCL runtime failed (apt-get's output is in " + dir),
                r.err());
    }

    @Test
    void onlyCommandsThatNeedADeviceInstall() throws Exception {
        aptGet(false);
        for (List<String> args : List.of(List.of("--help"), List.of("devices"), List.of("convert-weights", "a", "b"),
                List.of("style-level", "p.jpg"), List.of("harmonize", "--help"), List.of("demo", "--device", "java"),
                List.of("demo", "--device=JAVA"))) {
            Result r = launch(0, args.toArray(String[]::new));
            assertEquals("", r.err(), args::toString);
        }
        assertEquals(List.of(), Files.readAllLines(calls));
    }

    @Test
    void nothingHappensWhereOpenClIsPresent() throws Exception {
        aptGet(false);
        Files.createFile(vendors.resolve("pocl.icd"));
        Result r = launch(0, "demo");
        assertEquals("", r.err());
        assertEquals(List.of(), r.calls());
        assertEquals(0, r.code());
    }
}
