package dev.painterly.weights;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes protobuf fields by hand, to build .caffemodel files with exactly the defects a test needs. */
final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ProtoWriter tag(int field, int wireType) {
        return varint((long) field << 3 | wireType);
    }

    ProtoWriter message(int field, ProtoWriter body) {
        return bytes(field, body.bytes());
    }

    ProtoWriter bytes(int field, byte[] body) {
        tag(field, 2).varint(body.length);
        out.writeBytes(body);
        return this;
    }

    ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter integer(int field, long v) {
        return tag(field, 0).varint(v);
    }

    ProtoWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    ProtoWriter packedFloats(int field, int count) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat(0.5f - i * 0.01f);
        }
        return bytes(field, b.array());
    }

    /** A new-style blob: data then shape, as Caffe writes them. */
    static ProtoWriter blob(long... shape) {
        long n = 1;
        ProtoWriter dims = new ProtoWriter();
        for (long d : shape) {
            n *= d;
            dims.integer(1, d);
        }
        return new ProtoWriter().packedFloats(5, (int) n).message(7, dims);
    }

    /** A new-style convolution layer with weights [out, in, 3, 3] and bias [out]. */
    static ProtoWriter conv(String name, int in, int out) {
        return new ProtoWriter().string(1, name).string(2, "Convolution")
                .message(7, blob(out, in, 3, 3)).message(7, blob(out));
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
