package io.descent.io;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/** Model weights on disk: reads safetensors or PyTorch .pth/.pt by extension, and loads them into a module by name. */
public final class Weights {
    private Weights() {}

    /** The state dict stored in {@code path} (.safetensors, or .pth/.pt written by torch.save). */
    public static LinkedHashMap<String, Tensor> read(Path path) throws IOException {
        return isSafetensors(path) ? Safetensors.read(path) : Pth.readStateDict(path);
    }

    /** Whether {@code path} names a PyTorch file (.pth, .pt, .bin), by its name. */
    public static boolean isPytorch(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".bin");
    }

    /** Whether {@code path} is an existing safetensors file (true) or PyTorch file (false); anything else is refused. */
    private static boolean isSafetensors(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("weights file not found: " + path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) return true;
        if (isPytorch(path)) return false;
        throw new IOException("unknown weights format for " + path + ": expected .safetensors, .pth or .pt");
    }

    /** Writes a module's state dict as safetensors, atomically. */
    public static void save(Module model, Path path) throws IOException {
        Safetensors.write(path, model.stateDict());
    }

    /** Writes a module's state dict as safetensors with {@code __metadata__}, atomically. */
    public static void save(Module model, Path path, Map<String, String> metadata) throws IOException {
        Safetensors.write(path, model.stateDict(), metadata);
    }

    /**
     * The shape of each tensor of a weights file, by name in file order, read from what describes
     * the tensors (a safetensors header, a PyTorch file's pickle); no tensor is read.
     */
    public static LinkedHashMap<String, int[]> shapes(Path path) throws IOException {
        if (!isSafetensors(path)) return Pth.shapes(path);
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : Safetensors.readHeader(path).entries()) out.put(e.name(), e.shape());
        return out;
    }

    /** The shape of each tensor of a state dict, by name in its order. */
    public static LinkedHashMap<String, int[]> shapesOf(Map<String, Tensor> state) {
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /** A weights file's {@code __metadata__} (safetensors; empty for PyTorch files and files without it). */
    public static Map<String, String> metadata(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".safetensors") || !Files.isRegularFile(path)) return Map.of();
        return Safetensors.readHeader(path).metadata();
    }

    /**
     * Loads {@code path} into {@code model} strictly (every key, every shape): the file is checked
     * by what describes its tensors, then each tensor is read straight into the model's own array,
     * so loading needs no second copy of the weights (vgg16: 528 MB less at the peak).
     */
    public static void load(Module model, Path path) throws IOException {
        load(model, path, true, List.of());
    }

    /**
     * {@link #load(Module, Path)} without the file's entries whose names start with one of
     * {@code skipPrefixes} (e.g. {@code "fc."} to keep a new head: the model's entries under them
     * keep their values); with {@code strict}, every other key must match the model exactly,
     * without it only the shapes of the keys both have. Nothing is read into the model unless
     * the file passes these checks (the messages of {@link Module#loadStateDict}).
     */
    public static Loaded load(Module model, Path path, boolean strict, List<String> skipPrefixes) throws IOException {
        Predicate<String> skipped = k -> skipPrefixes.stream().anyMatch(k::startsWith);
        return load(model, path, strict, k -> skipped.test(k) ? null : k, skipped);
    }

    /** The prefix torch.nn.DataParallel and DistributedDataParallel give every key of the module they wrap. */
    private static final String WRAPPED = "module.";

    /** A state dict's shapes without the {@code module.} prefix of a wrapped module's, when every key has it (else as they are). */
    public static Map<String, int[]> unwrapped(Map<String, int[]> shapes) {
        if (!isWrapped(shapes.keySet(), Set.of())) return shapes;
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        shapes.forEach((k, v) -> out.put(k.substring(WRAPPED.length()), v));
        return out;
    }

    /** Whether a file's keys all carry {@link #WRAPPED} and the model's none: a wrapped module's state dict, saved as it was. */
    private static boolean isWrapped(Set<String> fileKeys, Set<String> modelKeys) {
        return !fileKeys.isEmpty() && fileKeys.stream().allMatch(k -> k.startsWith(WRAPPED)) && modelKeys.stream().noneMatch(k -> k.startsWith(WRAPPED));
    }

    /**
     * Loads {@code path} into {@code model} under other names: each of the file's keys goes
     * through {@code rename} to the model's name for it (null: not loaded), e.g. a torchvision
     * detector's {@code backbone.body.conv1.weight} to {@code conv1.weight}. With {@code strict},
     * every renamed key must be the model's and every model key the file's, except those
     * {@code mayBeAbsent} accepts (they keep their values: a new head, or statistics the file does
     * not keep); shapes must match either way. As {@link #load(Module, Path)}, the checks come
     * first and the tensors go straight into the model's arrays. A state dict saved from a
     * module wrapped in DataParallel or DistributedDataParallel, every key under {@code module.}
     * (which the model's are not), is read without that prefix, as PyTorch's
     * {@code consume_prefix_in_state_dict_if_present} would strip it.
     */
    public static Loaded load(Module model, Path path, boolean strict, Function<String, String> rename, Predicate<String> mayBeAbsent)
            throws IOException {
        boolean safetensors = isSafetensors(path);
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>(), file = shapes(path);
        LinkedHashMap<String, Tensor> own = model.stateDict(), targets = new LinkedHashMap<>();
        boolean wrapped = isWrapped(file.keySet(), own.keySet());
        Set<String> loaded = new HashSet<>();
        file.forEach((fileKey, shape) -> {
            String k = rename.apply(wrapped ? fileKey.substring(WRAPPED.length()) : fileKey);
            if (k == null) return;
            if (shapes.put(k, shape) != null) throw new IllegalArgumentException(path + ": two tensors load into '" + k + "'");
            if (own.containsKey(k)) {
                targets.put(fileKey, own.get(k));
                loaded.add(k);
            }
        });
        own.forEach((k, t) -> {
            if (!shapes.containsKey(k) && mayBeAbsent.test(k)) shapes.put(k, t.shape()); // stays as it is
        });
        model.requireLoadable(shapes, strict);
        if (safetensors) Safetensors.readInto(path, targets);
        else Pth.readInto(path, targets);
        List<String> leftOut = file.keySet().stream().filter(k -> !targets.containsKey(k)).toList();
        return new Loaded(targets.size(), leftOut, own.keySet().stream().filter(k -> !loaded.contains(k)).toList());
    }

    /**
     * What a load did, as PyTorch's {@code load_state_dict} reports it: how many tensors were
     * read, the file's keys left out, and the model's keys that kept their own values.
     */
    public record Loaded(int tensors, List<String> leftOut, List<String> kept) {
        /** One line: the count, then each list by its keys' first name ({@code rpn.* (6)}). */
        public String summary() {
            return tensors + " tensors loaded" + (leftOut.isEmpty() ? "" : "; left out of the file: " + groups(leftOut))
                    + (kept.isEmpty() ? "" : "; the model's own: " + groups(kept));
        }

        private static String groups(List<String> keys) {
            Map<String, Integer> count = new LinkedHashMap<>();
            for (String k : keys) {
                String g = k.endsWith(".num_batches_tracked") ? "*.num_batches_tracked" : k.indexOf('.') < 0 ? k : k.substring(0, k.indexOf('.')) + ".*";
                count.merge(g, 1, Integer::sum);
            }
            List<String> out = new ArrayList<>();
            count.forEach((g, n) -> out.add(g + " (" + n + ")"));
            return String.join(", ", out);
        }
    }
}
