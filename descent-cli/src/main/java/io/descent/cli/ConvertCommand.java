package io.descent.cli;

import io.descent.io.Pth;
import io.descent.io.Safetensors;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent convert IN.pth OUT.safetensors}: a PyTorch state_dict (or the state_dict inside
 * a checkpoint dict) to safetensors, keys and order unchanged, every tensor stored as F32
 * (PyTorch's {@code load_state_dict} casts back to each buffer's dtype, e.g. int64
 * {@code num_batches_tracked}). The output is written atomically.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert PyTorch weights (.pth/.pt, torch.save zip format) to safetensors.")
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.pth", description = "A file written by torch.save: a state_dict or a checkpoint dict holding one.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.safetensors", description = "The safetensors file to write (replaced atomically).")
    Path out;

    @Option(names = "--key", paramLabel = "NAME",
            description = "Top-level key of the checkpoint dict that holds the state_dict (default: found automatically).")
    String key;

    @Override
    public Integer call() throws Exception {
        LinkedHashMap<String, Tensor> state = key == null ? Pth.readStateDict(in) : Pth.readStateDict(in, key);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("source", String.valueOf(in.getFileName()));
        Safetensors.write(out, state, metadata);
        long values = 0;
        for (Tensor t : state.values()) values += t.numel();
        System.out.printf("converted %d tensors (%,d values) from %s to %s%n", state.size(), values, in, out);
        return 0;
    }
}
