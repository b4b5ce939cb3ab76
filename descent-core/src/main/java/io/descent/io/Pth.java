package io.descent.io;

import static io.descent.io.WeightsFormatException.clip;
import static io.descent.io.WeightsFormatException.quote;

import io.descent.io.TorchPickle.StorageRef;
import io.descent.io.TorchPickle.TensorRef;
import io.descent.io.Unpickler.Tuple;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Imports PyTorch {@code .pth}/{@code .pt} files in the zip format {@code torch.save} writes
 * since PyTorch 1.6 ({@code torch/serialization.py}, {@code caffe2/serialize/inline_container.h}):
 *
 * <pre>
 * NAME/data.pkl      the pickled object (protocol 2 by default), tensors as persistent ids
 * NAME/data/KEY      one uncompressed (STORED) entry per storage, little-endian elements
 * NAME/version       the serialization version; NAME/byteorder (PyTorch 2.1+): "little"
 * </pre>
 *
 * The folder NAME varies (the file's base name, or {@code archive}). The pickle is evaluated by
 * the restricted {@link Unpickler} with an allow-list of the globals a state_dict needs
 * ({@code TorchPickle}). Before any tensor is allocated, every storage the pickle names must be
 * a STORED entry no larger than the file, holding at least the elements the pickle declares;
 * every tensor view must lie inside its storage (strides and offsets are honoured;
 * non-contiguous views are gathered into dense tensors), which a refusal names by its key path
 * ({@code 'model.fc.weight'}); and the views materialised may hold at most
 * {@value #VIEW_AMPLIFICATION} times the elements of their storages (plus {@value #VIEW_SLACK}),
 * so a few bytes of broadcast views (stride 0) cannot claim gigabytes. Object trees nested
 * deeper than {@value #MAX_DEPTH} or cyclic are refused. Tensors of every dtype are read as
 * float32 ({@link DType}). Not supported, with a message saying so: the legacy pre-1.6 format,
 * TorchScript archives, compressed storages and big-endian files.
 */
public final class Pth {
    /** Largest {@code data.pkl} accepted (ResNet-50's state_dict pickle is 39 KB). */
    static final int MAX_PICKLE_BYTES = 64 << 20;
    /** Deepest nesting of dicts, lists and tuples in the unpickled object. */
    static final int MAX_DEPTH = 100;
    static final int VIEW_AMPLIFICATION = 4;
    static final int VIEW_SLACK = 1 << 20;
    /** Bytes a contiguous view is streamed through when read into a model's array. */
    static final int CHUNK = 1 << 20;
    /** Keys under which checkpoints conventionally keep the model's state_dict, in order of preference. */
    static final List<String> STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model", "module", "net");

    private Pth() {}

    /**
     * The whole unpickled object: dicts as {@link LinkedHashMap}, lists and tuples as
     * {@link List}, tensors as float32 {@link Tensor}, ints as {@link Long}, floats as
     * {@link Double}, strings, booleans, dtypes as {@link DType} and None as null.
     */
    public static Object read(Path path) throws IOException {
        try (Archive a = Archive.open(path)) {
            return a.materialise(a.root);
        }
    }

    /**
     * The state_dict in a file: the top-level dict when all its values are tensors, else the
     * tensor dict under the first of {@link #STATE_DICT_KEYS} present, else the only tensor dict
     * among the top-level values (e.g. {@code {"state_dict": ..., "epoch": 3}}). Only that dict's
     * tensors are loaded.
     */
    public static LinkedHashMap<String, Tensor> readStateDict(Path path) throws IOException {
        try (Archive a = Archive.open(path)) {
            return a.stateDict(findStateDict(a.root, path));
        }
    }

    /**
     * The shape of each tensor of the state_dict {@link #readStateDict(Path)} finds, by key in
     * the file's order, with every view checked against its storage; no storage is read.
     */
    public static LinkedHashMap<String, int[]> shapes(Path path) throws IOException {
        try (Archive a = Archive.open(path)) {
            LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
            a.views(findStateDict(a.root, path)).forEach((k, r) -> out.put(k, Sizes.toInts(r.size())));
            return out;
        }
    }

    /**
     * Reads each tensor of the state_dict {@link #readStateDict(Path)} finds that {@code targets}
     * holds under its key straight into that tensor's array, converted to float32: a contiguous
     * view streams from its zip entry through a bounded buffer, so loading a model needs the
     * model's memory only, not the model's and the file's (vgg16: 528 MB). Keys without a target
     * are skipped. The caller has checked the shapes ({@code Module.requireLoadable}); a
     * mismatch here is refused before anything is read.
     */
    public static void readInto(Path path, Map<String, Tensor> targets) throws IOException {
        try (Archive a = Archive.open(path)) {
            a.readInto(a.views(findStateDict(a.root, path)), targets);
        }
    }

    /** The state_dict stored under the top-level key {@code key} of a checkpoint dict. */
    public static LinkedHashMap<String, Tensor> readStateDict(Path path, String key) throws IOException {
        try (Archive a = Archive.open(path)) {
            if (!(a.root instanceof Map<?, ?> top)) throw new WeightsFormatException(path + ": holds a " + Unpickler.typeName(a.root) + ", not a dict");
            if (!top.containsKey(key)) throw new WeightsFormatException(path + ": has no key " + quote(key) + " (its keys: " + keys(top) + ")");
            if (!isTensorDict(top.get(key))) throw new WeightsFormatException(path + ": " + quote(key) + " is not a dict of tensors");
            return a.stateDict(top.get(key));
        }
    }

    private static Object findStateDict(Object root, Path path) throws WeightsFormatException {
        if (isTensorDict(root)) return root;
        if (!(root instanceof Map<?, ?> top)) throw new WeightsFormatException(path + ": holds a " + Unpickler.typeName(root) + ", not a state_dict");
        for (String k : STATE_DICT_KEYS) {
            if (isTensorDict(top.get(k))) return top.get(k);
        }
        List<?> found = top.values().stream().filter(Pth::isTensorDict).toList();
        if (found.size() == 1) return found.get(0);
        throw new WeightsFormatException(path + ": cannot tell which entry holds the state_dict (keys: " + keys(top)
                + "); name it explicitly");
    }

    /** A dict from string keys to tensors (as the pickle left them). */
    private static boolean isTensorDict(Object o) {
        if (!(o instanceof Map<?, ?> m)) return false;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TensorRef)) return false;
        }
        return true;
    }

    private static String keys(Map<?, ?> m) {
        return m.keySet().stream().limit(20).map(WeightsFormatException::clip).toList() + (m.size() > 20 ? " and " + (m.size() - 20) + " more" : "");
    }

    /** An open, checked archive: the unpickled object with its tensors still unread. */
    private static final class Archive implements AutoCloseable {
        private final Path path;
        private final ZipFile zip;
        private final String prefix;
        private final long fileSize;
        private Object root;

        private Archive(Path path, ZipFile zip, String prefix) throws IOException {
            this.path = path;
            this.zip = zip;
            this.prefix = prefix;
            this.fileSize = Files.size(path);
        }

        static Archive open(Path path) throws IOException {
            checkMagic(path);
            ZipFile zip;
            try {
                zip = new ZipFile(path.toFile());
            } catch (ZipException e) {
                throw new WeightsFormatException(path + ": not a valid zip archive (truncated or corrupt): " + e.getMessage(), e);
            }
            try {
                Archive a = new Archive(path, zip, findPrefix(zip, path));
                a.load();
                return a;
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        private static void checkMagic(Path path) throws IOException {
            byte[] head;
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(4);
            }
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return;
            if (head.length > 0 && (head[0] & 0xff) == 0x80) {
                throw new WeightsFormatException(path + ": legacy torch.save format (before PyTorch 1.6) is not supported;"
                        + " load and re-save it with a current PyTorch");
            }
            throw new WeightsFormatException(path + ": not a PyTorch zip archive (no zip signature)");
        }

        /** The folder holding data.pkl: exactly one top-level {@code NAME/data.pkl}. */
        private static String findPrefix(ZipFile zip, Path path) throws WeightsFormatException {
            List<String> found = new ArrayList<>();
            boolean torchScript = false;
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                String name = it.nextElement().getName();
                int slash = name.indexOf('/');
                if (slash > 0 && name.indexOf('/', slash + 1) < 0) {
                    String file = name.substring(slash + 1);
                    if (file.equals("data.pkl")) found.add(name.substring(0, slash + 1));
                    if (file.equals("constants.pkl")) torchScript = true;
                }
            }
            if (torchScript) {
                throw new WeightsFormatException(path + ": a TorchScript archive (torch.jit.save) is not supported;"
                        + " save the model's state_dict() with torch.save instead");
            }
            if (found.size() != 1) {
                throw new WeightsFormatException(path + ": expected one NAME/data.pkl entry, found " + found.size());
            }
            return found.get(0);
        }

        private void load() throws IOException {
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null) {
                String order = new String(read(byteorder, 16), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) throw new WeightsFormatException(path + ": byteorder " + quote(order) + " is not supported (little-endian only)");
            }
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = read(pkl, MAX_PICKLE_BYTES);
            TorchPickle torch = new TorchPickle();
            root = Unpickler.load(pickle, torch, Unpickler.Limits.DEFAULT, path.toString());
            for (StorageRef s : torch.storages()) checkStorage(s);
        }

        /** An entry's bytes, refusing one larger than {@code max}. */
        private byte[] read(ZipEntry e, int max) throws IOException {
            if (e.getSize() > max) throw new WeightsFormatException(path + ": " + clip(e.getName()) + " is " + e.getSize() + " bytes, over the limit of " + max);
            try (InputStream in = zip.getInputStream(e)) {
                byte[] b = in.readNBytes(max + 1);
                if (b.length > max) throw new WeightsFormatException(path + ": " + clip(e.getName()) + " is over the limit of " + max + " bytes");
                return b;
            } catch (ZipException ex) {
                throw new WeightsFormatException(path + ": cannot read " + clip(e.getName()) + ": " + ex.getMessage(), ex);
            }
        }

        private void checkStorage(StorageRef s) throws WeightsFormatException {
            ZipEntry e = storageEntry(s);
            String name = clip(prefix + "data/" + s.key());
            if (e == null) throw new WeightsFormatException(path + ": storage " + quote(s.key()) + " has no entry " + name);
            if (e.getMethod() != ZipEntry.STORED) {
                throw new WeightsFormatException(path + ": storage entry " + name + " is compressed; torch.save stores storages uncompressed");
            }
            long need = s.numel() * s.dtype().size();
            if (e.getSize() < need || e.getSize() > fileSize) {
                throw new WeightsFormatException(path + ": storage entry " + name + " holds " + e.getSize() + " bytes but the pickle declares "
                        + s.numel() + " " + s.dtype() + " elements (" + need + " bytes)");
            }
            if (need > Sizes.MAX_ELEMENTS) throw new WeightsFormatException(path + ": storage " + quote(s.key()) + " is larger than 2 GiB");
        }

        private ZipEntry storageEntry(StorageRef s) {
            return zip.getEntry(prefix + "data/" + s.key());
        }

        /** Loads the tensors of a dict the finder accepted. */
        @SuppressWarnings("unchecked")
        LinkedHashMap<String, Tensor> stateDict(Object dict) throws IOException {
            return (LinkedHashMap<String, Tensor>) materialise(dict);
        }

        /**
         * Converts {@code o} to plain Java values with its tensors loaded: first a pass that
         * checks the tree and every view it reaches (named by its key path), then the size
         * budget, then one read per storage, then the conversion.
         */
        Object materialise(Object o) throws IOException {
            Map<TensorRef, Integer> numel = new IdentityHashMap<>();
            Map<StorageRef, List<TensorRef>> byStorage = new LinkedHashMap<>();
            convert(o, (r, key) -> {
                if (!numel.containsKey(r)) {
                    numel.put(r, r.checkedNumel(path + ": tensor " + quote(key)));
                    byStorage.computeIfAbsent(r.storage(), s -> new ArrayList<>()).add(r);
                }
                return r;
            });
            long storageElements = 0, viewElements = 0;
            for (StorageRef s : byStorage.keySet()) storageElements += s.numel();
            for (int n : numel.values()) viewElements += n;
            if (viewElements > VIEW_AMPLIFICATION * storageElements + VIEW_SLACK) {
                throw new WeightsFormatException(path + ": tensors claim " + viewElements + " elements from storages holding only "
                        + storageElements + " (more than " + VIEW_AMPLIFICATION + "x)");
            }
            Map<TensorRef, Tensor> tensors = new IdentityHashMap<>();
            for (Map.Entry<StorageRef, List<TensorRef>> e : byStorage.entrySet()) {
                // contiguous views stream from the entry; a storage is read whole only for a strided one
                ByteBuffer data = e.getValue().stream().allMatch(Archive::contiguous) ? null : readStorage(e.getKey());
                for (TensorRef r : e.getValue()) {
                    float[] out = new float[numel.get(r)];
                    if (data == null) {
                        if (out.length > 0) stream(r, out);
                    } else {
                        gather(r, out, data);
                    }
                    tensors.put(r, Tensor.wrap(out, Sizes.toInts(r.size())));
                }
            }
            return convert(o, (r, key) -> tensors.get(r));
        }

        /** A state_dict's views by key, each checked against its storage (a refusal names the key). */
        LinkedHashMap<String, TensorRef> views(Object dict) throws WeightsFormatException {
            LinkedHashMap<String, TensorRef> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) dict).entrySet()) {
                String key = (String) e.getKey();
                TensorRef r = (TensorRef) e.getValue();
                r.checkedNumel(path + ": tensor " + quote(key));
                out.put(key, r);
            }
            return out;
        }

        void readInto(Map<String, TensorRef> views, Map<String, Tensor> targets) throws IOException {
            for (Map.Entry<String, TensorRef> e : views.entrySet()) {
                Tensor t = targets.get(e.getKey());
                int[] shape = Sizes.toInts(e.getValue().size());
                if (t != null && !Arrays.equals(t.shape(), shape)) {
                    throw new IllegalArgumentException(path + ": " + quote(e.getKey()) + " is " + Shape.str(shape) + ", its target " + Shape.str(t.shape()));
                }
            }
            for (Map.Entry<String, TensorRef> e : views.entrySet()) {
                Tensor t = targets.get(e.getKey());
                if (t == null || t.numel() == 0) continue;
                TensorRef r = e.getValue();
                if (contiguous(r)) stream(r, t.data());
                else gather(r, t.data(), readStorage(r.storage()));
            }
        }

        /** A contiguous view's elements, read from its storage entry {@value #CHUNK} bytes at a time. */
        private void stream(TensorRef r, float[] out) throws IOException {
            DType dtype = r.storage().dtype();
            ZipEntry e = storageEntry(r.storage());
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, (long) out.length * dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = chunk.capacity() / dtype.size();
            try (InputStream in = zip.getInputStream(e)) {
                in.skipNBytes(r.offset() * dtype.size());
                for (int done = 0; done < out.length; ) {
                    int n = Math.min(perChunk, out.length - done), bytes = n * dtype.size();
                    if (in.readNBytes(chunk.array(), 0, bytes) != bytes) throw new WeightsFormatException(path + ": storage entry " + clip(e.getName()) + " is truncated");
                    dtype.decode(chunk.clear().limit(bytes), out, done, n);
                    done += n;
                }
            } catch (ZipException | EOFException ex) {
                throw new WeightsFormatException(path + ": cannot read " + clip(e.getName()) + ": " + ex.getMessage(), ex);
            }
        }

        private ByteBuffer readStorage(StorageRef s) throws IOException {
            ZipEntry e = storageEntry(s);
            int need = Math.toIntExact(s.numel() * s.dtype().size());
            byte[] b = new byte[need];
            try (InputStream in = zip.getInputStream(e)) {
                if (in.readNBytes(b, 0, need) != need) throw new WeightsFormatException(path + ": storage entry " + clip(e.getName()) + " is truncated");
            } catch (ZipException ex) {
                throw new WeightsFormatException(path + ": cannot read " + clip(e.getName()) + ": " + ex.getMessage(), ex);
            }
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** What a tensor view becomes, given its key path ({@code "fc.weight"}, {@code "groups[0].w"}). */
        private interface Leaf {
            Object apply(TensorRef ref, String key) throws WeightsFormatException;
        }

        private Object convert(Object o, Leaf tensor) throws WeightsFormatException {
            return convert(o, "", tensor, 0, new IdentityHashMap<>(), Collections.newSetFromMap(new IdentityHashMap<>()));
        }

        /** A copy of the tree with tensors replaced; shared subtrees stay shared, cycles and deep nesting are refused. */
        private Object convert(Object o, String key, Leaf tensor, int depth, Map<Object, Object> done, Set<Object> open)
                throws WeightsFormatException {
            if (o instanceof TensorRef r) return tensor.apply(r, key);
            if (o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof DType) return o;
            if (!(o instanceof Map<?, ?> || o instanceof List<?> || o instanceof Tuple)) {
                throw new WeightsFormatException(path + ": the pickle holds a bare " + Unpickler.typeName(o) + ", which is not data");
            }
            if (done.containsKey(o)) return done.get(o);
            if (depth >= MAX_DEPTH) throw new WeightsFormatException(path + ": objects nested deeper than " + MAX_DEPTH);
            if (!open.add(o)) throw new WeightsFormatException(path + ": the object graph is cyclic");
            Object out;
            if (o instanceof Map<?, ?> m) {
                Map<Object, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String child = clip(key.isEmpty() ? clip(e.getKey()) : key + "." + clip(e.getKey()));
                    copy.put(e.getKey(), convert(e.getValue(), child, tensor, depth + 1, done, open));
                }
                out = copy;
            } else {
                List<?> items = o instanceof Tuple t ? t.items() : (List<?>) o;
                List<Object> copy = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) copy.add(convert(items.get(i), clip(key + "[" + i + "]"), tensor, depth + 1, done, open));
                out = o instanceof Tuple ? Collections.unmodifiableList(copy) : copy;
            }
            open.remove(o);
            done.put(o, out);
            return out;
        }

        /** The view's elements in row-major order, converted to float32, into {@code out}. */
        private static void gather(TensorRef r, float[] out, ByteBuffer storage) {
            DType dtype = r.storage().dtype();
            int es = dtype.size();
            int[] size = Sizes.toInts(r.size());
            long[] stride = r.stride();
            if (isContiguous(size, stride)) {
                dtype.decode(storage.duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) (r.offset() * es)), out, 0, out.length);
                return;
            }
            int[] idx = new int[size.length];
            long pos = r.offset();
            for (int k = 0; k < out.length; k++) {
                out[k] = dtype.get(storage, (int) (pos * es));
                for (int d = size.length - 1; d >= 0; d--) {
                    pos += stride[d];
                    if (++idx[d] < size[d]) break;
                    pos -= stride[d] * size[d];
                    idx[d] = 0;
                }
            }
        }

        private static boolean contiguous(TensorRef r) {
            return isContiguous(Sizes.toInts(r.size()), r.stride());
        }

        private static boolean isContiguous(int[] size, long[] stride) {
            long expect = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                if (size[d] != 1 && stride[d] != expect) return false;
                expect *= size[d];
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
