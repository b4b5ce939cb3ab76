package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Safetensors;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferCommandTest {
    private static final Path GOLDEN = Cli.CORE_RESOURCES.resolve("golden");

    @Test
    void reproducesPyTorchLogitsFromATorchSaveFile(@TempDir Path dir) throws Exception {
        // the fixture holds x and PyTorch's logits under "x" and "logits"
        Path in = GOLDEN.resolve("small_cnn12_logits.safetensors"), out = dir.resolve("y.safetensors");
        Cli.Run r = Cli.run("infer", "--model", "small-cnn", "--weights", GOLDEN.resolve("small_cnn12.pth").toString(),
                "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[3, 1, 12, 12] -> [3, 10]"), r.out());
        float[] expected = Safetensors.read(in).get("logits").data();
        Tensor y = Safetensors.read(out).get("y");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], y.data()[i], 1e-5 + 1e-4 * Math.abs(expected[i]));
    }

    @Test
    void missingInputKeyIsOneLine(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.safetensors");
        Safetensors.write(in, Map.of("z", Tensor.zeros(1, 1, 12, 12)));
        Cli.Run r = Cli.run("infer", "--model", "small-cnn", "--weights", GOLDEN.resolve("small_cnn12.pth").toString(),
                "--input", in.toString(), "--output", dir.resolve("y.safetensors").toString());
        assertEquals(1, r.code());
        assertEquals("descent: " + in + " has no tensor under key 'x' (keys: [z])", r.err().strip());
    }
}
