package dev.painterly.engine.opencl;

import dev.painterly.engine.DeviceException;

import java.util.Locale;

/**
 * Which tuning constants and kernel variants the OpenCL host classes pick for a device: the
 * {@link #CPU} tuning gives each work-item float16 vectors of work, in work-groups of one or a few
 * (PoCL runs a group as a loop on one core), and treats local memory as a cache; the {@link #GPU}
 * tuning gives many small work-items in groups of 64 to 256 and tiles through local memory.
 *
 * <p>Chosen by {@link #of}: {@code PAINTERLY_TUNING=cpu|gpu} when set; else from the device's type
 * and limits. A device that is a CPU and nothing else gets the CPU tuning; one that counts itself
 * a GPU (alone or among other types, as a simulator does) the GPU tuning; any other
 * (an accelerator) the GPU tuning where its local memory is a scratchpad of at most
 * {@link #SCRATCHPAD_BYTES}, as on GPUs, else the CPU tuning. Either way each host class still
 * checks the variant it picks against the device's limits (work-group size, local memory) and
 * falls back to one that fits.
 */
public enum Tuning {
    CPU, GPU;

    /** The environment variable that overrides the choice: {@code cpu} or {@code gpu}. */
    public static final String ENVIRONMENT_VARIABLE = "PAINTERLY_TUNING";

    /** The most local memory of a GPU-like scratchpad (GPUs report 32 to 64 KiB; PoCL's CPU megabytes). */
    static final long SCRATCHPAD_BYTES = 64 * 1024;

    /**
     * The tuning for a device of the given type (as {@code DeviceInfo.type()}: "CPU", "GPU",
     * "GPU+CPU+ACCELERATOR", ...) and local memory, or the override when it is non-blank.
     *
     * @throws DeviceException when the override is neither cpu nor gpu
     */
    static Tuning of(String override, String type, long localMemoryBytes) {
        if (override != null && !override.isBlank()) {
            return switch (override.trim().toLowerCase(Locale.ROOT)) {
                case "cpu" -> CPU;
                case "gpu" -> GPU;
                default -> throw new DeviceException(ENVIRONMENT_VARIABLE + " must be cpu or gpu, not '" + override.trim()
                        + "' (unset it to choose from the device)");
            };
        }
        if (type.equals("CPU")) {
            return CPU;
        }
        if (type.contains("GPU")) {
            return GPU;
        }
        return localMemoryBytes <= SCRATCHPAD_BYTES ? GPU : CPU;
    }

    /** The tuning of a device, with the environment's override. */
    static Tuning of(String type, long localMemoryBytes) {
        return of(System.getenv(ENVIRONMENT_VARIABLE), type, localMemoryBytes);
    }
}
