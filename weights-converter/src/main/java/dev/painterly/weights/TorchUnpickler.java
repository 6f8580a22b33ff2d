package dev.painterly.weights;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpickles what {@code torch.save} writes, into plain descriptions: tensors become
 * {@link TensorRef}s pointing into {@link Storage}s whose bytes live elsewhere in the file.
 *
 * <p>Razorvine's unpickler does the stack machine. On top of it, this subclass resolves globals
 * itself (no process-wide constructor registry; unknown classes become {@link Opaque}), checks
 * every declared length against the bytes that remain before allocating, and refuses the
 * text-mode opcodes that {@code torch.save} never writes (they read unbounded lines). Malformed
 * input surfaces as {@link PickleException} or another RuntimeException, which the caller turns
 * into a {@link WeightsFormatException}.
 */
final class TorchUnpickler extends Unpickler {

    /** A storage as named by a persistent id: its key, type (e.g. "FloatStorage") and element count. */
    record Storage(String key, String type, long numel) {
    }

    /** Elements [offset, offset + size) of a root storage (legacy files may hold views). */
    record StorageView(Storage root, long offset, long size) {
    }

    /** A tensor: a strided window into a storage view. */
    record TensorRef(StorageView storage, long offset, long[] size, long[] stride) {
    }

    /** An object of a class this reader does not model (a whole nn.Module, an optimizer, ...). */
    record Opaque(String className) {
    }

    /** A {@code torch.*Storage} class as it appears inside a persistent id. */
    record StorageType(String name) {
    }

    /** {@code collections.OrderedDict}; its extra state (a state dict's {@code _metadata}) is ignored. */
    static final class PickleDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** The longest module or class name accepted on a GLOBAL line. */
    private static final int MAX_NAME = 256;

    private final Map<String, Storage> storages;
    private final Limited limited;

    /**
     * @param storages shared by the pickles of one file, so that every reference to a key is
     *                 checked against the first
     */
    TorchUnpickler(Map<String, Storage> storages, Limited limited) {
        this.storages = storages;
        this.limited = limited;
    }

    Object load() throws IOException {
        return load(limited);
    }

    /**
     * The bytes one pickle may occupy: up to {@code available} (what is left of the file or
     * entry), and never more than {@code cap}. Reading past the cap is an error; past the end of
     * the data, a normal end of file.
     */
    static final class Limited extends InputStream {
        private final InputStream in;
        private final long available;
        private final long cap;
        private long consumed;

        Limited(InputStream in, long available, long cap) {
            this.in = in;
            this.available = available;
            this.cap = cap;
        }

        long remaining() {
            return Math.min(available, cap) - consumed;
        }

        /** Whether the data ends before the cap, so that reading too far means truncation. */
        boolean endsBeforeCap() {
            return available <= cap;
        }

        private void admit(long n) {
            if (consumed + n > cap) {
                throw new PickleException("the pickle is larger than " + cap + " bytes; expected the small pickle of a state dict");
            }
        }

        @Override
        public int read() throws IOException {
            if (consumed >= available) {
                return -1;
            }
            admit(1);
            int b = in.read();
            consumed += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long left = available - consumed;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            admit(n);
            int got = in.read(buf, off, n);
            consumed += Math.max(got, 0);
            return got;
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = readLine();
                stack.add(global(module, readLine()));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL without a module and a name");
                }
                stack.add(global(m, n));
            }
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(readCounted(readUint32())));
            case Opcodes.BINUNICODE -> stack.add(new String(readCounted(readUint32()), StandardCharsets.UTF_8));
            case Opcodes.BINUNICODE8 -> stack.add(new String(readCounted(readInt64()), StandardCharsets.UTF_8));
            case Opcodes.BINBYTES -> stack.add(readCounted(readUint32()));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(readCounted(readInt64()));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(readCounted(readUint32())));
            case Opcodes.BUILD -> {
                stack.pop();
                Object target = stack.peek();
                if (!(target instanceof PickleDict) && !(target instanceof Opaque)) {
                    throw new PickleException("BUILD on a " + typeName(target) + ", expected an object of a class");
                }
            }
            case Opcodes.INT, Opcodes.LONG, Opcodes.FLOAT, Opcodes.STRING, Opcodes.UNICODE, Opcodes.GET, Opcodes.PUT,
                    Opcodes.PERSID, Opcodes.INST, Opcodes.OBJ ->
                    throw new PickleException("text-mode opcode '" + (char) key + "', expected the binary pickle protocol that torch.save writes");
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // ('storage', storage_type, key, location, numel) in zip files; legacy files add view_metadata.
        if (!(pid instanceof Object[] id) || id.length < 5 || id.length > 6 || !"storage".equals(id[0])) {
            throw new PickleException("a persistent id that is not ('storage', type, key, location, size)");
        }
        if (!(id[1] instanceof StorageType type)) {
            throw new PickleException("a persistent id whose storage type is a " + typeName(id[1]) + ", expected torch.*Storage");
        }
        String key = storageKey(id[2]);
        long numel = nonNegative(id[4], "storage size");
        Storage root = storages.computeIfAbsent(key, k -> new Storage(k, type.name(), numel));
        if (!root.type().equals(type.name()) || root.numel() != numel) {
            throw new PickleException("storage " + WeightsFormatException.printable(key) + " is declared twice, as " + root.type() + "[" + root.numel() + "] and "
                    + type.name() + "[" + numel + "]");
        }
        if (id.length == 6 && id[5] != null) {
            if (!(id[5] instanceof Object[] view) || view.length != 3) {
                throw new PickleException("storage " + WeightsFormatException.printable(key) + " has view metadata that is not (key, offset, size)");
            }
            long offset = nonNegative(view[1], "view offset");
            long size = nonNegative(view[2], "view size");
            if (offset > numel || size > numel - offset) {
                throw new PickleException("a view of storage " + WeightsFormatException.printable(key) + " reaches past its " + numel + " elements");
            }
            return new StorageView(root, offset, size);
        }
        return new StorageView(root, 0, numel);
    }

    static String storageKey(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Integer || key instanceof Long) {
            return key.toString();
        }
        throw new PickleException("a storage key that is a " + typeName(key) + ", expected a string");
    }

    private Object global(String module, String name) {
        String full = module + "." + name;
        return switch (full) {
            case "collections.OrderedDict" -> (IObjectConstructor) TorchUnpickler::orderedDict;
            case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" -> (IObjectConstructor) TorchUnpickler::rebuildTensor;
            case "torch._utils._rebuild_parameter" -> (IObjectConstructor) TorchUnpickler::rebuildParameter;
            default -> module.equals("torch") && name.endsWith("Storage")
                    ? new StorageType(name)
                    : (IObjectConstructor) args -> new Opaque(full);
        };
    }

    /** OrderedDict() as Python 3 pickles it, or OrderedDict([[k, v], ...]) as Python 2 did. */
    private static Object orderedDict(Object[] args) {
        PickleDict dict = new PickleDict();
        if (args.length == 1 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                Object[] pair = item instanceof List<?> l ? l.toArray() : item instanceof Object[] a ? a : null;
                if (pair == null || pair.length != 2) {
                    throw new PickleException("OrderedDict items that are not (key, value) pairs");
                }
                dict.put(pair[0], pair[1]);
            }
        } else if (args.length != 0) {
            throw new PickleException("OrderedDict with " + args.length + " arguments, expected none or a list of pairs");
        }
        return dict;
    }

    /** _rebuild_tensor(storage, offset, size, stride) and _rebuild_tensor_v2(same, requires_grad, hooks[, metadata]). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageView storage)) {
            throw new PickleException("a tensor rebuilt without (storage, offset, size, stride)");
        }
        long offset = nonNegative(args[1], "tensor offset");
        long[] size = dims(args[2], "tensor size");
        long[] stride = dims(args[3], "tensor stride");
        if (size.length != stride.length) {
            throw new PickleException("a tensor with " + size.length + " sizes but " + stride.length + " strides");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    /** _rebuild_parameter(data, requires_grad, backward_hooks): the parameter's tensor. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef tensor)) {
            throw new PickleException("a parameter rebuilt without a tensor");
        }
        return tensor;
    }

    private static long[] dims(Object tuple, String what) {
        Object[] items = tuple instanceof Object[] a ? a : tuple instanceof List<?> l ? l.toArray() : null;
        if (items == null) {
            throw new PickleException("a " + what + " that is a " + typeName(tuple) + ", expected a tuple");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = nonNegative(items[i], what);
        }
        return out;
    }

    private static long nonNegative(Object value, String what) {
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
            return ((Number) value).longValue();
        }
        throw new PickleException("a " + what + " that is " + (value instanceof Number ? "out of range" : "a " + typeName(value))
                + ", expected a non-negative integer");
    }

    static String typeName(Object value) {
        return value == null ? "None" : value instanceof Opaque o ? WeightsFormatException.printable(o.className()) : value.getClass().getSimpleName();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = input.read(); c != '\n'; c = input.read()) {
            if (c < 0) {
                throw new IOException("the pickle ends inside a GLOBAL");
            }
            if (line.length() == MAX_NAME) {
                throw new PickleException("a GLOBAL name longer than " + MAX_NAME + " characters");
            }
            line.append((char) c);
        }
        return line.toString();
    }

    private long readUint32() throws IOException {
        return PickleUtils.bytes_to_uint(PickleUtils.readbytes(input, 4), 0);
    }

    private long readInt64() throws IOException {
        return PickleUtils.bytes_to_long(PickleUtils.readbytes(input, 8), 0);
    }

    /** Reads a length-prefixed payload after checking that the pickle holds that many bytes. */
    private byte[] readCounted(long length) throws IOException {
        if (length < 0 || length > limited.remaining()) {
            String problem = "an item of " + length + " bytes, but only " + limited.remaining() + " remain";
            if (limited.endsBeforeCap()) {
                throw new EOFException(problem);
            }
            throw new PickleException(problem);
        }
        return PickleUtils.readbytes(input, (int) length);
    }
}
