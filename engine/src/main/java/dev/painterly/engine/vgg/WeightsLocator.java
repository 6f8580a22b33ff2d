package dev.painterly.engine.vgg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the VGG-19 weights: {@code --weights FILE}, else the environment variable
 * {@code PAINTERLY_WEIGHTS}, else the per-user file {@code $XDG_DATA_HOME/painterly/vgg19.safetensors}
 * (default {@code ~/.local/share/painterly/vgg19.safetensors}). When none is found the built-in
 * network ({@link BuiltinVgg19}) is used and {@link #BUILTIN_NOTICE} is printed.
 */
public final class WeightsLocator {

    public static final String ENVIRONMENT_VARIABLE = "PAINTERLY_WEIGHTS";

    public static final String BUILTIN_NOTICE = "painterly: no VGG-19 weights found, using the built-in network "
            + "(untrained, calibrated on each job's painting and composite; expect the object recoloured and textured, "
            + "not repainted): results will not reach the paper's quality without ImageNet weights; run "
            + "'painterly weights download' once (a 575 MB download) to install them";

    /** Replaces $XDG_DATA_HOME, for tests, which cannot set environment variables in-process. */
    public static final String DATA_HOME_PROPERTY = "painterly.dataHome";

    private WeightsLocator() {
    }

    /** The per-user location. */
    public static Path userFile() {
        String xdg = System.getProperty(DATA_HOME_PROPERTY, System.getenv("XDG_DATA_HOME"));
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("painterly").resolve("vgg19.safetensors");
    }

    /** The file in effect, if any: explicit, else environment, else the per-user file if it exists. */
    public static Optional<Path> locate(Path explicit) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env.trim()));
        }
        Path user = userFile();
        return Files.isRegularFile(user) ? Optional.of(user) : Optional.empty();
    }

    /**
     * Loads the weights in effect; with none found, empty (the built-in network, calibrated per
     * job), after calling {@code notice} with {@link #BUILTIN_NOTICE}. An explicit or environment
     * file that is missing or corrupt is an IOException, never a silent fallback.
     */
    public static Optional<Vgg19Weights> load(Path explicit, java.util.function.Consumer<String> notice) throws IOException {
        Optional<Path> file = locate(explicit);
        if (file.isPresent()) {
            Path p = file.get();
            if (!Files.isRegularFile(p)) {
                throw new IOException("weights file " + p + " does not exist (convert Caffe or PyTorch VGG-19 weights with "
                        + "'painterly convert-weights')");
            }
            try {
                return Optional.of(Vgg19WeightsFile.read(p));
            } catch (IOException | RuntimeException e) {
                throw new IOException(p + " is not usable VGG-19 weights (" + e.getMessage() + "): convert Caffe or PyTorch "
                        + "VGG-19 weights with 'painterly convert-weights', or leave --weights out to use the built-in network", e);
            }
        }
        notice.accept(BUILTIN_NOTICE);
        return Optional.empty();
    }
}
