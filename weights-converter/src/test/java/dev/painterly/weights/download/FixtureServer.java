package dev.painterly.weights.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A web server on 127.0.0.1 (a free port) that serves the VGG fixtures ({@code /NAME} for
 * {@code src/test/resources/fixtures/vgg/NAME}, or bytes a test gives) well or badly, as a test asks: whole, without a
 * length, cut short, dropping the connection, stalling, or failing. It stands in for
 * download.pytorch.org and the VGG authors' site, which tests cannot reach.
 */
public final class FixtureServer implements AutoCloseable {

    /** How the next responses go. */
    public enum Behaviour {
        /** The file with its Content-Length. */
        WHOLE,
        /** The file in chunks, without a Content-Length. */
        CHUNKED,
        /** Half of the file, announced as half: a complete response of a truncated file. */
        SHORT,
        /** Half of the file, announced whole, then the connection closes. */
        DROP_HALFWAY,
        /** Headers and the first KB, then nothing until the server closes. */
        STALL_IN_BODY,
        /** Nothing at all until the server closes. */
        STALL_BEFORE_HEADERS,
        /** HTTP 500. */
        FAIL
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fixture-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> extra = new ConcurrentHashMap<>();
    private volatile Behaviour behaviour = Behaviour.WHOLE;

    private FixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static FixtureServer start() throws IOException {
        return new FixtureServer();
    }

    public URI uri(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    /** How many requests came. */
    public int requests() {
        return rangeHeaders.size();
    }

    /** The Range header of each request ("" for none). */
    public List<String> rangeHeaders() {
        return List.copyOf(rangeHeaders);
    }

    /** Serves {@code bytes} as {@code /name}, besides the fixtures. */
    public void serve(String name, byte[] bytes) {
        extra.put(name, bytes);
    }

    /** A fixture's bytes. */
    public static byte[] fixture(String name) {
        try (InputStream in = FixtureServer.class.getResourceAsStream("/fixtures/vgg/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        rangeHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Range")).replace("null", ""));
        byte[] body;
        try {
            String name = exchange.getRequestURI().getPath().substring(1);
            body = extra.containsKey(name) ? extra.get(name) : fixture(name);
        } catch (IllegalArgumentException e) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        OutputStream out = exchange.getResponseBody();
        switch (behaviour) {
            case WHOLE -> {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
            case CHUNKED -> {
                exchange.sendResponseHeaders(200, 0);
                out.write(body);
            }
            case SHORT -> {
                exchange.sendResponseHeaders(200, body.length / 2);
                out.write(body, 0, body.length / 2);
            }
            case DROP_HALFWAY -> {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body, 0, body.length / 2);
                out.flush();
                // A handler that throws makes the server close the connection; closing the
                // exchange would keep it open, waiting for the rest.
                throw new IOException("dropping the connection halfway, as the test asks");
            }
            case STALL_IN_BODY -> {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body, 0, 1024);
                out.flush();
                await();
                throw new IOException("the test is over");
            }
            case STALL_BEFORE_HEADERS -> {
                await();
                throw new IOException("the test is over");
            }
            case FAIL -> exchange.sendResponseHeaders(500, -1);
        }
        exchange.close();
    }

    private void await() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
