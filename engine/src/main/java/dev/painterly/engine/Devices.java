package dev.painterly.engine;

import dev.painterly.engine.opencl.OpenClDevice;
import dev.painterly.engine.opencl.OpenClPlatforms;
import dev.painterly.engine.reference.JavaDevice;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds and opens devices. Default: the first GPU, else the first CPU device, else the first
 * OpenCL device of any type. A selector is an index from {@link #list()}, a case-insensitive
 * substring of "platform / device name", or {@code java} for the reference backend. The
 * selector comes from {@code --device}, else the environment variable {@code PAINTERLY_DEVICE}.
 */
public final class Devices {

    public static final String ENVIRONMENT_VARIABLE = "PAINTERLY_DEVICE";
    public static final String JAVA = "java";

    private Devices() {
    }

    /** Every OpenCL device of every platform, in a stable order; empty when OpenCL is missing. */
    public static List<DeviceInfo> list() {
        return OpenClPlatforms.devices();
    }

    /** The device used when the user names none, if any OpenCL device exists. */
    public static Optional<DeviceInfo> defaultDevice() {
        List<DeviceInfo> all = list();
        return all.stream().filter(DeviceInfo::isGpu).findFirst()
                .or(() -> all.stream().filter(DeviceInfo::isCpu).findFirst())
                .or(() -> all.stream().findFirst());
    }

    /** The selector in effect: the explicit one, else the environment's, else null (default). */
    public static String effectiveSelector(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        return env == null || env.isBlank() ? null : env.trim();
    }

    /** Resolves a selector (null for the default) to an OpenCL device, or throws with advice. */
    public static DeviceInfo resolve(String selector) {
        List<DeviceInfo> all = list();
        if (all.isEmpty()) {
            throw new NoOpenClDeviceException("no OpenCL device found: install an OpenCL driver "
                    + "(on Debian/Ubuntu: apt-get install ocl-icd-libopencl1 pocl-opencl-icd), "
                    + "or run with --device java (the slow reference backend)");
        }
        if (selector == null) {
            return defaultDevice().orElseThrow();
        }
        if (selector.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(selector);
            if (i < all.size()) {
                return all.get(i);
            }
            throw unknown(selector, all);
        }
        String needle = selector.toLowerCase(Locale.ROOT);
        return all.stream()
                .filter(d -> d.label().toLowerCase(Locale.ROOT).contains(needle))
                .findFirst()
                .orElseThrow(() -> unknown(selector, all));
    }

    private static DeviceException unknown(String selector, List<DeviceInfo> all) {
        StringBuilder names = new StringBuilder();
        for (DeviceInfo d : all) {
            names.append(names.length() == 0 ? "" : ", ").append(d.index()).append(": ").append(d.name());
        }
        return new DeviceException("unknown device '" + selector + "': choose one of " + names
                + " or java (run 'painterly devices' to list them)");
    }

    /** Opens the device a selector names (null: the environment's, else the default). */
    public static Device open(String explicitSelector) {
        String selector = effectiveSelector(explicitSelector);
        if (selector != null && selector.equalsIgnoreCase(JAVA)) {
            return JavaDevice.float32();
        }
        return OpenClDevice.open(resolve(selector));
    }
}
