package dev.painterly.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds PyTorch files (legacy and zip) from tensor descriptions, by hand. */
final class TorchFiles {

    /** A tensor entry of the state dict: a strided window into the storage {@code storageKey}. */
    record Tensor(String key, String storageKey, String storageType, long storageNumel, long offset, long[] size, long[] stride) {

        static Tensor contiguous(String key, String storageKey, long... size) {
            long[] stride = new long[size.length];
            long n = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = n;
                n *= size[d];
            }
            return new Tensor(key, storageKey, "FloatStorage", n, 0, size, stride);
        }
    }

    private TorchFiles() {
    }

    static byte[] objectPickle(List<Tensor> tensors) {
        PickleWriter p = new PickleWriter().proto().global("collections", "OrderedDict").op(')', 'R', '(');
        for (Tensor t : tensors) {
            p.unicode(t.key()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').unicode("storage").global("torch", t.storageType()).unicode(t.storageKey()).unicode("cpu")
                    .integer(t.storageNumel()).op('N', 't', 'Q');
            p.integer(t.offset()).tuple(t.size()).tuple(t.stride()).op(0x89)
                    .global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        }
        return p.op('u').stop().bytes();
    }

    /**
     * A legacy file: magic, protocol, system info, {@code object}, the storage keys, then for each
     * key its declared element count and data.
     */
    static byte[] legacy(byte[] object, Map<String, Long> counts, Map<String, byte[]> data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleWriter().proto().op(0x8a, 10).le(0x469cfc6cL | 0xa86a20f9L << 32, 8).le(0x1950, 2).stop().bytes());
        out.writeBytes(new PickleWriter().proto().integer(1001).stop().bytes());
        out.writeBytes(new PickleWriter().proto().op('}').unicode("little_endian").op(0x88, 's').stop().bytes());
        out.writeBytes(object);
        PickleWriter keys = new PickleWriter().proto().op(']', '(');
        counts.keySet().forEach(keys::unicode);
        out.writeBytes(keys.op('e').stop().bytes());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            out.writeBytes(new PickleWriter().le(e.getValue(), 8).bytes());
            out.writeBytes(data.getOrDefault(e.getKey(), new byte[0]));
        }
        return out.toByteArray();
    }

    /** A zip file with archive/data.pkl holding {@code pickle} and archive/data/KEY for each storage. */
    static byte[] zip(byte[] pickle, Map<String, byte[]> storages) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((k, v) -> entries.put("archive/data/" + k, v));
        entries.put("archive/version", "3\n".getBytes());
        return zipEntries(entries);
    }

    /** Uncompressed entries, as torch.save writes them. */
    static byte[] zipEntries(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] floats(int count) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat(i * 0.01f);
        }
        return b.array();
    }

    /** A narrow, complete VGG-19 state dict (channels 2 everywhere), one storage per tensor. */
    static List<Tensor> tinyVgg() {
        List<Tensor> tensors = new ArrayList<>();
        int in = 3;
        for (int i = 0; i < TorchStateDictReader.FEATURE_INDEX.length; i++) {
            int index = TorchStateDictReader.FEATURE_INDEX[i];
            tensors.add(Tensor.contiguous("features." + index + ".weight", "w" + i, 2, in, 3, 3));
            tensors.add(Tensor.contiguous("features." + index + ".bias", "b" + i, 2));
            in = 2;
        }
        return tensors;
    }

    static Map<String, byte[]> dataFor(List<Tensor> tensors) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            data.put(t.storageKey(), floats((int) t.storageNumel()));
        }
        return data;
    }

    static Map<String, Long> countsFor(List<Tensor> tensors) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            counts.put(t.storageKey(), t.storageNumel());
        }
        return counts;
    }
}
