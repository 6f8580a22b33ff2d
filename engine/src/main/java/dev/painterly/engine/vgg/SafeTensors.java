package dev.painterly.engine.vgg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, F32 only: an 8-byte little-endian header length, a JSON header mapping
 * each tensor name to its dtype, shape and [begin, end) byte offsets in the data that follows,
 * plus a "__metadata__" map of strings; then the raw little-endian data.
 */
public final class SafeTensors {

    /** A named float32 tensor. */
    public record Entry(long[] shape, float[] data) {
    }

    /** What a file holds. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    public static void write(OutputStream out, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            long n = 1;
            for (long d : e.getValue().shape()) {
                shape.add(d);
                n *= d;
            }
            if (n != e.getValue().data().length) {
                throw new IllegalArgumentException(e.getKey() + ": shape does not match its " + e.getValue().data().length + " values");
            }
            var offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + 4 * n);
            offset += 4 * n;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Entry e : tensors.values()) {
            ByteBuffer buf = ByteBuffer.allocate(4 * e.data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(e.data());
            out.write(buf.array());
        }
    }

    /** Reads a whole file; any inconsistency is an IOException naming what was expected. */
    public static Contents read(InputStream input) throws IOException {
        DataInputStream in = new DataInputStream(input);
        byte[] lenBytes = new byte[8];
        readFully(in, lenBytes, "the 8-byte header length");
        long headerLength = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new IOException("not a safetensors file: header length " + headerLength + " is implausible");
        }
        byte[] json = new byte[(int) headerLength];
        readFully(in, json, "a JSON header of " + headerLength + " bytes");
        JsonNode header;
        try {
            header = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException("not a safetensors file: the header is not valid JSON", e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException("not a safetensors file: the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = f.getValue();
            if (!"F32".equals(t.path("dtype").asText())) {
                throw new IOException("tensor " + f.getKey() + " has dtype " + t.path("dtype").asText() + ", expected F32");
            }
            JsonNode sh = t.path("shape");
            JsonNode off = t.path("data_offsets");
            if (!sh.isArray() || !off.isArray() || off.size() != 2) {
                throw new IOException("tensor " + f.getKey() + " lacks a shape or data_offsets");
            }
            long[] shape = new long[sh.size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sh.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new IOException("tensor " + f.getKey() + " has a negative dimension");
                }
                n *= shape[i];
            }
            long begin = off.get(0).asLong(-1), end = off.get(1).asLong(-1);
            if (begin < 0 || end - begin != 4 * n || n > Integer.MAX_VALUE) {
                throw new IOException("tensor " + f.getKey() + " has data_offsets that do not match its shape");
            }
            shapes.put(f.getKey(), shape);
            offsets.put(f.getKey(), new long[] {begin, end});
        }
        // Tensors are read in order of their offsets, streaming through the data section.
        Map<String, Entry> tensors = new LinkedHashMap<>();
        long position = 0;
        var ordered = offsets.entrySet().stream().sorted((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0])).toList();
        for (Map.Entry<String, long[]> e : ordered) {
            long begin = e.getValue()[0], end = e.getValue()[1];
            if (begin < position) {
                throw new IOException("tensor " + e.getKey() + " overlaps another");
            }
            in.skipNBytes(begin - position);
            byte[] raw = new byte[(int) (end - begin)];
            readFully(in, raw, "the data of tensor " + e.getKey());
            float[] data = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            tensors.put(e.getKey(), new Entry(shapes.get(e.getKey()), data));
            position = end;
        }
        Map<String, Entry> inHeaderOrder = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            inHeaderOrder.put(name, tensors.get(name));
        }
        return new Contents(inHeaderOrder, metadata);
    }

    private static void readFully(DataInputStream in, byte[] buf, String what) throws IOException {
        try {
            in.readFully(buf);
        } catch (EOFException e) {
            throw new IOException("file is truncated: expected " + what, e);
        }
    }
}
