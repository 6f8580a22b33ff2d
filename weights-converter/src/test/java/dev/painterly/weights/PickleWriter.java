package dev.painterly.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, to build PyTorch files with exactly the defects a test needs. */
final class PickleWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleWriter le(long value, int width) {
        for (int i = 0; i < width; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    PickleWriter proto() {
        return op(0x80, 2);
    }

    PickleWriter global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K', (int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').le(v, 4);
        }
        return op(0x8a, 8).le(v, 8);
    }

    PickleWriter tuple(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    PickleWriter stop() {
        return op('.');
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
