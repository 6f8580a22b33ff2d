package dev.painterly.cli;

import dev.painterly.engine.vgg.WeightsLocator;
import dev.painterly.weights.download.WeightsDownloader;
import dev.painterly.weights.download.WeightsSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code painterly weights download}: fetches the ImageNet VGG-19 and installs it where every
 * command looks for it, converting while it downloads (see {@link WeightsDownloader}).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download the ImageNet VGG-19 weights (575 MB) and install them in painterly's format, "
                + "where every command finds them (default: $XDG_DATA_HOME/painterly/vgg19.safetensors).",
                "The file is converted as it arrives and checked (size, SHA-256) before anything is installed; "
                        + "an interrupted download starts over when run again."})
final class WeightsDownloadCommand implements Callable<Integer> {

    /** The official files, by --from. */
    enum Origin {
        torchvision(WeightsSource.TORCHVISION), caffe(WeightsSource.CAFFE);

        final WeightsSource source;

        Origin(WeightsSource source) {
            this.source = source;
        }
    }

    /** Where from: an official file, or any URL with its digest. */
    static final class From {
        @Option(names = "--from", paramLabel = "SOURCE",
                description = "torchvision (vgg19-dcbb9e9d.pth from download.pytorch.org, the default) or caffe "
                        + "(VGG_ILSVRC_19_layers.caffemodel from the VGG authors, the paper's)")
        Origin origin;

        @ArgGroup(exclusive = false)
        Mirror mirror;
    }

    /** A mirror, trusted through the full digest. */
    static final class Mirror {
        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "download from URL instead (a mirror); needs --sha256")
        URI url;

        @Option(names = "--sha256", required = true, paramLabel = "HEX", description = "the SHA-256 of the file at --url, 64 hex digits")
        String sha256;
    }

    @ArgGroup(exclusive = true)
    From from;

    @Option(names = "--to", paramLabel = "FILE", description = "install the weights here instead (default: ${DEFAULT-VALUE})")
    Path to = WeightsLocator.userFile();

    @Option(names = "--keep", paramLabel = "FILE", description = "also keep the downloaded file (575 MB) as FILE")
    Path keep;

    @Option(names = "--overwrite", description = "replace existing weights (and --keep FILE)")
    boolean overwrite;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** How long the server may stay silent; tests shorten it. */
    @Option(names = "--timeout-ms", hidden = true, defaultValue = "30000")
    long timeoutMillis;

    @Override
    public Integer call() throws Exception {
        WeightsSource source = source();
        DownloadProgressBar progress = new DownloadProgressBar(System.out, System.console() != null, System::nanoTime);
        System.out.println("downloading " + source.uri() + (source.size() > 0 ? " (" + Math.round(source.size() / 1e6) + " MB)" : ""));
        // Ctrl-C ends the JVM without unwinding this thread; the temporary files go with deleteOnExit.
        Thread interrupted = new Thread(() -> {
            progress.clear();
            System.err.println("painterly: download interrupted; nothing was installed (run the command again: it starts over)");
        }, "painterly-download-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupted);
        WeightsDownloader.Installed installed;
        try {
            installed = new WeightsDownloader(Duration.ofMillis(timeoutMillis), progress).download(source, to, overwrite, keep);
        } finally {
            progress.clear();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shutdownInProgress) {
                // Ctrl-C came as the download ended; the hook says so.
            }
        }
        System.out.println("installed " + installed.target() + " (" + installed.format().id() + ", SHA-256 " + installed.sha256()
                + (keep != null ? "; kept the download as " + keep : "") + ")");
        return 0;
    }

    private WeightsSource source() {
        if (from != null && from.mirror != null) {
            return WeightsSource.mirror(from.mirror.url, from.mirror.sha256);
        }
        return from != null && from.origin != null ? from.origin.source : WeightsSource.TORCHVISION;
    }
}
