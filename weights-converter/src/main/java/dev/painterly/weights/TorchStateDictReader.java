package dev.painterly.weights;

import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.weights.TorchUnpickler.Storage;
import dev.painterly.weights.TorchUnpickler.TensorRef;
import net.razorvine.pickle.PickleException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the 16 convolutions of a torchvision VGG-19 state dict ({@code features.0.weight},
 * {@code features.0.bias}, ..., {@code features.34.bias}; keys without the {@code features.}
 * prefix are accepted too, as is a checkpoint dict holding the state dict under
 * {@code state_dict}) from either serialisation of {@code torch.save}:
 * <ul>
 * <li>the zip format (PyTorch 1.6 and later): {@code <name>/data.pkl} is the pickle and each
 * storage is the entry {@code <name>/data/<key>}, stored after it; the entries are read in
 * order ({@link StoredZipStream}), the central directory is not needed;</li>
 * <li>the legacy format (torchvision's own {@code vgg19-dcbb9e9d.pth}): consecutive pickles of
 * the magic number, the protocol version, system info, the object and the list of storage keys,
 * then each storage in that order as an 8-byte little-endian element count and its raw bytes.</li>
 * </ul>
 * Either is read once, front to back, from a stream (a file, or a download as it arrives), keeping
 * only the storages that the convolutions use: the classifier's ~470 MB are skipped.
 * Only float32 storages are accepted for the convolutions. The weights are in torchvision's
 * convention (RGB input in [0,1], normalised by the ImageNet mean and std).
 */
public final class TorchStateDictReader {

    /** torchvision's vgg19: the index in {@code features} of each convolution conv1_1 ... conv5_4. */
    static final int[] FEATURE_INDEX = {0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34};

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    /** A VGG-19 state dict pickles to a few kB; the cap bounds what a corrupt pickle can build. */
    private static final long PICKLE_CAP = 1 << 20;

    private final Path file;
    private final long fileSize;
    /** Storages by key, as the persistent ids declare them. */
    private final Map<String, Storage> storages = new HashMap<>();
    /** "features." or "", whichever the state dict's keys start with. */
    private String keyPrefix = "features.";

    private TorchStateDictReader(Path file, long fileSize) {
        this.file = file;
        this.fileSize = fileSize;
    }

    /** One convolution's two tensors, by the names the file uses. */
    private record Conv(String name, String weightKey, TensorRef weight, String biasKey, TensorRef bias) {
    }

    /** Reads the zip format of {@code torch.save} (PyTorch 1.6 and later). */
    public static Vgg19Weights readZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readZip(in, Files.size(file), file);
        }
    }

    /**
     * Reads the zip format from a stream of {@code size} bytes, entry by entry, stopping after the
     * last storage a convolution uses (what follows is left unread). {@code name} labels messages.
     */
    public static Vgg19Weights readZip(InputStream in, long size, Path name) throws IOException {
        return new TorchStateDictReader(name, size).zip(in);
    }

    /** Reads the legacy format of {@code torch.save} (before 1.6, or {@code _use_new_zipfile_serialization=False}). */
    public static Vgg19Weights readLegacy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLegacy(in, Files.size(file), file);
        }
    }

    /**
     * Reads a legacy file from a stream of {@code size} bytes, front to back, stopping after the
     * last storage a convolution uses (what follows is left unread). {@code name} labels messages.
     */
    public static Vgg19Weights readLegacy(InputStream in, long size, Path name) throws IOException {
        return new TorchStateDictReader(name, size).legacy(in);
    }

    private Vgg19Weights zip(InputStream raw) throws IOException {
        // Not closed here: the caller owns the stream (a download reads on past the convolutions).
        Counting in = new Counting(new BufferedInputStream(raw, 1 << 16));
        StoredZipStream zip = new StoredZipStream(in, file);
        String prefix = null;
        List<Conv> convs = List.of();
        Map<Storage, String> needed = new LinkedHashMap<>();
        Map<Storage, float[]> data = new HashMap<>();
        try {
            while (prefix == null || data.size() < needed.size()) {
                StoredZipStream.Entry e = nextEntry(zip, prefix);
                if (e == null) {
                    break;
                }
                String name = e.name();
                int slash = name.indexOf('/');
                String folder = slash > 0 ? name.substring(0, slash + 1) : "";
                if (prefix == null && name.equals(folder + "data.pkl") && !folder.isEmpty()) {
                    prefix = folder;
                    convs = convolutions(zipPickle(zip, e));
                    needed = neededStorages(convs);
                } else if (name.endsWith("/data.pkl")) {
                    throw new WeightsFormatException(file, "holds two pickles, " + prefix + "data.pkl and "
                            + WeightsFormatException.printable(name) + "; expected one data.pkl");
                } else if (prefix == null && name.startsWith(folder + "data/")) {
                    throw new WeightsFormatException(file, "stores " + WeightsFormatException.printable(name)
                            + " before data.pkl; expected torch.save's order, data.pkl first");
                } else if (name.equals(folder + "byteorder")) {
                    checkByteOrder(zip.readSmall(e, 16));
                } else if (prefix != null && name.startsWith(prefix + "data/")) {
                    zipStorage(zip, e, in, name.substring((prefix + "data/").length()), needed, data);
                } else {
                    zip.readSmall(e, PICKLE_CAP);
                }
            }
        } catch (WeightsFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WeightsFormatException(file, "corrupt zip archive (" + describe(e) + ")", e);
        }
        if (prefix == null) {
            throw new WeightsFormatException(file, "not a PyTorch state dict: expected a zip archive with data.pkl");
        }
        for (Map.Entry<Storage, String> e : needed.entrySet()) {
            if (!data.containsKey(e.getKey())) {
                throw new WeightsFormatException(file, "lacks " + WeightsFormatException.printable(prefix + "data/" + e.getKey().key())
                        + ", the storage of " + e.getValue());
            }
        }
        return assemble(convs, data);
    }

    /** The next entry; before data.pkl is found, a damaged header means this is no PyTorch zip at all. */
    private StoredZipStream.Entry nextEntry(StoredZipStream zip, String prefix) throws IOException {
        try {
            return zip.next();
        } catch (WeightsFormatException e) {
            if (prefix != null) {
                throw e;
            }
            throw new WeightsFormatException(file, "not a PyTorch state dict: expected a zip archive with data.pkl ("
                    + e.getMessage().substring(e.getMessage().indexOf(": ") + 2) + ")", e);
        }
    }

    private Object zipPickle(StoredZipStream zip, StoredZipStream.Entry entry) throws IOException {
        String name = WeightsFormatException.printable(entry.name());
        if (entry.size() > PICKLE_CAP) {
            throw new WeightsFormatException(file, name + " is larger than " + PICKLE_CAP
                    + " bytes; expected the small pickle of a state dict");
        }
        byte[] bytes = zip.readSmall(entry, PICKLE_CAP);
        return unpickle(new TorchUnpickler.Limited(new ByteArrayInputStream(bytes), bytes.length, PICKLE_CAP), name);
    }

    private void checkByteOrder(byte[] content) throws WeightsFormatException {
        String order = new String(content, StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new WeightsFormatException(file, "stores its tensors in byte order '" + WeightsFormatException.printable(order) + "', expected little");
        }
    }

    /** Reads one storage entry if a convolution needs it, else skips it. */
    private void zipStorage(StoredZipStream zip, StoredZipStream.Entry entry, Counting in, String key,
                            Map<Storage, String> needed, Map<Storage, float[]> data) throws IOException {
        String name = WeightsFormatException.printable(entry.name());
        Storage s = storages.get(key);
        if (s == null) {
            throw new WeightsFormatException(file, "stores " + name + ", which the pickle never uses; expected only its storages");
        }
        int width = elementSize(s.type());
        if (width == 0) {
            throw new WeightsFormatException(file, name + " is a torch." + WeightsFormatException.printable(s.type())
                    + ", whose element size is unknown, so it cannot be skipped; expected standard torch storage types");
        }
        String layer = needed.get(s);
        if (layer != null && s.numel() > Integer.MAX_VALUE - 8) {
            throw new WeightsFormatException(file, name + " declares " + s.numel() + " elements, more than a Java array holds");
        }
        long bytes = s.numel() > Long.MAX_VALUE / width ? Long.MAX_VALUE : s.numel() * width;
        long available = entry.size() >= 0 ? entry.size() : fileSize - in.position;
        if (available < bytes) {
            throw new WeightsFormatException(file, name + " holds " + (entry.size() >= 0 ? entry.size() + " bytes" : "at most " + available
                    + " bytes (the rest of the file)") + ", expected " + bytes + " for the " + s.numel() + " elements of "
                    + (layer == null ? "the storage" : "the storage of " + layer));
        }
        if (layer != null) {
            data.put(s, readFloats(in, s.numel(), name));
        } else {
            in.skipNBytes(bytes);
        }
        zip.finish(entry, bytes);
    }

    private static Map<Storage, String> neededStorages(List<Conv> convs) {
        Map<Storage, String> needed = new LinkedHashMap<>();
        for (Conv conv : convs) {
            needed.putIfAbsent(conv.weight().storage().root(), conv.name());
            needed.putIfAbsent(conv.bias().storage().root(), conv.name());
        }
        return needed;
    }

    private Vgg19Weights legacy(InputStream raw) throws IOException {
        // Not closed here: the caller owns the stream (a download reads on past the convolutions).
        Counting in = new Counting(new BufferedInputStream(raw, 1 << 16));
        Object magic = unpickle(pickle(in), "the magic number");
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new WeightsFormatException(file, "not a PyTorch legacy file: expected the magic number 0x"
                    + LEGACY_MAGIC.toString(16) + " first");
        }
        Object version = unpickle(pickle(in), "the protocol version");
        if (!(version instanceof Number n) || n.longValue() != LEGACY_PROTOCOL) {
            throw new WeightsFormatException(file, "has legacy protocol version "
                    + (version instanceof Number ? version : "of type " + TorchUnpickler.typeName(version)) + ", expected " + LEGACY_PROTOCOL);
        }
        Object sysInfo = unpickle(pickle(in), "the system info");
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new WeightsFormatException(file, "was written on a big-endian machine; expected little-endian data");
        }
        Object top = unpickle(pickle(in), "the pickled state dict");
        List<Conv> convs = convolutions(top);
        Object keyList = unpickle(pickle(in), "the list of storage keys");
        if (!(keyList instanceof List<?> keys)) {
            throw new WeightsFormatException(file, "has a " + TorchUnpickler.typeName(keyList)
                    + " where the list of storage keys belongs");
        }
        return assemble(convs, legacyStorages(in, keys, neededStorages(convs)));
    }

    /** Reads the storages in file order, keeping the needed ones and skipping the rest. */
    private Map<Storage, float[]> legacyStorages(Counting in, List<?> keys, Map<Storage, String> needed) throws IOException {
        Map<Storage, float[]> data = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Object k : keys) {
            if (data.size() == needed.size()) {
                break;
            }
            String key;
            try {
                key = TorchUnpickler.storageKey(k);
            } catch (RuntimeException e) {
                throw new WeightsFormatException(file, "has a storage key that is a " + TorchUnpickler.typeName(k) + ", expected a string");
            }
            String quoted = WeightsFormatException.printable(key);
            Storage s = storages.get(key);
            if (s == null || !seen.add(key)) {
                throw new WeightsFormatException(file, "lists storage " + quoted + (s == null ? ", which the pickle never uses" : " twice")
                        + "; expected each storage of the pickle once");
            }
            long count = readLong(in, "the element count of storage " + quoted);
            if (count != s.numel()) {
                throw new WeightsFormatException(file, "storage " + quoted + " holds " + count + " elements, but the pickle declares "
                        + s.numel());
            }
            int width = elementSize(s.type());
            if (width == 0) {
                throw new WeightsFormatException(file, "storage " + quoted + " is a torch." + WeightsFormatException.printable(s.type())
                        + ", whose element size is unknown, so it cannot be skipped; expected standard torch storage types");
            }
            long left = fileSize - in.position;
            if (count > left / width) {
                throw new WeightsFormatException(file, "truncated: storage " + quoted + " needs " + count + " x " + width
                        + " bytes, but only " + left + " remain");
            }
            if (needed.containsKey(s)) {
                data.put(s, readFloats(in, count, "storage " + quoted + " (of " + needed.get(s) + ")"));
            } else {
                try {
                    in.skipNBytes(count * width);
                } catch (EOFException e) {
                    throw new WeightsFormatException(file, "truncated: expected the " + count + " elements of storage " + quoted, e);
                }
            }
        }
        for (Map.Entry<Storage, String> e : needed.entrySet()) {
            if (!data.containsKey(e.getKey())) {
                throw new WeightsFormatException(file, "never stores storage " + WeightsFormatException.printable(e.getKey().key()) + " of " + e.getValue()
                        + "; expected it in the list of storage keys");
            }
        }
        return data;
    }

    private TorchUnpickler.Limited pickle(Counting in) {
        return new TorchUnpickler.Limited(in, fileSize - in.position, PICKLE_CAP);
    }

    private Object unpickle(TorchUnpickler.Limited in, String what) throws WeightsFormatException {
        try {
            return new TorchUnpickler(storages, in).load();
        } catch (IOException e) {
            throw new WeightsFormatException(file, "truncated pickle: expected " + what + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException | StackOverflowError e) {
            // Razorvine's stack machine reports malformed input as PickleException, ClassCastException,
            // IndexOutOfBoundsException and the like; a self-containing structure can overflow the stack.
            String detail = e instanceof PickleException ? e.getMessage()
                    : "its opcodes do not fit together (" + e.getClass().getSimpleName() + ")";
            throw new WeightsFormatException(file, "malformed pickle in " + what + ": " + detail, e);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Finds the 16 (or at least 13) convolutions in the state dict and checks their tensors. */
    private List<Conv> convolutions(Object top) throws WeightsFormatException {
        if (!(top instanceof Map<?, ?> dict)) {
            throw new WeightsFormatException(file, "holds a " + TorchUnpickler.typeName(top)
                    + ", expected a state dict (a dict of tensors, as model.state_dict() gives)");
        }
        if (!dict.containsKey("features.0.weight") && !dict.containsKey("0.weight") && dict.get("state_dict") instanceof Map<?, ?> inner) {
            dict = inner;
        }
        if (!dict.containsKey("features.0.weight") && !dict.containsKey("0.weight")) {
            throw new WeightsFormatException(file, "has no key features.0.weight; expected a state dict of torchvision's vgg19");
        }
        keyPrefix = dict.containsKey("features.0.weight") ? "features." : "";
        List<Conv> convs = new ArrayList<>();
        for (int i = 0; i < FEATURE_INDEX.length; i++) {
            String name = Vgg19Weights.CONV_NAMES.get(i);
            String weightKey = keyPrefix + FEATURE_INDEX[i] + ".weight";
            String biasKey = keyPrefix + FEATURE_INDEX[i] + ".bias";
            Object weight = dict.get(weightKey);
            Object bias = dict.get(biasKey);
            if (weight == null && bias == null && !dict.containsKey(weightKey) && !dict.containsKey(biasKey)) {
                continue;
            }
            convs.add(new Conv(name, weightKey, tensor(weight, weightKey), biasKey, tensor(bias, biasKey)));
        }
        return convs;
    }

    private TensorRef tensor(Object value, String key) throws WeightsFormatException {
        if (!(value instanceof TensorRef t)) {
            throw new WeightsFormatException(file, key + " is " + (value == null ? "missing" : "a " + TorchUnpickler.typeName(value))
                    + ", expected a tensor");
        }
        if (!t.storage().root().type().equals("FloatStorage")) {
            throw new WeightsFormatException(file, key + " is stored as torch." + WeightsFormatException.printable(t.storage().root().type())
                    + ", expected float32 (torch.FloatStorage)");
        }
        long numel = ConvCollector.elementCount(t.size());
        long last = t.offset();
        try {
            for (int d = 0; d < t.size().length && numel > 0; d++) {
                last = Math.addExact(last, Math.multiplyExact(t.size()[d] - 1, t.stride()[d]));
            }
        } catch (ArithmeticException e) {
            last = Long.MAX_VALUE;
        }
        // A tensor larger than its storage could only come from zero strides; real weights have none.
        if (numel < 0 || numel > t.storage().size() || (numel > 0 && last >= t.storage().size())) {
            throw new WeightsFormatException(file, key + " of shape " + Arrays.toString(t.size()) + " reaches past the "
                    + t.storage().size() + " elements of its storage");
        }
        return t;
    }

    private Vgg19Weights assemble(List<Conv> convs, Map<Storage, float[]> data) throws WeightsFormatException {
        ConvCollector collector = new ConvCollector(file,
                name -> name + " (" + keyPrefix + FEATURE_INDEX[Vgg19Weights.CONV_NAMES.indexOf(name)] + ")");
        for (Conv conv : convs) {
            if (conv.bias().size().length != 1) {
                throw new WeightsFormatException(file, conv.biasKey() + " has shape " + Arrays.toString(conv.bias().size())
                        + ", expected [out]");
            }
            collector.add(conv.name(), conv.weight().size(), gather(conv.weight(), data), gather(conv.bias(), data));
        }
        return collector.build(InputConvention.TORCHVISION);
    }

    /** The tensor's elements in row-major order, following its strides through the storage. */
    private static float[] gather(TensorRef t, Map<Storage, float[]> data) {
        float[] storage = data.get(t.storage().root());
        long[] size = t.size();
        long[] stride = t.stride();
        int count = (int) ConvCollector.elementCount(size);
        // The usual tensor is its whole storage, in order: no copy, so that memory holds the weights once.
        if (count == storage.length && t.storage().offset() + t.offset() == 0 && isContiguous(size, stride)) {
            return storage;
        }
        float[] out = new float[count];
        long[] index = new long[size.length];
        long position = t.storage().offset() + t.offset();
        for (int i = 0; i < out.length; i++) {
            out[i] = storage[(int) position];
            for (int d = size.length - 1; d >= 0; d--) {
                position += stride[d];
                if (++index[d] < size[d]) {
                    break;
                }
                position -= stride[d] * size[d];
                index[d] = 0;
            }
        }
        return out;
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private float[] readFloats(InputStream in, long count, String what) throws IOException {
        if (count > Integer.MAX_VALUE - 8) {
            throw new WeightsFormatException(file, what + " has " + count + " elements, more than a Java array holds");
        }
        float[] values = new float[(int) count];
        byte[] chunk = new byte[1 << 16];
        ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int filled = 0; filled < values.length; ) {
            int n = Math.min(chunk.length / 4, values.length - filled);
            if (in.readNBytes(chunk, 0, 4 * n) < 4 * n) {
                throw new WeightsFormatException(file, "truncated: expected the " + count + " float32 values of " + what);
            }
            view.asFloatBuffer().get(values, filled, n);
            filled += n;
        }
        return values;
    }

    private long readLong(InputStream in, String what) throws IOException {
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw new WeightsFormatException(file, "truncated: expected " + what);
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Bytes per element of torch's typed storages; 0 for a type this reader does not know. */
    private static int elementSize(String type) {
        return switch (type) {
            case "DoubleStorage", "LongStorage", "ComplexFloatStorage" -> 8;
            case "FloatStorage", "IntStorage", "QInt32Storage" -> 4;
            case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
            case "ByteStorage", "CharStorage", "BoolStorage", "QUInt8Storage", "QInt8Storage", "QUInt4x2Storage",
                    "QUInt2x4Storage" -> 1;
            case "ComplexDoubleStorage" -> 16;
            default -> 0;
        };
    }

    /** Tracks the position in the legacy file, to check lengths against what remains. */
    private static final class Counting extends FilterInputStream {
        long position;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            position += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            position += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            position += skipped;
            return skipped;
        }
    }
}
