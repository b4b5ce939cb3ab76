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

/** Model weights on disk: reads safetensors or PyTorch .pth/.pt by extension, and loads them into a module by name. */
public final class Weights {
    private Weights() {}

    /** The state dict stored in {@code path} (.safetensors, or .pth/.pt written by torch.save). */
    public static LinkedHashMap<String, Tensor> read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("weights file not found: " + path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) return Safetensors.read(path);
        if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".bin")) return Pth.readStateDict(path);
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
     * The shape of each tensor of a weights file, by name in file order: a safetensors file's
     * header alone (no tensor is read), a PyTorch file read whole.
     */
    public static LinkedHashMap<String, int[]> shapes(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors") && Files.isRegularFile(path)) {
            LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : Safetensors.readHeader(path).entries()) out.put(e.name(), e.shape());
            return out;
        }
        return shapesOf(read(path));
    }

    /** The shape of each tensor of a state dict, by name in its order. */
    public static LinkedHashMap<String, int[]> shapesOf(Map<String, Tensor> state) {
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /**
     * Loads {@code path} into {@code model} strictly (every key, every shape). A safetensors file
     * is checked by its header, then read straight into the model's own arrays, so loading needs
     * no second copy of the weights (vgg16: 528 MB less at the peak); a PyTorch file is read, then
     * copied.
     */
    public static void loadInto(Module model, Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".safetensors")) {
            load(model, path, true, List.of());
            return;
        }
        if (!Files.isRegularFile(path)) throw new IOException("weights file not found: " + path);
        model.requireLoadable(shapes(path), true);
        Safetensors.readInto(path, model.stateDict());
    }

    /** A weights file's {@code __metadata__} (safetensors; empty for PyTorch files and files without it). */
    public static Map<String, String> metadata(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".safetensors") || !Files.isRegularFile(path)) return Map.of();
        return Safetensors.readHeader(path).metadata();
    }

    /**
     * Loads {@code path} into {@code model}. Entries whose names start with one of
     * {@code skipPrefixes} are dropped first (e.g. {@code "fc."} to keep a new head); with
     * {@code strict}, every other key must match the model exactly.
     */
    public static void load(Module model, Path path, boolean strict, List<String> skipPrefixes) throws IOException {
        load(model, read(path), strict, skipPrefixes);
    }

    /** {@link #load(Module, Path, boolean, List)} from a state dict already read. */
    public static void load(Module model, Map<String, Tensor> state, boolean strict, List<String> skipPrefixes) {
        if (!skipPrefixes.isEmpty()) {
            state = new LinkedHashMap<>(state);
            state.keySet().removeIf(k -> skipPrefixes.stream().anyMatch(k::startsWith));
            if (strict) {
                // the model's own entries under the skipped prefixes are expected to be absent
                Map<String, Tensor> own = model.stateDict();
                for (String k : own.keySet()) if (skipPrefixes.stream().anyMatch(k::startsWith)) state.put(k, own.get(k));
            }
        }
        model.loadStateDict(state, strict);
    }

    public static void load(Module model, Path path) throws IOException {
        load(model, path, true, List.of());
    }
}
