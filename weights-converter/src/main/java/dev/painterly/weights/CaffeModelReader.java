package dev.painterly.weights;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads the convolutions conv1_1 ... conv5_4 of a Caffe {@code .caffemodel} (a serialised
 * NetParameter) in one streaming pass with protobuf's low-level decoder, so no generated classes
 * are needed. Both layouts are understood: field 100 {@code layer} (LayerParameter: name 1, type 2
 * as a string, blobs 7) and the old field 2 {@code layers} (V1LayerParameter: name 4, type 5 as
 * an enum, blobs 6). Blobs of other layers (fc6 alone is 400 MB in VGG-19) are skipped without
 * being read into memory. Every declared length is checked against what is left of its enclosing
 * message, and so of the file, before anything is allocated.
 *
 * <p>The weights keep Caffe's convention: conv1_1 expects BGR input.
 */
public final class CaffeModelReader {

    private static final int NET_LAYERS_V1 = 2;
    private static final int NET_LAYER = 100;
    private static final int LAYER_NAME = 1;
    private static final int LAYER_TYPE = 2;
    private static final int LAYER_BLOBS = 7;
    private static final int V1_NAME = 4;
    private static final int V1_TYPE = 5;
    private static final int V1_BLOBS = 6;
    private static final int V1_CONVOLUTION = 4;
    private static final int BLOB_NUM = 1;
    private static final int BLOB_WIDTH = 4;
    private static final int BLOB_DATA = 5;
    private static final int BLOB_SHAPE = 7;
    private static final int BLOB_DOUBLE_DATA = 8;
    private static final int SHAPE_DIM = 1;
    /** Caffe's own limit on a blob's axes (kMaxBlobAxes). */
    private static final int MAX_AXES = 32;

    private static final String CONVOLUTION = "Convolution";
    /** Layer names and types are short; a longer one means the length field is corrupt. */
    private static final int MAX_NAME_BYTES = 1024;

    private final Path file;
    private final long fileSize;
    private final CodedInputStream in;
    /** What is being read, for messages. */
    private String reading = "the first field of the NetParameter";
    private int layersSeen;

    private CaffeModelReader(Path file, long fileSize, InputStream stream) {
        this.file = file;
        this.fileSize = fileSize;
        this.in = CodedInputStream.newInstance(stream, 1 << 16);
        in.setSizeLimit(Integer.MAX_VALUE);
    }

    /** Reads a {@code .caffemodel}; weights with {@link InputConvention#CAFFE}. */
    public static Vgg19Weights read(Path file) throws IOException {
        try (InputStream stream = Files.newInputStream(file)) {
            return read(stream, Files.size(file), file);
        }
    }

    /** Reads a {@code .caffemodel} of {@code size} bytes from a stream, to its end; {@code name} labels messages. */
    public static Vgg19Weights read(InputStream stream, long size, Path name) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new WeightsFormatException(name, "is " + size + " bytes; expected a .caffemodel below protobuf's 2 GiB limit");
        }
        return new CaffeModelReader(name, size, stream).readNet();
    }

    private Vgg19Weights readNet() throws IOException {
        ConvCollector convs = new ConvCollector(file, UnaryOperator.identity());
        try {
            // The file's end is the outermost limit, so that every length is checked against it.
            in.pushLimit((int) fileSize);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if ((field == NET_LAYER || field == NET_LAYERS_V1) && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    readLayer(field == NET_LAYERS_V1, convs);
                } else if (field == NET_LAYER || field == NET_LAYERS_V1) {
                    throw corrupt("field " + field + " (layers) has wire type " + WireFormat.getTagWireType(tag)
                            + ", expected an embedded LayerParameter");
                } else {
                    skip(tag);
                }
                reading = "the field after layer " + layersSeen;
            }
        } catch (InvalidProtocolBufferException e) {
            String problem = fileSize - in.getTotalBytesRead() <= 10 ? "truncated protobuf" : "corrupt protobuf";
            throw new WeightsFormatException(file, (layersSeen == 0 ? "not a Caffe model: " : "") + problem + ": expected "
                    + reading + " (" + firstSentence(e) + ")", e);
        }
        if (layersSeen == 0) {
            throw new WeightsFormatException(file, "not a Caffe model: expected a NetParameter with layers, found none");
        }
        return convs.build(InputConvention.CAFFE);
    }

    private void readLayer(boolean v1, ConvCollector convs) throws IOException {
        int index = ++layersSeen;
        reading = "layer " + index;
        int outer = pushLength(reading);
        String name = null;
        String type = null;
        List<Blob> blobs = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            String label = name == null ? "layer " + index : WeightsFormatException.printable(name);
            if (field == (v1 ? V1_NAME : LAYER_NAME) && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "the name of layer " + index;
                name = readShortString();
            } else if (!v1 && field == LAYER_TYPE && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "the type of " + label;
                type = readShortString();
            } else if (v1 && field == V1_TYPE && wire == WireFormat.WIRETYPE_VARINT) {
                reading = "the type of " + label;
                int code = in.readEnum();
                type = code == V1_CONVOLUTION ? CONVOLUTION : "V1 layer type " + code;
            } else if (field == (v1 ? V1_BLOBS : LAYER_BLOBS) && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "blob " + blobs.size() + " of " + label;
                if (name != null && !ConvCollector.isConvName(name)) {
                    skipLengthDelimited();
                } else {
                    // Caffe writes the name before the blobs; if a file does not, keep them until it comes.
                    blobs.add(readBlob(reading));
                }
            } else {
                reading = "field " + field + " of " + label;
                skip(tag);
            }
        }
        in.popLimit(outer);
        if (name != null && ConvCollector.isConvName(name)) {
            addConvolution(name, type, blobs, convs);
        }
    }

    private void addConvolution(String name, String type, List<Blob> blobs, ConvCollector convs) throws WeightsFormatException {
        if (!CONVOLUTION.equals(type)) {
            throw new WeightsFormatException(file, "layer " + name + " has " + (type == null ? "no type" : "type " + WeightsFormatException.printable(type))
                    + ", expected " + CONVOLUTION);
        }
        if (blobs.size() != 2) {
            throw new WeightsFormatException(file, "layer " + name + " has " + blobs.size()
                    + " blobs, expected 2 (weights and bias)");
        }
        Blob weight = blobs.get(0);
        Blob bias = blobs.get(1);
        long[] b = bias.shape();
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] != 1) {
                throw new WeightsFormatException(file, "the bias of " + name + " has shape " + Arrays.toString(b)
                        + ", expected [out] or [1, 1, 1, out]");
            }
        }
        convs.add(name, weight.shape(), weight.data(), bias.data());
    }

    /** A BlobProto: its shape (from {@code shape}, else num/channels/height/width) and data. */
    private record Blob(long[] shape, float[] data) {
    }

    private Blob readBlob(String what) throws IOException {
        int outer = pushLength(what);
        long[] legacy = new long[4];
        boolean hasLegacy = false;
        List<Long> shape = null;
        FloatList data = new FloatList();
        boolean floats = false;
        boolean doubles = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field >= BLOB_NUM && field <= BLOB_WIDTH && wire == WireFormat.WIRETYPE_VARINT) {
                reading = "the dimensions of " + what;
                legacy[field - BLOB_NUM] = in.readInt32();
                hasLegacy = true;
            } else if (field == BLOB_DATA && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "the data of " + what;
                readPacked(data, 4);
                floats = true;
            } else if (field == BLOB_DATA && wire == WireFormat.WIRETYPE_FIXED32) {
                reading = "the data of " + what;
                data.add(in.readFloat());
                floats = true;
            } else if (field == BLOB_DOUBLE_DATA && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "the double_data of " + what;
                readPacked(data, 8);
                doubles = true;
            } else if (field == BLOB_DOUBLE_DATA && wire == WireFormat.WIRETYPE_FIXED64) {
                reading = "the double_data of " + what;
                data.add((float) in.readDouble());
                doubles = true;
            } else if (field == BLOB_SHAPE && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reading = "the shape of " + what;
                // A repeated field spread over several messages merges by concatenation.
                shape = shape == null ? new ArrayList<>() : shape;
                readShape(shape);
            } else {
                reading = "field " + field + " of " + what;
                skip(tag);
            }
        }
        in.popLimit(outer);
        if (floats && doubles) {
            throw new WeightsFormatException(file, what + " has both data and double_data, expected one of them");
        }
        long[] dims;
        if (shape != null) {
            dims = shape.stream().mapToLong(Long::longValue).toArray();
        } else if (hasLegacy) {
            dims = legacy;
        } else {
            throw new WeightsFormatException(file, what + " has no shape, expected shape or num/channels/height/width");
        }
        if (ConvCollector.elementCount(dims) != data.size()) {
            throw new WeightsFormatException(file, what + " has shape " + Arrays.toString(dims) + " but " + data.size() + " values");
        }
        return new Blob(dims, data.toArray());
    }

    private void readShape(List<Long> dims) throws IOException {
        int outer = pushLength(reading);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == SHAPE_DIM && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int packed = pushLength(reading);
                while (!in.isAtEnd() && dims.size() <= MAX_AXES) {
                    dims.add(in.readInt64());
                }
                in.popLimit(packed);
            } else if (field == SHAPE_DIM && wire == WireFormat.WIRETYPE_VARINT) {
                dims.add(in.readInt64());
            } else {
                skip(tag);
            }
            if (dims.size() > MAX_AXES) {
                throw corrupt(reading + " has more than " + MAX_AXES + " axes");
            }
        }
        in.popLimit(outer);
    }

    /** A packed run of floats (4 bytes) or doubles (8 bytes, narrowed to float). */
    private void readPacked(FloatList data, int width) throws IOException {
        long length = readLength();
        if (length % width != 0) {
            throw corrupt(reading + " is " + length + " bytes, not a whole number of " + width + "-byte values");
        }
        int outer = pushLimit(length, reading);
        data.reserve((int) (length / width));
        for (long i = length / width; i > 0; i--) {
            data.add(width == 4 ? in.readFloat() : (float) in.readDouble());
        }
        in.popLimit(outer);
    }

    private String readShortString() throws IOException {
        long length = readLength();
        if (length > MAX_NAME_BYTES) {
            throw corrupt(reading + " claims " + length + " bytes, expected a short string");
        }
        int outer = pushLimit(length, reading);
        String text = new String(in.readRawBytes((int) length), StandardCharsets.UTF_8);
        in.popLimit(outer);
        return text;
    }

    private void skip(int tag) throws IOException {
        switch (WireFormat.getTagWireType(tag)) {
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> skipLengthDelimited();
            case WireFormat.WIRETYPE_VARINT, WireFormat.WIRETYPE_FIXED32, WireFormat.WIRETYPE_FIXED64 -> in.skipField(tag);
            // Groups (3, 4) do not occur in caffe.proto, and skipping them would recurse without bound.
            default -> throw corrupt("wire type " + WireFormat.getTagWireType(tag) + " in " + reading
                    + ", expected one that caffe.proto uses");
        }
    }

    private void skipLengthDelimited() throws IOException {
        long length = readLength();
        int outer = pushLimit(length, reading);
        in.skipRawBytes((int) length);
        in.popLimit(outer);
    }

    private int pushLength(String what) throws IOException {
        return pushLimit(readLength(), what);
    }

    private long readLength() throws IOException {
        return in.readRawVarint64();
    }

    /** Limits reading to the next {@code length} bytes, after checking that they exist. */
    private int pushLimit(long length, String what) throws IOException {
        long left = in.getBytesUntilLimit();
        if (length < 0 || length > left) {
            boolean fileEnd = in.getTotalBytesRead() + left >= fileSize;
            String claim = length < 0 ? "a negative length" : length + " bytes";
            throw fileEnd
                    ? new WeightsFormatException(file, "truncated protobuf: expected " + what + " of " + claim
                            + ", but the file ends after " + left)
                    : corrupt(what + " claims " + claim + ", more than the " + left + " left in its enclosing message");
        }
        return in.pushLimit((int) length);
    }

    private WeightsFormatException corrupt(String problem) {
        return new WeightsFormatException(file, (layersSeen == 0 ? "not a Caffe model: " : "") + "corrupt protobuf: " + problem);
    }

    private static String firstSentence(Exception e) {
        String message = String.valueOf(e.getMessage());
        int dot = message.indexOf(". ");
        return dot < 0 ? message : message.substring(0, dot);
    }

    /** A growable float array; its growth is bounded by the checked lengths of the file. */
    private static final class FloatList {
        private float[] values = new float[16];
        private int size;

        void reserve(int more) {
            if (values.length - size < more) {
                values = Arrays.copyOf(values, Math.max(size + more, 2 * values.length));
            }
        }

        void add(float v) {
            reserve(1);
            values[size++] = v;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
