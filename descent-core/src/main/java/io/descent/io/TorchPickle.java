package io.descent.io;

import static io.descent.io.WeightsFormatException.quote;

import io.descent.io.Unpickler.Tuple;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only globals a pickled PyTorch state_dict or checkpoint needs, and what calling them means
 * ({@code torch/serialization.py} and {@code torch/_utils.py}):
 *
 * <ul>
 *   <li>{@code collections.OrderedDict()} &rarr; an empty dict (BUILD may then set its
 *       {@code _metadata} attribute, which Descent does not need and drops);</li>
 *   <li>{@code torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride,
 *       requires_grad, backward_hooks[, metadata])} &rarr; a {@link TensorRef};</li>
 *   <li>{@code torch._utils._rebuild_parameter(data, requires_grad, backward_hooks)} &rarr; its
 *       data;</li>
 *   <li>the storage classes {@code torch.FloatStorage}, {@code HalfStorage},
 *       {@code BFloat16Storage}, {@code DoubleStorage}, {@code LongStorage}, {@code IntStorage},
 *       {@code ShortStorage}, {@code CharStorage}, {@code ByteStorage}, {@code BoolStorage},
 *       named in persistent ids {@code ('storage', StorageClass, key, location, numel)} that
 *       point at the zip entry {@code data/<key>};</li>
 *   <li>dtype objects such as {@code torch.float32} (read as a {@link DType}).</li>
 * </ul>
 *
 * Any other global is refused with {@code unsupported pickle global module.name} (in particular
 * {@code torch.storage._load_from_bytes}, which runs a nested unpickler, and anything that could
 * execute code). {@link Pth} checks each storage's declared element count against its zip
 * entry, and each tensor it loads against its storage ({@link TensorRef#checkedNumel}).
 */
final class TorchPickle implements Unpickler.Resolver {
    /** A storage: zip entry {@code data/<key>} holding {@code numel} elements of {@code dtype}. */
    record StorageRef(String key, DType dtype, long numel) {}

    /**
     * A strided view of a storage, as torch stores tensors; identical views are one instance.
     * Its elements are {@code storage[offset + sum(i_d * stride[d])]}.
     */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
        /**
         * The element count, after checking that it fits a Java array and that every element
         * lies inside the storage (overflow-safe).
         *
         * @param what names the tensor in messages, e.g. {@code "tensor 'fc.weight'"}
         */
        int checkedNumel(String what) throws WeightsFormatException {
            int numel = Sizes.numel(size, what);
            if (numel == 0) return 0;
            long last = offset;
            try {
                for (int d = 0; d < size.length; d++) last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
            if (last >= storage.numel()) {
                throw new WeightsFormatException(what + ": size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                        + " and offset " + offset + " reach element " + (last == Long.MAX_VALUE ? "beyond 2^63" : last)
                        + " but storage " + quote(storage.key()) + " holds " + storage.numel());
            }
            return numel;
        }
    }

    private enum Callable { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER }

    private record StorageClass(DType dtype) {}

    private final Map<String, StorageRef> storages = new LinkedHashMap<>();
    private final Map<List<Object>, TensorRef> views = new HashMap<>();

    /** The storages the pickle referred to, by key. */
    Collection<StorageRef> storages() {
        return storages.values();
    }

    @Override
    public Object global(String module, String name) throws WeightsFormatException {
        switch (module) {
            case "collections" -> {
                if (name.equals("OrderedDict")) return Callable.ORDERED_DICT;
            }
            case "torch._utils" -> {
                if (name.equals("_rebuild_tensor_v2")) return Callable.REBUILD_TENSOR_V2;
                if (name.equals("_rebuild_parameter")) return Callable.REBUILD_PARAMETER;
            }
            case "torch" -> {
                DType storage = DType.ofStorage(name);
                if (storage != null) return new StorageClass(storage);
                DType dtype = DType.ofTorch(name);
                if (dtype != null) return dtype;
            }
            default -> { }
        }
        // a model class: the file holds a whole pickled model (torch.save(model)), not a state dict
        String hint = module.startsWith("torch.nn.") || module.startsWith("torchvision.")
                ? " (a whole model saved by torch.save(model)? save its state_dict() instead: torch.save(model.state_dict(), path))" : "";
        throw new WeightsFormatException("unsupported pickle global " + WeightsFormatException.clip(module + "." + name) + hint);
    }

    @Override
    public Object reduce(Object callable, Tuple args) throws WeightsFormatException {
        if (!(callable instanceof Callable c)) throw new WeightsFormatException("cannot call a " + Unpickler.typeName(callable));
        return switch (c) {
            case ORDERED_DICT -> {
                if (args.size() != 0) throw new WeightsFormatException("OrderedDict with constructor arguments is not supported");
                yield new LinkedHashMap<>();
            }
            case REBUILD_PARAMETER -> {
                if (args.size() != 3 || !(args.get(0) instanceof TensorRef t)) {
                    throw new WeightsFormatException("_rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
                }
                yield t;
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
        };
    }

    private TensorRef rebuildTensor(Tuple a) throws WeightsFormatException {
        if ((a.size() != 6 && a.size() != 7) || !(a.get(0) instanceof StorageRef storage) || !(a.get(1) instanceof Long offset)
                || !(a.get(2) instanceof Tuple sizeT) || !(a.get(3) instanceof Tuple strideT) || !(a.get(4) instanceof Boolean)) {
            throw new WeightsFormatException("_rebuild_tensor_v2 expects (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])");
        }
        if (!(a.get(5) instanceof Map<?, ?> hooks) || !hooks.isEmpty()) throw new WeightsFormatException("tensor with backward hooks is not supported");
        long[] size = longs(sizeT, "size"), stride = longs(strideT, "stride");
        if (size.length != stride.length) {
            throw new WeightsFormatException("tensor size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        if (offset < 0) throw new WeightsFormatException("tensor with negative storage offset " + offset);
        List<Object> key = List.of(storage.key(), offset, Arrays.stream(size).boxed().toList(), Arrays.stream(stride).boxed().toList());
        TensorRef seen = views.get(key);
        if (seen != null) return seen;
        TensorRef t = new TensorRef(storage, offset, size, stride);
        views.put(key, t);
        return t;
    }

    private static long[] longs(Tuple t, String what) throws WeightsFormatException {
        if (t.size() > 64) throw new WeightsFormatException("tensor " + what + " has " + t.size() + " dimensions");
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v) || v < 0) throw new WeightsFormatException("tensor " + what + " is not a tuple of non-negative ints");
            out[i] = v;
        }
        return out;
    }

    @Override
    public void build(Object obj, Object state) throws WeightsFormatException {
        if (!(obj instanceof LinkedHashMap<?, ?>) || !(state instanceof Map<?, ?>)) {
            throw new WeightsFormatException("BUILD of a " + Unpickler.typeName(obj) + " is not supported");
        }
    }

    @Override
    public Object persistentLoad(Object pid) throws WeightsFormatException {
        if (!(pid instanceof Tuple t) || t.size() != 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof StorageClass type)
                || !(t.get(2) instanceof String key) || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new WeightsFormatException("persistent id is not ('storage', StorageClass, key, location, numel)");
        }
        if (numel > Long.MAX_VALUE / type.dtype().size()) throw new WeightsFormatException("storage " + quote(key) + " declares " + numel + " elements");
        StorageRef ref = new StorageRef(key, type.dtype(), numel);
        StorageRef prev = storages.putIfAbsent(key, ref);
        if (prev != null && !prev.equals(ref)) {
            throw new WeightsFormatException("storage " + quote(key) + " is declared as both " + prev.dtype() + "[" + prev.numel() + "] and "
                    + ref.dtype() + "[" + numel + "]");
        }
        return prev != null ? prev : ref;
    }
}
