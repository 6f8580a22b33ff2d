package dev.painterly.engine.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format (version 1.0) for little-endian float32 arrays in C order: the magic
 * "\x93NUMPY", the version, a header dict padded so the data starts 64-byte aligned, then data.
 */
public final class Npy {

    /** A float32 array with its shape. */
    public record Array(long[] shape, float[] data) {
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static void write(Path path, long[] shape, float[] data) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
            write(out, shape, data);
        }
    }

    public static void write(OutputStream out, long[] shape, float[] data) throws IOException {
        StringBuilder dims = new StringBuilder();
        long n = 1;
        for (long d : shape) {
            dims.append(d).append(shape.length == 1 ? "," : ", ");
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape does not match " + data.length + " values");
        }
        String dimText = shape.length > 1 ? dims.substring(0, dims.length() - 2) : dims.toString();
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dimText + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
    }

    public static Array read(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return read(in);
        }
    }

    public static Array read(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(input);
        try {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a .npy file");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLength;
            if (major == 1) {
                headerLength = in.readUnsignedByte() | in.readUnsignedByte() << 8;
            } else {
                byte[] b = new byte[4];
                in.readFully(b);
                headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
            }
            byte[] hb = new byte[headerLength];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.US_ASCII);
            Matcher d = DESCR.matcher(header);
            Matcher o = ORDER.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !o.find() || !s.find()) {
                throw new IOException(".npy header lacks descr, fortran_order or shape");
            }
            if (!d.group(1).equals("<f4") || o.group(1).equals("True")) {
                throw new IOException(".npy array must be little-endian float32 in C order, got " + d.group(1)
                        + (o.group(1).equals("True") ? " in Fortran order" : ""));
            }
            String[] parts = s.group(1).split(",");
            long n = 1;
            java.util.List<Long> dims = new java.util.ArrayList<>();
            for (String p : parts) {
                if (!p.isBlank()) {
                    long v = Long.parseLong(p.trim());
                    dims.add(v);
                    n *= v;
                }
            }
            byte[] raw = new byte[Math.toIntExact(4 * n)];
            in.readFully(raw);
            float[] data = new float[(int) n];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return new Array(dims.stream().mapToLong(Long::longValue).toArray(), data);
        } catch (EOFException e) {
            throw new IOException(".npy file is truncated", e);
        }
    }
}
