package dev.painterly.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * How to install an OpenCL runtime on this system, for the message shown when no OpenCL device is
 * found: the ICD loader and PoCL (which exposes the CPU as an OpenCL device) from the system's
 * package manager, found from /etc/os-release (ID, then ID_LIKE), else from which package
 * manager is on the PATH; where there is none we know, the GPU vendor's driver.
 */
final class OpenClInstall {

    static final String VENDOR_DRIVER = "install your GPU vendor's OpenCL driver";

    /** A package manager and the command that installs the runtime with it. */
    enum PackageManager {
        APT("apt-get", "apt-get install ocl-icd-libopencl1 pocl-opencl-icd", List.of("debian", "ubuntu")),
        DNF("dnf", "dnf install ocl-icd pocl", List.of("fedora", "rhel", "centos")),
        PACMAN("pacman", "pacman -S ocl-icd pocl", List.of("arch")),
        BREW("brew", "brew install pocl", List.of());

        final String program;
        final String install;
        final List<String> distributions;

        PackageManager(String program, String install, List<String> distributions) {
            this.program = program;
            this.install = install;
            this.distributions = distributions;
        }
    }

    private OpenClInstall() {
    }

    /** The advice for this machine. */
    static String advice() {
        String osRelease;
        try {
            osRelease = Files.readString(Path.of("/etc/os-release"));
        } catch (IOException | SecurityException none) {
            osRelease = "";
        }
        return advice(osRelease, OpenClInstall::onPath, "root".equals(System.getProperty("user.name")));
    }

    /**
     * "install an OpenCL runtime with 'sudo apt-get install ...'", or the vendor's driver where no package
     * manager is known. A system package manager needs root: no prefix for root, sudo where it is
     * on the PATH, else "as root".
     */
    static String advice(String osRelease, Predicate<String> onPath, boolean root) {
        PackageManager pm = fromOsRelease(osRelease);
        if (pm == null) {
            pm = java.util.Arrays.stream(PackageManager.values()).filter(m -> onPath.test(m.program)).findFirst().orElse(null);
        }
        if (pm == null) {
            return VENDOR_DRIVER;
        }
        boolean asUser = root || pm == PackageManager.BREW;
        String who = asUser || onPath.test("sudo") ? "" : " as root";
        String sudo = asUser || !onPath.test("sudo") ? "" : "sudo ";
        return "install an OpenCL runtime" + who + " with '" + sudo + pm.install + "' (or your GPU vendor's OpenCL driver)";
    }

    /** The package manager of the distribution os-release names (ID first, then each ID_LIKE), or null. */
    static PackageManager fromOsRelease(String osRelease) {
        StringBuilder ids = new StringBuilder();
        for (String key : List.of("ID", "ID_LIKE")) {
            for (String line : osRelease.lines().toList()) {
                if (line.startsWith(key + "=")) {
                    ids.append(' ').append(line.substring(key.length() + 1).replace("\"", "").replace("'", ""));
                }
            }
        }
        for (String id : ids.toString().trim().toLowerCase(Locale.ROOT).split("\\s+")) {
            for (PackageManager pm : PackageManager.values()) {
                if (pm.distributions.contains(id)) {
                    return pm;
                }
            }
        }
        return null;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
