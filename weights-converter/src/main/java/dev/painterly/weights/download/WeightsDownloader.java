package dev.painterly.weights.download;

import dev.painterly.engine.vgg.ConvLayer;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import dev.painterly.weights.WeightsConverter;
import dev.painterly.weights.WeightsConverter.SourceFormat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Downloads VGG-19 weights and installs them in our format, converting while the bytes stream in:
 * the readers keep the convolutions and skip the rest, the SHA-256 is computed on the way, and
 * the source file is never stored (unless asked to keep it). The converted weights go to a
 * temporary file beside the target, which is moved into place only once the whole file has
 * arrived with the right size and digest; on any failure, or Ctrl-C, the temporary files are
 * deleted and nothing is installed.
 *
 * <p>An interrupted download starts over rather than resuming: resuming would need the readers'
 * state and the digest's from the earlier run, and the bytes they came from are exactly what this
 * class avoids storing.
 */
public final class WeightsDownloader {

    /** Bounds the readers' length checks when neither the source nor the server gives a size (protobuf's limit). */
    private static final long UNKNOWN_SIZE_BOUND = Integer.MAX_VALUE;

    private final HttpClient client;
    private final Duration timeout;
    private final DownloadProgress progress;

    /**
     * @param timeout how long to wait for a connection, for the response, and for each next byte
     *                of the body
     */
    public WeightsDownloader(Duration timeout, DownloadProgress progress) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.timeout = timeout;
        this.progress = progress;
    }

    /** What was installed. */
    public record Installed(Path target, Vgg19Weights weights, SourceFormat format, long bytes, String sha256) {
    }

    /**
     * Downloads {@code source}, converts it and installs the result at {@code target}; with
     * {@code keep}, the downloaded file is installed there too. Every failure is an IOException
     * whose message is one line saying what to do.
     */
    public Installed download(WeightsSource source, Path target, boolean overwrite, Path keep) throws IOException {
        List<Path> createdFolders = new ArrayList<>();
        Path output = null;
        Path kept = null;
        boolean done = false;
        try {
            checkTarget(target, overwrite, "--to", createdFolders);
            if (keep != null) {
                checkTarget(keep, overwrite, "--keep", createdFolders);
            }
            output = temporaryBeside(target, "--to");
            kept = keep == null ? null : temporaryBeside(keep, "--keep");
            HttpResponse<InputStream> response = request(source, target);
            long total = announcedSize(source, response);
            Installed installed;
            try (OutputStream keepOut = kept == null ? null : new BufferedOutputStream(Files.newOutputStream(kept), 1 << 16);
                 StallWatchdog watchdog = new StallWatchdog(timeout, response.body());
                 DownloadStream stream = new DownloadStream(response.body(), total, keepOut, progress, watchdog)) {
                installed = convert(source, stream, total, target, output, keep);
                flush(keepOut, keep);
            }
            install(output, target, overwrite);
            if (kept != null) {
                install(kept, keep, overwrite);
            }
            done = true;
            return installed;
        } finally {
            for (Path temp : new Path[] {output, kept}) {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            }
            if (!done) {
                removeEmpty(createdFolders);
            }
        }
    }

    /** Reads the body through the converter, writes the weights to {@code output}, and checks the whole file. */
    private Installed convert(WeightsSource source, DownloadStream stream, long total, Path target, Path output, Path keep)
            throws IOException {
        Path name = Path.of(source.fileName());
        SourceFormat format = null;
        Vgg19Weights weights = null;
        IOException unreadable = null;
        try {
            InputStream in = new BufferedInputStream(stream, 1 << 16);
            format = WeightsConverter.detect(in, name);
            weights = WeightsConverter.read(in, total >= 0 ? total : UNKNOWN_SIZE_BOUND, name, format);
        } catch (IOException e) {
            unreadable = e;
        }
        checkStream(source, stream, total, keep);
        if (weights != null) {
            // Written now, so that a full disk is known before the rest of the file has come.
            writeWeights(source, format, weights, output, target);
        }
        // Even after the readers failed: a wrong size or digest says more clearly what went wrong.
        try {
            stream.drain();
        } catch (IOException e) {
            checkStream(source, stream, total, keep);
            throw e;
        }
        checkSizeAndDigest(source, stream);
        if (unreadable != null) {
            throw new DownloadException(source.fileName() + " from " + source.uri() + " is not VGG-19 weights ("
                    + unreadable.getMessage() + "): check the URL; nothing was installed", unreadable);
        }
        checkChannels(source, weights);
        return new Installed(target, weights, format, stream.received(), stream.sha256());
    }

    private HttpResponse<InputStream> request(WeightsSource source, Path target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(source.uri()).timeout(timeout).header("User-Agent", "painterly").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted; nothing was installed");
        } catch (HttpConnectTimeoutException e) {
            throw offline(source, target, "no answer within " + seconds(timeout), e);
        } catch (HttpTimeoutException e) {
            throw new DownloadException(host(source.uri()) + " accepted the connection but sent no answer within "
                    + seconds(timeout) + ": try again later; nothing was installed", e);
        } catch (ConnectException e) {
            throw offline(source, target, unresolved(e) ? "unknown host"
                    : e.getMessage() == null ? "no connection: refused or no route" : e.getMessage(), e);
        } catch (IOException e) {
            throw offline(source, target, String.valueOf(e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status != 200) {
            response.body().close();
            String advice = status >= 500 ? "the server has a problem; try again later"
                    : status == 404 || status == 410 ? "the file is not there; check the URL" : "check the URL";
            throw new DownloadException(host(source.uri()) + " answered HTTP " + status + " for " + source.uri() + ": " + advice
                    + "; nothing was installed");
        }
        return response;
    }

    /** The body's size: the server's Content-Length, which must match the source's size when that is known. */
    private static long announcedSize(WeightsSource source, HttpResponse<InputStream> response) throws IOException {
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0 && source.size() >= 0 && announced != source.size()) {
            response.body().close();
            throw new DownloadException(host(source.uri()) + " offers " + announced + " bytes for " + source.fileName()
                    + ", expected " + source.size() + ": it is not the expected file; check the URL; nothing was installed");
        }
        return announced >= 0 ? announced : source.size();
    }

    /** A broken connection or a failed write of the copy to keep, whatever the readers made of it. */
    private void checkStream(WeightsSource source, DownloadStream stream, long total, Path keep) throws DownloadException {
        if (stream.keepFailure() != null) {
            throw diskFull(keep, "--keep", stream.keepFailure());
        }
        IOException failure = stream.transportFailure();
        if (failure == null) {
            return;
        }
        String where = "after " + megabytes(stream.received()) + (total >= 0 ? " of " + megabytes(total) : "");
        if (failure instanceof DownloadStream.StalledException) {
            throw new DownloadException(host(source.uri()) + " stopped sending " + where + " (nothing for " + seconds(timeout)
                    + "): run the command again later; nothing was installed", failure);
        }
        throw new DownloadException("the download of " + source.fileName() + " broke off " + where + " (" + failure.getMessage()
                + "): run the command again (it starts over); nothing was installed", failure);
    }

    private static void checkSizeAndDigest(WeightsSource source, DownloadStream stream) throws DownloadException {
        if (source.size() >= 0 && stream.received() != source.size()) {
            throw new DownloadException(source.fileName() + " from " + host(source.uri()) + " is " + stream.received() + " bytes, expected "
                    + source.size() + ": the download was cut short or is not the expected file; run the command again; "
                    + "nothing was installed");
        }
        String actual = stream.sha256();
        if (!actual.startsWith(source.sha256Prefix())) {
            throw new DownloadException(source.fileName() + " has SHA-256 " + actual + ", expected " + source.sha256Prefix()
                    + (source.sha256Prefix().length() < 64 ? "..." : "") + ": the download is corrupt or not the expected file; "
                    + "run the command again, or check --url and --sha256; nothing was installed");
        }
    }

    /** The official files must hold VGG-19 itself, not merely a network shaped like it. */
    private static void checkChannels(WeightsSource source, Vgg19Weights weights) throws DownloadException {
        if (source.channels() == null) {
            return;
        }
        List<Integer> found = weights.layers().stream().map(ConvLayer::outChannels).toList();
        if (!found.equals(source.channels())) {
            throw new DownloadException(source.fileName() + " holds convolutions with " + found + " output channels, expected VGG-19's "
                    + source.channels() + ": it is not the expected file; check the URL; nothing was installed");
        }
    }

    private static void writeWeights(WeightsSource source, SourceFormat format, Vgg19Weights weights, Path output, Path target)
            throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source_format", format.id());
        metadata.put("source_file", source.fileName());
        metadata.put("source_url", source.uri().toString());
        try {
            Vgg19WeightsFile.write(weights, output, metadata);
        } catch (IOException e) {
            throw diskFull(target, "--to", e);
        }
    }

    private static void flush(OutputStream keepOut, Path keep) throws DownloadException {
        if (keepOut != null) {
            try {
                keepOut.flush();
            } catch (IOException e) {
                throw diskFull(keep, "--keep", e);
            }
        }
    }

    private static DownloadException diskFull(Path file, String option, IOException e) {
        return new DownloadException("cannot write " + file + " (" + e.getMessage() + "): free disk space in "
                + file.toAbsolutePath().getParent() + " or choose another " + option + "; nothing was installed", e);
    }

    /**
     * Fails before anything is downloaded when the file could not be installed afterwards; creates
     * its folder, adding the folders it had to create to {@code created}.
     */
    private static void checkTarget(Path target, boolean overwrite, String option, List<Path> created) throws DownloadException {
        if (Files.isDirectory(target)) {
            throw new DownloadException(target + " is a folder: give " + option + " a file name inside it");
        }
        if (Files.exists(target) && !overwrite) {
            throw new DownloadException(target + " already exists: pass --overwrite to replace it, or choose another " + option);
        }
        Path dir = target.toAbsolutePath().getParent();
        try {
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
                missing.add(p);
            }
            Files.createDirectories(dir);
            created.addAll(missing);
            // Ctrl-C skips the finally that removes them; empty folders go at exit, outermost last.
            for (int i = missing.size() - 1; i >= 0; i--) {
                missing.get(i).toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new DownloadException("cannot create the folder " + dir + " (" + e.getMessage() + "): choose another " + option, e);
        }
        if (!Files.isWritable(dir)) {
            throw new DownloadException("cannot write to the folder " + dir + ": choose another " + option);
        }
    }

    /** Removes the folders a failed download created, deepest first, so that it leaves nothing behind. */
    private static void removeEmpty(List<Path> folders) {
        for (Path folder : folders) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                // Not empty (something else put a file there meanwhile) or not ours to remove: leave it.
            }
        }
    }

    /** A hidden file in the target's folder, so that the final move is a rename; deleted at exit (Ctrl-C) if still there. */
    private static Path temporaryBeside(Path target, String option) throws DownloadException {
        Path absolute = target.toAbsolutePath();
        try {
            Path temp = Files.createFile(absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".part"));
            temp.toFile().deleteOnExit();
            return temp;
        } catch (IOException e) {
            throw new DownloadException("cannot write to the folder " + absolute.getParent() + " (" + e.getMessage()
                    + "): choose another " + option, e);
        }
    }

    private static void install(Path temp, Path target, boolean overwrite) throws DownloadException {
        try {
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // A plain move in one folder is a rename, which fails if the target appeared meanwhile.
                Files.move(temp, target);
            }
        } catch (IOException e) {
            throw new DownloadException("cannot install " + target + " (" + e + "): check that nothing else writes it, "
                    + "and run the command again", e);
        }
    }

    private static DownloadException offline(WeightsSource source, Path target, String why, IOException cause) {
        return new DownloadException("cannot reach " + host(source.uri()) + " (" + why + "): check the network connection, or download "
                + source.uri() + " on another machine and run 'painterly convert-weights " + source.fileName() + " " + target + "'", cause);
    }

    /** Whether a failed connection failed in the name lookup (java.net.http wraps the cause twice). */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? uri.toString() : uri.getHost();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
