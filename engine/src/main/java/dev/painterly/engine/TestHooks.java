package dev.painterly.engine;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Every system property that exists for tests, benchmarks or tuning rather than for the job: the
 * one place that names and reads them (each is listed in the README). Unset, none changes what
 * painterly does. They let a test reach a rare path (a device without OpenCL, a full device, a
 * numerically broken objective) on any machine, and a benchmark compare what the job would
 * otherwise choose for itself. Settings meant for users ({@code painterly.dataHome},
 * {@code PAINTERLY_DEVICE}, {@code PAINTERLY_WEIGHTS}) are no hooks and stay where they are used.
 *
 * <p>Each is read when used, not once at start-up, so a test may set and clear it in-process;
 * the one exception is {@link #PROFILE}, read once, as it is checked around every kernel launch.
 */
public final class TestHooks {

    /**
     * {@code =true}: the machine looks as if it had no OpenCL (no device listed, JOCL never
     * loaded), so the no-OpenCL messages can be seen and tested without uninstalling a driver.
     */
    public static final String HIDE_OPENCL = "painterly.hideOpenCl";

    /**
     * {@code =N} (MiB): an allocation that would take a device's live tensors past N fails as on a
     * full device, so the out-of-memory path can be reached on any machine (it also keeps
     * painterly to a share of a GPU used by others).
     */
    public static final String DEVICE_MEMORY_LIMIT_MIB = "painterly.deviceMemoryLimitMiB";

    /**
     * {@code =N}: the N-th and every later evaluation of each L-BFGS run yields NaN, loss and
     * gradient, as a numerically broken objective would, to reach the NaN guards through the real
     * optimiser.
     */
    public static final String NAN_AT_EVALUATION = "painterly.test.nanAtEvaluation";

    /**
     * {@code =fused|winograd|direct}: every OpenCL convolution takes that path instead of the one
     * the device would choose, so that benchmarks can compare the paths.
     */
    public static final String CONVOLUTION = "painterly.conv";

    /** {@code =G}: replaces the built-in network's global gain, to tune it without a rebuild. */
    public static final String BUILTIN_GAIN = "painterly.builtinGain";

    /** {@code =D}: replaces the built-in network's deep gain, to tune it without a rebuild. */
    public static final String BUILTIN_DEEP_GAIN = "painterly.builtinDeepGain";

    /**
     * {@code =true}: every OpenCL launch is waited for and timed per kernel, totals printed to
     * stderr at exit, to find where time goes (waiting serialises the queue, so never in a job).
     */
    public static final String PROFILE = "painterly.profile";

    private static final boolean PROFILING = Boolean.getBoolean(PROFILE);

    private TestHooks() {
    }

    /** Whether {@link #HIDE_OPENCL} is set. */
    public static boolean hideOpenCl() {
        return Boolean.getBoolean(HIDE_OPENCL);
    }

    /** {@link #DEVICE_MEMORY_LIMIT_MIB}, if set. */
    public static OptionalLong deviceMemoryLimitMiB() {
        String v = value(DEVICE_MEMORY_LIMIT_MIB);
        return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }

    /** {@link #NAN_AT_EVALUATION}, if set. */
    public static OptionalInt nanAtEvaluation() {
        String v = value(NAN_AT_EVALUATION);
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    /** {@link #CONVOLUTION}'s path name, or "" when unset. */
    public static String convolution() {
        String v = value(CONVOLUTION);
        return v == null ? "" : v;
    }

    /** {@link #BUILTIN_GAIN}, if set. */
    public static OptionalDouble builtinGain() {
        return decimal(BUILTIN_GAIN);
    }

    /** {@link #BUILTIN_DEEP_GAIN}, if set. */
    public static OptionalDouble builtinDeepGain() {
        return decimal(BUILTIN_DEEP_GAIN);
    }

    /** Whether {@link #PROFILE} was set when painterly started. */
    public static boolean profile() {
        return PROFILING;
    }

    private static OptionalDouble decimal(String name) {
        String v = value(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(Float.parseFloat(v));
    }

    /** The property's trimmed value, or null when unset or blank. */
    private static String value(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
