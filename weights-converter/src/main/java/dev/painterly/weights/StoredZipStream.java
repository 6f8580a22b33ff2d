package dev.painterly.weights;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The entries of a zip archive read front to back from a stream, as {@code torch.save} writes
 * them: stored uncompressed, each a local header, the data, and (with flag bit 3) a data
 * descriptor. The central directory at the end is never needed, so an archive can be read while
 * it downloads. {@code torch.save} (miniz) leaves the sizes in the local headers zero and gives
 * them only in the descriptor after the data: the caller says how many bytes an entry holds
 * where it knows (a storage's size follows from the pickle), and a small entry of unknown size is
 * read up to the descriptor that matches what precedes it.
 */
final class StoredZipStream {

    /** One entry: its name, its size from the local header (-1 when only the descriptor has it). */
    record Entry(String name, long size, boolean descriptor) {
    }

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_DESCRIPTOR = 1 << 3;
    /** The part of a descriptor after its signature: CRC-32, compressed and uncompressed size. */
    private static final int DESCRIPTOR_BODY = 12;

    private final InputStream in;
    private final Path file;

    StoredZipStream(InputStream in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** The next entry's header, or null where the central directory (or the end) begins. */
    Entry next() throws IOException {
        byte[] signature = in.readNBytes(4);
        if (signature.length == 0) {
            return null;
        }
        int sig = signature.length < 4 ? 0 : le(signature, 0, 4).getInt();
        if (sig == CENTRAL_HEADER || sig == END_OF_DIRECTORY) {
            return null;
        }
        if (sig != LOCAL_HEADER) {
            throw new WeightsFormatException(file, "corrupt zip archive: expected the header of an entry");
        }
        ByteBuffer h = le(exactly(26, "an entry's header"), 0, 26);
        int flags = h.getShort(2) & 0xffff;
        int method = h.getShort(4) & 0xffff;
        long size = h.getInt(14) & 0xffffffffL;
        int nameLength = h.getShort(22) & 0xffff;
        int extraLength = h.getShort(24) & 0xffff;
        String name = new String(exactly(nameLength, "an entry's name"), StandardCharsets.UTF_8);
        skip(extraLength, "the extra field of " + WeightsFormatException.printable(name));
        if ((flags & FLAG_ENCRYPTED) != 0 || method != 0) {
            throw new WeightsFormatException(file, "entry " + WeightsFormatException.printable(name)
                    + " is compressed or encrypted; expected the stored entries that torch.save writes");
        }
        boolean descriptor = (flags & FLAG_DESCRIPTOR) != 0;
        return new Entry(name, descriptor && size == 0 ? -1 : size, descriptor);
    }

    /**
     * Ends an entry of which the caller has read {@code consumed} bytes: skips the rest of a
     * known size and checks the descriptor, if any, against what was read.
     */
    void finish(Entry e, long consumed) throws IOException {
        long length = e.size() >= 0 ? e.size() : consumed;
        if (consumed > length) {
            throw new WeightsFormatException(file, WeightsFormatException.printable(e.name()) + " holds " + length
                    + " bytes, expected at least " + consumed);
        }
        skip(length - consumed, "the data of " + WeightsFormatException.printable(e.name()));
        if (!e.descriptor()) {
            return;
        }
        byte[] first = exactly(4, "the data descriptor of " + WeightsFormatException.printable(e.name()));
        // The descriptor's signature is optional.
        byte[] body = le(first, 0, 4).getInt() == DESCRIPTOR
                ? exactly(DESCRIPTOR_BODY, "a data descriptor")
                : concat(first, exactly(DESCRIPTOR_BODY - 4, "a data descriptor"));
        long described = le(body, 0, DESCRIPTOR_BODY).getInt(4) & 0xffffffffL;
        if (described != length) {
            throw new WeightsFormatException(file, "corrupt zip archive: " + WeightsFormatException.printable(e.name())
                    + " is followed by a descriptor of " + described + " bytes, expected " + length);
        }
    }

    /** A small entry whole (at most {@code cap} bytes), its descriptor included. */
    byte[] readSmall(Entry e, long cap) throws IOException {
        String what = WeightsFormatException.printable(e.name());
        if (e.size() >= 0) {
            if (e.size() > cap) {
                throw new WeightsFormatException(file, what + " is larger than " + cap + " bytes; expected a small entry");
            }
            byte[] data = exactly((int) e.size(), "the data of " + what);
            finish(e, data.length);
            return data;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] tail = new byte[4 + DESCRIPTOR_BODY];
        for (long n = 0; ; n++) {
            int b = in.read();
            if (b < 0) {
                throw new WeightsFormatException(file, "truncated zip archive: expected the data descriptor of " + what);
            }
            data.write(b);
            System.arraycopy(tail, 1, tail, 0, tail.length - 1);
            tail[tail.length - 1] = (byte) b;
            if (n + 1 >= tail.length && le(tail, 0, 4).getInt() == DESCRIPTOR) {
                byte[] all = data.toByteArray();
                if (describes(tail, all, all.length - tail.length)) {
                    return Arrays.copyOf(all, all.length - tail.length);
                }
            }
            if (n >= cap + tail.length) {
                throw new WeightsFormatException(file, what + " is larger than " + cap + " bytes; expected a small entry");
            }
        }
    }

    /** Whether {@code descriptor} (with signature) describes the first {@code length} bytes of {@code data}. */
    private static boolean describes(byte[] descriptor, byte[] data, int length) {
        ByteBuffer d = le(descriptor, 0, descriptor.length);
        if ((d.getInt(8) & 0xffffffffL) != length || (d.getInt(12) & 0xffffffffL) != length) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return (d.getInt(4) & 0xffffffffL) == crc.getValue();
    }

    private byte[] exactly(int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new WeightsFormatException(file, "truncated zip archive: expected " + what);
        }
        return b;
    }

    private void skip(long n, String what) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new WeightsFormatException(file, "truncated zip archive: expected " + what, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ByteBuffer le(byte[] b, int off, int len) {
        return ByteBuffer.wrap(b, off, len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
