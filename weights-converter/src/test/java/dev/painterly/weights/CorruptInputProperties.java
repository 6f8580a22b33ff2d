package dev.painterly.weights;

import dev.painterly.engine.vgg.Vgg19WeightsFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Truncated and mutated versions of every golden source file: the converter either succeeds (a
 * mutation may hit only float data, or only parts it skips) and writes a readable file, or throws
 * a {@link WeightsFormatException} with one line and writes nothing. Any other exception fails.
 * Mutations aim half of the time at length fields, counts and sizes rather than anywhere.
 */
class CorruptInputProperties {

    private static final int TRIES = 200;
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("corrupt-weights");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<String> source() {
        return Arbitraries.of(Fixtures.SOURCES);
    }

    /** Lengths that a small file cannot hold, encoded the ways the formats encode lengths. */
    @Provide
    Arbitrary<byte[]> hugeNumber() {
        Arbitrary<Long> value = Arbitraries.oneOf(
                Arbitraries.of(0x7fffffffL, 0x80000000L, 0xffffffffL, 1L << 40, Long.MAX_VALUE, -1L, -(1L << 31)),
                Arbitraries.longs().between(1L << 20, Long.MAX_VALUE));
        return Arbitraries.oneOf(
                value.map(CorruptInputProperties::varint),
                value.map(v -> littleEndian(v, 4)),
                value.map(v -> littleEndian(v, 8)));
    }

    @Property(tries = TRIES)
    void truncated(@ForAll("source") String source, @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double at)
            throws IOException {
        byte[] b = Fixtures.bytes(source);
        convertsOrFailsCleanly(source, java.util.Arrays.copyOf(b, (int) (at * b.length)));
    }

    @Property(tries = TRIES)
    void bytesFlipped(@ForAll("source") String source, @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0) Integer> positions,
                      @ForAll @IntRange(min = 1, max = 255) int xor, @ForAll boolean aimed) throws IOException {
        byte[] b = Fixtures.bytes(source);
        for (int p : positions) {
            b[position(source, p, aimed, b.length)] ^= (byte) xor;
        }
        convertsOrFailsCleanly(source, b);
    }

    @Property(tries = TRIES)
    void garbageWritten(@ForAll("source") String source, @ForAll @IntRange(min = 0) int position,
                        @ForAll @Size(min = 1, max = 64) byte[] garbage, @ForAll boolean insert, @ForAll boolean aimed)
            throws IOException {
        byte[] b = Fixtures.bytes(source);
        convertsOrFailsCleanly(source, splice(b, position(source, position, aimed, b.length), garbage, insert));
    }

    @Property(tries = TRIES)
    void hugeLengthWritten(@ForAll("source") String source, @ForAll @IntRange(min = 0) int position,
                           @ForAll("hugeNumber") byte[] number, @ForAll boolean aimed) throws IOException {
        byte[] b = Fixtures.bytes(source);
        convertsOrFailsCleanly(source, splice(b, position(source, position, aimed, b.length), number, false));
    }

    /** The pickle inside the zip, mutated and repackaged, so that the unpickler itself is exercised. */
    @Property(tries = TRIES)
    void zipPickleMutated(@ForAll @Size(max = 4) List<@IntRange(min = 0) Integer> flips, @ForAll @IntRange(min = 1, max = 255) int xor,
                          @ForAll @IntRange(min = 0) int position, @ForAll("hugeNumber") byte[] number, @ForAll boolean writeNumber,
                          @ForAll @DoubleRange(min = 0, max = 1) double keep) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // ZipFile, not ZipInputStream: torch.save writes stored entries with data descriptors.
        try (ZipFile zip = new ZipFile(Fixtures.path("tiny_vgg19_zip.pth").toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (var in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        String name = "tiny_vgg19_zip/data.pkl";
        byte[] pickle = entries.get(name);
        for (int p : flips) {
            pickle[p % pickle.length] ^= (byte) xor;
        }
        if (writeNumber) {
            pickle = splice(pickle, afterLengthOpcode(pickle, position), number, false);
        }
        entries.put(name, java.util.Arrays.copyOf(pickle, (int) Math.ceil(keep * pickle.length)));
        convertsOrFailsCleanly("tiny_vgg19_zip.pth", TorchFiles.zipEntries(entries));
    }

    /** An offset just after an opcode that is followed by a length or an integer (BINUNICODE, BININT, ...). */
    private static int afterLengthOpcode(byte[] pickle, int seed) {
        int[] offsets = java.util.stream.IntStream.range(1, pickle.length)
                .filter(p -> "XJMKTB".indexOf(pickle[p - 1]) >= 0).toArray();
        return offsets.length == 0 ? seed % pickle.length : offsets[seed % offsets.length];
    }

    private static int position(String source, int seed, boolean aimed, int length) {
        int[] offsets = Fixtures.interestingOffsets(source);
        return aimed && offsets.length > 0 ? offsets[seed % offsets.length] : seed % length;
    }

    private static byte[] splice(byte[] b, int at, byte[] piece, boolean insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.writeBytes(piece);
        int resume = insert ? at : Math.min(b.length, at + piece.length);
        out.write(b, resume, b.length - resume);
        return out.toByteArray();
    }

    private static void convertsOrFailsCleanly(String source, byte[] content) throws IOException {
        Path in = Files.write(dir.resolve(source), content);
        Path out = dir.resolve("out.safetensors");
        try {
            WeightsConverter.convert(in, out);
            Vgg19WeightsFile.read(out);
            Files.delete(out);
        } catch (WeightsFormatException e) {
            Fixtures.assertOneLineNaming(e, in);
            assertFalse(Files.exists(out), "output written despite " + e.getMessage());
        }
        Files.delete(in);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "leftover files");
        }
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] littleEndian(long v, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
