package dev.painterly.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The install command for the system, from its os-release or else from the package manager on the PATH. */
class OpenClInstallTest {

    /** Advice for a user who is not root, on a PATH with sudo and the programs given. */
    private static String advice(String osRelease, String... onPath) {
        Set<String> programs = new java.util.HashSet<>(Set.of(onPath));
        programs.add("sudo");
        return OpenClInstall.advice(osRelease, programs::contains, false);
    }

    @Test
    void debianAndUbuntuUseApt() {
        String apt = "install an OpenCL runtime with 'sudo apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (or your GPU vendor's OpenCL driver)";
        assertEquals(apt, advice("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n"));
        assertEquals(apt, advice("NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"));
    }

    @Test
    void fedoraLikeUseDnfAndArchUsesPacman() {
        assertEquals("install an OpenCL runtime with 'sudo dnf install ocl-icd pocl' (or your GPU vendor's OpenCL driver)",
                advice("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"));
        assertEquals("install an OpenCL runtime with 'sudo pacman -S ocl-icd pocl' (or your GPU vendor's OpenCL driver)",
                advice("ID=arch\n"));
    }

    @Test
    void rootNeedsNoSudo() {
        assertEquals("install an OpenCL runtime with 'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (or your GPU vendor's OpenCL driver)",
                OpenClInstall.advice("ID=ubuntu\n", p -> false, true));
    }

    @Test
    void withoutSudoItSaysAsRoot() {
        assertEquals("install an OpenCL runtime as root with 'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (or your GPU vendor's OpenCL driver)",
                OpenClInstall.advice("ID=debian\n", p -> false, false));
    }

    @Test
    void withoutOsReleaseThePackageManagerOnThePathDecides() {
        assertEquals("install an OpenCL runtime with 'brew install pocl' (or your GPU vendor's OpenCL driver)", advice("", "brew"));
        assertEquals("install an OpenCL runtime with 'sudo dnf install ocl-icd pocl' (or your GPU vendor's OpenCL driver)",
                advice("ID=somethingelse\n", "dnf", "brew"));
    }

    @Test
    void noKnownPackageManagerMeansTheVendorsDriver() {
        assertEquals("install your GPU vendor's OpenCL driver", advice("ID=gentoo\n", "emerge"));
    }
}
