package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zip format read front to back, as a download arrives: entries written as torch.save (miniz)
 * writes them, sizes only in the data descriptor after the data, small entries of unknown size
 * between the pickle and the storages, and no central directory needed.
 */
class StreamedZipTest {

    @TempDir
    Path dir;

    /** Entries with flag bit 3: zero sizes in the local header, a signed descriptor after the data; no central directory. */
    static byte[] minizEntries(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entries.forEach((name, data) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer header = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0808).putShort((short) 0)
                    .putInt(0).putInt(0).putInt(0).putInt(0).putShort((short) n.length).putShort((short) 0);
            out.writeBytes(header.array());
            out.writeBytes(n);
            out.writeBytes(data);
            CRC32 crc = new CRC32();
            crc.update(data);
            out.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0x08074b50).putInt((int) crc.getValue()).putInt(data.length).putInt(data.length).array());
        });
        return out.toByteArray();
    }

    private static Map<String, byte[]> torchEntries(String byteOrder) {
        List<TorchFiles.Tensor> tensors = TorchFiles.tinyVgg();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", TorchFiles.objectPickle(tensors));
        entries.put("archive/.format_version", "1".getBytes(StandardCharsets.US_ASCII));
        entries.put("archive/byteorder", byteOrder.getBytes(StandardCharsets.US_ASCII));
        TorchFiles.dataFor(tensors).forEach((k, v) -> entries.put("archive/data/" + k, v));
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return entries;
    }

    @Test
    void readsEntriesWhoseSizesComeAfterTheirData() throws IOException {
        Path file = Files.write(dir.resolve("miniz.pth"), minizEntries(torchEntries("little")));
        Vgg19Weights w = WeightsConverter.read(file);
        assertEquals(InputConvention.TORCHVISION, w.convention());
        assertEquals(16, w.layers().size());
        assertEquals(0.01f, w.layers().get(0).weight()[1]);
    }

    @Test
    void checksTheByteOrderEntryOfUnknownSize() throws IOException {
        Path file = Files.write(dir.resolve("big.pth"), minizEntries(torchEntries("big")));
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightsConverter.read(file));
        assertTrue(e.getMessage().contains("stores its tensors in byte order 'big', expected little"), e.getMessage());
    }

    /** A download that has passed the last storage of the convolutions already holds all they need. */
    @Test
    void needsNothingAfterTheLastStorageOfTheConvolutions() throws IOException {
        byte[] whole = Fixtures.bytes("tiny_vgg19_zip.pth");
        byte[] head = java.util.Arrays.copyOf(whole, indexOf(whole, "tiny_vgg19_zip/version"));
        Fixtures.assertSameWeights(Fixtures.expected(InputConvention.TORCHVISION),
                WeightsConverter.read(Files.write(dir.resolve("head.pth"), head)));
    }

    @Test
    void aDescriptorThatContradictsTheStorageSize() throws IOException {
        byte[] zip = minizEntries(torchEntries("little"));
        byte[] name = "archive/data/w0".getBytes(StandardCharsets.US_ASCII);
        // The descriptor after w0's 216 bytes: signature, CRC, then the compressed size.
        int sizeField = indexOf(zip, "archive/data/w0") + 30 + name.length + 216 + 8;
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(sizeField, 215);
        Path file = Files.write(dir.resolve("bad.pth"), zip);
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightsConverter.read(file));
        assertTrue(e.getMessage().contains("archive/data/w0 is followed by a descriptor of 215 bytes, expected 216"), e.getMessage());
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i - 30;
        }
        throw new IllegalArgumentException(needle);
    }
}
