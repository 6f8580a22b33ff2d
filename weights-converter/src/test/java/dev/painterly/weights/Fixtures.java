package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden VGG fixtures made by src/test/python/make_vgg_fixtures.py, and offsets inside them
 * where a corruption is most telling (length fields and sizes rather than float data).
 */
final class Fixtures {

    static final List<String> SOURCES = List.of(
            "tiny_vgg19_zip.pth", "tiny_vgg19_legacy.pth", "tiny_vgg19_v2.caffemodel", "tiny_vgg19_v1.caffemodel");

    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
    private static final Map<String, int[]> OFFSETS = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/vgg/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        return BYTES.computeIfAbsent(name, n -> {
            try {
                return Files.readAllBytes(path(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).clone();
    }

    static InputConvention convention(String source) {
        return source.endsWith(".caffemodel") ? InputConvention.CAFFE : InputConvention.TORCHVISION;
    }

    static Vgg19Weights expected(InputConvention convention) throws IOException {
        return Vgg19WeightsFile.read(path("expected_" + convention.id() + ".safetensors"));
    }

    static void assertSameWeights(Vgg19Weights expected, Vgg19Weights actual) {
        assertEquals(expected.convention(), actual.convention());
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int i = 0; i < expected.layers().size(); i++) {
            var e = expected.layers().get(i);
            var a = actual.layers().get(i);
            assertEquals(e.name(), a.name());
            assertEquals(e.inChannels(), a.inChannels(), e.name());
            assertEquals(e.outChannels(), a.outChannels(), e.name());
            assertArrayEquals(bits(e.weight()), bits(a.weight()), e.name() + ".weight");
            assertArrayEquals(bits(e.bias()), bits(a.bias()), e.name() + ".bias");
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    /** A format error must name the file and fit on one line. */
    static void assertOneLineNaming(WeightsFormatException e, Path file) {
        String message = e.getMessage();
        assertNotNull(message);
        assertTrue(message.startsWith(file.getFileName() + ": "), message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertTrue(message.length() > file.getFileName().toString().length() + 10, message);
    }

    /** Offsets of length fields, counts and sizes in a source fixture. */
    static int[] interestingOffsets(String name) {
        return OFFSETS.computeIfAbsent(name, n -> {
            byte[] b = bytes(n);
            List<Integer> found = new ArrayList<>();
            if (n.endsWith(".caffemodel")) {
                protobufLengths(b, 0, b.length, found, 0);
            } else if (n.contains("legacy")) {
                legacyOffsets(b, found);
            } else {
                zipHeaderOffsets(b, found);
            }
            return found.stream().mapToInt(Integer::intValue).toArray();
        });
    }

    /** Offsets of the length of every length-delimited field, descending into what parses as a message. */
    private static void protobufLengths(byte[] b, int start, int end, List<Integer> out, int depth) {
        int p = start;
        while (p < end) {
            long[] tag = varint(b, p, end);
            if (tag == null) {
                return;
            }
            p = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = varint(b, p, end);
                    if (v == null) {
                        return;
                    }
                    p = (int) v[1];
                }
                case 1 -> p += 8;
                case 5 -> p += 4;
                case 2 -> {
                    long[] len = varint(b, p, end);
                    if (len == null || len[0] > end - len[1]) {
                        return;
                    }
                    out.add(p);
                    int bodyStart = (int) len[1];
                    int bodyEnd = bodyStart + (int) len[0];
                    if (depth < 4 && parsesAsMessage(b, bodyStart, bodyEnd)) {
                        protobufLengths(b, bodyStart, bodyEnd, out, depth + 1);
                    }
                    p = bodyEnd;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private static boolean parsesAsMessage(byte[] b, int start, int end) {
        int p = start;
        while (p < end) {
            long[] tag = varint(b, p, end);
            if (tag == null || tag[0] >>> 3 == 0) {
                return false;
            }
            p = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = varint(b, p, end);
                    if (v == null) {
                        return false;
                    }
                    p = (int) v[1];
                }
                case 1 -> p += 8;
                case 5 -> p += 4;
                case 2 -> {
                    long[] len = varint(b, p, end);
                    if (len == null || len[0] > end - len[1]) {
                        return false;
                    }
                    p = (int) (len[1] + len[0]);
                }
                default -> {
                    return false;
                }
            }
        }
        return p == end;
    }

    /** {value, next offset}, or null if no complete varint starts at p. */
    private static long[] varint(byte[] b, int p, int end) {
        long value = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            int x = b[p++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return new long[] {value, p};
            }
        }
        return null;
    }

    /** Operands of length-carrying pickle opcodes, then each storage's 8-byte element count. */
    private static void legacyOffsets(byte[] b, List<Integer> out) {
        int keys = indexOf(b, new byte[] {(byte) 0x80, 2, ']'}, 0);
        int data = indexOf(b, new byte[] {'e', '.'}, keys) + 2;
        for (int p = 1; p < data; p++) {
            if ("XJMKTBQ".indexOf(b[p - 1]) >= 0) {
                out.add(p);
            }
        }
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = data;
        while (p + 8 <= b.length) {
            out.add(p);
            long count = le.getLong(p);
            // Most storages hold float32; the int64 counter is told apart by where the next count lands.
            long next4 = p + 8 + 4 * count;
            boolean four = next4 == b.length || (next4 + 8 <= b.length && le.getLong((int) next4) >= 0
                    && le.getLong((int) next4) < 1 << 20);
            p = (int) (four ? next4 : p + 8 + 8 * count);
        }
    }

    /** Sizes and lengths in the zip's local headers, central directory and end record. */
    private static void zipHeaderOffsets(byte[] b, List<Integer> out) {
        for (int p = 0; p + 4 <= b.length; p++) {
            if (b[p] != 'P' || b[p + 1] != 'K') {
                continue;
            }
            int[] fields = b[p + 2] == 3 && b[p + 3] == 4 ? new int[] {8, 18, 22, 26, 28}
                    : b[p + 2] == 1 && b[p + 3] == 2 ? new int[] {10, 20, 24, 28, 30, 32, 42}
                    : b[p + 2] == 5 && b[p + 3] == 6 ? new int[] {8, 10, 12, 16, 20} : new int[0];
            for (int f : fields) {
                if (p + f < b.length) {
                    out.add(p + f);
                }
            }
        }
    }

    static int indexOf(byte[] b, byte[] pattern, int from) {
        outer:
        for (int p = from; p + pattern.length <= b.length; p++) {
            for (int i = 0; i < pattern.length; i++) {
                if (b[p + i] != pattern[i]) {
                    continue outer;
                }
            }
            return p;
        }
        return -1;
    }
}
