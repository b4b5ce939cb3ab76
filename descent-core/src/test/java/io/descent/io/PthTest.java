package io.descent.io;

import static io.descent.io.Fixtures.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PthTest {
    @TempDir
    Path dir;

    @Test
    void readsABatchNormStateDict() throws IOException {
        LinkedHashMap<String, Tensor> sd = Pth.readStateDict(Fixtures.copy("bn_state.pth", dir));
        assertSameTensors(Fixtures.expected("bn", dir), sd);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "4.weight", "4.bias"), List.copyOf(sd.keySet()));
        Tensor tracked = sd.get("1.num_batches_tracked");
        assertArrayEquals(new int[0], tracked.shape());
        assertEquals(2f, tracked.item());
    }

    @Test
    void honoursStridesAndStorageOffsets() throws IOException {
        LinkedHashMap<String, Tensor> sd = Pth.readStateDict(Fixtures.copy("views.pth", dir));
        assertSameTensors(Fixtures.expected("views", dir), sd);
        assertArrayEquals(new int[] {6, 4}, sd.get("transposed").shape());
        assertArrayEquals(new float[] {-1.5f, 0f, 1.5f, 3f}, sd.get("column").data());
        assertArrayEquals(new float[] {1, 1, 1, 1, -2, -2, -2, -2, 3, 3, 3, 3}, sd.get("expanded").data());
        assertArrayEquals(new int[] {0, 3}, sd.get("empty").shape());
    }

    @Test
    void convertsEveryDtypeAsPytorchDoes() throws IOException {
        assertSameTensors(Fixtures.expected("dtypes", dir), Pth.readStateDict(Fixtures.copy("dtypes.pth", dir)));
    }

    @Test
    void readsProtocol4Pickles() throws IOException {
        assertSameTensors(Fixtures.expected("checkpoint", dir), Pth.readStateDict(Fixtures.copy("proto4.pth", dir)));
    }

    @Test
    void findsTheStateDictInACheckpointAndReadsTheWholeTree() throws IOException {
        Path p = Fixtures.copy("checkpoint.pth", dir);
        Map<String, Tensor> expected = Fixtures.expected("checkpoint", dir);
        assertSameTensors(expected, Pth.readStateDict(p));
        assertSameTensors(expected, Pth.readStateDict(p, "state_dict"));
        Map<?, ?> all = (Map<?, ?>) Pth.read(p);
        assertEquals(List.of("state_dict", "epoch", "lr", "name", "betas", "history", "done", "note"), List.copyOf(all.keySet()));
        assertEquals(3L, all.get("epoch"));
        assertEquals(0.1, all.get("lr"));
        assertEquals("run-1", all.get("name"));
        assertEquals(List.of(0.9, 0.999), all.get("betas"));
        assertEquals(List.of(1.5, 0.5), all.get("history"));
        assertEquals(true, all.get("done"));
        assertEquals(null, all.get("note"));
        assertTrue(((Map<?, ?>) all.get("state_dict")).get("weight") instanceof Tensor);
        assertEquals("has no key 'model' (its keys: [state_dict, epoch, lr, name, betas, history, done, note])",
                refusal(p, () -> Pth.readStateDict(p, "model")));
        assertEquals("'epoch' is not a dict of tensors", refusal(p, () -> Pth.readStateDict(p, "epoch")));
    }

    @Test
    void readsInPlaceWhatReadStateDictReads() throws IOException {
        for (String name : List.of("bn_state.pth", "views.pth", "dtypes.pth", "proto4.pth", "checkpoint.pth")) {
            Path p = Fixtures.copy(name, dir);
            LinkedHashMap<String, Tensor> expected = Pth.readStateDict(p);
            LinkedHashMap<String, int[]> shapes = Pth.shapes(p);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(shapes.keySet()), name);
            LinkedHashMap<String, Tensor> targets = new LinkedHashMap<>();
            shapes.forEach((k, shape) -> targets.put(k, Tensor.full(Float.NaN, shape)));
            Map<String, float[]> arrays = new LinkedHashMap<>();
            targets.forEach((k, t) -> arrays.put(k, t.data()));
            Pth.readInto(p, targets);
            assertSameTensors(expected, targets);
            targets.forEach((k, t) -> assertTrue(arrays.get(k) == t.data(), name + " " + k + " keeps its array"));
        }
    }

    @Test
    void streamsAContiguousViewThroughSeveralChunksFromItsOffset() throws IOException {
        int n = Pth.CHUNK / 4 * 2 + 1000, offset = 37; // two whole chunks and a part, starting mid-storage
        float[] stored = new float[n + offset];
        for (int i = 0; i < stored.length; i++) stored[i] = i * 0.5f - 3;
        Path p = TorchZip.stateDict("w", "FloatStorage", "0", stored.length, offset, new long[] {n / 8, 8}, new long[] {8, 1})
                .floats("0", stored).write(dir.resolve("long.pth"));
        Tensor target = Tensor.zeros(n / 8, 8);
        Pth.readInto(p, Map.of("w", target, "absent", Tensor.zeros(3)));
        assertArrayEquals(Arrays.copyOfRange(stored, offset, offset + n), target.data());
        assertArrayEquals(new int[] {n / 8, 8}, Pth.shapes(p).get("w"));

        Tensor wrong = Tensor.zeros(8, n / 8);
        var e = assertThrows(IllegalArgumentException.class, () -> Pth.readInto(p, Map.of("w", wrong)));
        assertEquals(p + ": 'w' is [" + n / 8 + ", 8], its target [8, " + n / 8 + "]", e.getMessage());
        assertArrayEquals(new float[wrong.numel()], wrong.data(), "nothing read");
    }

    // ---------------------------------------------------------------- hostile files

    private interface Read {
        Object run() throws IOException;
    }

    private static String refusal(Path p, Read read) {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, read::run);
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    private static String refusal(Path p) {
        return refusal(p, () -> Pth.readStateDict(p));
    }

    @Test
    void refusesAPickleThatCallsAnUnknownGlobal() throws IOException {
        Path p = Fixtures.copy("hostile_global.pth", dir);
        assertEquals("pickle byte 2: unsupported pickle global posix.system", refusal(p));
        assertEquals("pickle byte 2: unsupported pickle global posix.system", refusal(p, () -> Pth.read(p)));
        Path q = new TorchZip().proto().global("torch.storage", "_load_from_bytes").op('.').write(dir.resolve("bytes.pth"));
        assertEquals("pickle byte 2: unsupported pickle global torch.storage._load_from_bytes", refusal(q));
        Path whole = new TorchZip().proto().global("torchvision.models.resnet", "ResNet").op('.').write(dir.resolve("whole.pth"));
        assertEquals("pickle byte 2: unsupported pickle global torchvision.models.resnet.ResNet (a whole model saved by torch.save(model)?"
                + " save its state_dict() instead: torch.save(model.state_dict(), path))", refusal(whole));
        Path r = new TorchZip().proto().op(0x8c, 8).op("builtins".getBytes()[0]).write(dir.resolve("short.pth"));
        assertEquals("pickle byte 2: string of 8 bytes runs past the end of the pickle", refusal(r));
    }

    @Test
    void refusesTruncatedAndForeignFiles() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.copy("bn_state.pth", dir));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        assertTrue(refusal(cut).startsWith("not a valid zip archive (truncated or corrupt): "), refusal(cut));
        Files.write(cut, Arrays.copyOf(good, good.length - 10));
        assertTrue(refusal(cut).startsWith("not a valid zip archive (truncated or corrupt): "), refusal(cut));
        Path legacy = dir.resolve("legacy.pth");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertEquals("legacy torch.save format (before PyTorch 1.6) is not supported; load and re-save it with a current PyTorch", refusal(legacy));
        Path text = dir.resolve("text.pth");
        Files.writeString(text, "hello");
        assertEquals("not a PyTorch zip archive (no zip signature)", refusal(text));
    }

    @Test
    void refusesStoragesShorterThanDeclared() throws IOException {
        // the pickle declares 1000 floats; the entry holds 2
        Path p = TorchZip.stateDict("w", "FloatStorage", "0", 1000, 0, new long[] {1000}, new long[] {1})
                .floats("0", 1, 2).write(dir.resolve("short.pth"));
        assertEquals("storage entry short/data/0 holds 8 bytes but the pickle declares 1000 F32 elements (4000 bytes)", refusal(p));
        Path missing = TorchZip.stateDict("w", "FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1}).write(dir.resolve("missing.pth"));
        assertEquals("storage '0' has no entry missing/data/0", refusal(missing));
        Path zipped = TorchZip.stateDict("w", "FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .floats("0", 1, 2).compressStorages().write(dir.resolve("zipped.pth"));
        assertEquals("storage entry zipped/data/0 is compressed; torch.save stores storages uncompressed", refusal(zipped));
    }

    @Test
    void refusesViewsOutsideTheirStorage() throws IOException {
        Path p = TorchZip.stateDict("w", "FloatStorage", "0", 4, 1, new long[] {2, 2}, new long[] {2, 1})
                .floats("0", 1, 2, 3, 4).write(dir.resolve("past.pth"));
        assertEquals("tensor 'w': size [2, 2], stride [2, 1] and offset 1 reach element 4 but storage '0' holds 4", refusal(p));
        assertEquals("tensor 'w': size [2, 2], stride [2, 1] and offset 1 reach element 4 but storage '0' holds 4", refusal(p, () -> Pth.shapes(p)));
        assertEquals("tensor 'w': size [2, 2], stride [2, 1] and offset 1 reach element 4 but storage '0' holds 4",
                refusal(p, () -> { Pth.readInto(p, Map.of("w", Tensor.zeros(2, 2))); return null; }));
        Path huge = TorchZip.stateDict("w", "FloatStorage", "0", 4, 0, new long[] {1L << 31, 1L << 31}, new long[] {1, 1})
                .floats("0", 1, 2, 3, 4).write(dir.resolve("huge.pth"));
        assertEquals("tensor 'w': dimension 2147483648 of shape [2147483648, 2147483648] exceeds 2147483639", refusal(huge));
        Path over = TorchZip.stateDict("w", "FloatStorage", "0", 4, 0, new long[] {3, 3, 3}, new long[] {1L << 62, 1L << 62, 1})
                .floats("0", 1, 2, 3, 4).write(dir.resolve("over.pth"));
        assertEquals("tensor 'w': size [3, 3, 3], stride [4611686018427387904, 4611686018427387904, 1] and offset 0 reach element beyond 2^63"
                + " but storage '0' holds 4", refusal(over));
        // a nested checkpoint names the tensor by its path
        Path nested = new TorchZip().proto().op('}', '(').str("model").op('}', '(').str("fc.w")
                .tensor("FloatStorage", "0", 2, 0, new long[] {3}, new long[] {1}).op('u').str("epoch").op('K', 3, 'u', '.')
                .floats("0", 1, 2).write(dir.resolve("nested.pth"));
        assertEquals("tensor 'model.fc.w': size [3], stride [1] and offset 0 reach element 2 but storage '0' holds 2",
                refusal(nested, () -> Pth.read(nested)));
    }

    @Test
    void refusesBroadcastViewsThatClaimGigabytes() throws IOException {
        // one stored float, viewed with stride 0 as 2^28 elements (1 GiB of float32)
        Path p = TorchZip.stateDict("w", "FloatStorage", "0", 1, 0, new long[] {1 << 28}, new long[] {0})
                .floats("0", 7).write(dir.resolve("bcast.pth"));
        assertEquals("tensors claim 268435456 elements from storages holding only 1 (more than 4x)", refusal(p));
    }

    @Test
    void refusesCyclesDeepNestingAndArchivesOfOtherKinds() throws IOException {
        Path cyclic = new TorchZip().proto().op(']', 'q', 0, 'h', 0, 'a', '.').write(dir.resolve("cyclic.pth"));
        assertEquals("the object graph is cyclic", refusal(cyclic, () -> Pth.read(cyclic)));
        TorchZip deep = new TorchZip().proto().op(')');
        for (int i = 0; i < 200; i++) deep.op(0x85);
        Path deepFile = deep.op('.').write(dir.resolve("deep.pth"));
        assertEquals("objects nested deeper than 100", refusal(deepFile, () -> Pth.read(deepFile)));
        Path list = new TorchZip().proto().op(']', '.').write(dir.resolve("list.pth"));
        assertEquals("holds a list, not a state_dict", refusal(list));
        Path ambiguous = new TorchZip().proto().op('}', '(').str("a").op('}').str("b").op('}', 'u', '.').write(dir.resolve("amb.pth"));
        assertEquals("cannot tell which entry holds the state_dict (keys: [a, b]); name it explicitly", refusal(ambiguous));
        Path pid = new TorchZip().proto().op('N', 'Q', '.').write(dir.resolve("pid.pth"));
        assertEquals("pickle byte 3: persistent id is not ('storage', StorageClass, key, location, numel)", refusal(pid));
    }

    @Test
    void checksTheByteOrderEntryOfNewerPytorch() throws IOException {
        TorchZip little = TorchZip.stateDict("w", "HalfStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .storage("0", new byte[] {0, 0x3c, 0, (byte) 0xc0}).entry("byteorder", "little");
        assertArrayEquals(new float[] {1, -2}, Pth.readStateDict(little.write(dir.resolve("little.pth"))).get("w").data());
        Path big = TorchZip.stateDict("w", "HalfStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .storage("0", new byte[4]).entry("byteorder", "big").write(dir.resolve("big.pth"));
        assertEquals("byteorder 'big' is not supported (little-endian only)", refusal(big));
    }

    @Test
    void refusesTorchScriptArchives() throws IOException {
        Path p = dir.resolve("script.pt");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            TorchZip.put(z, "script/data.pkl", new byte[] {(byte) 0x80, 2, 'N', '.'}, false);
            TorchZip.put(z, "script/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}, false);
        }
        assertEquals("a TorchScript archive (torch.jit.save) is not supported; save the model's state_dict() with torch.save instead", refusal(p));
    }
}
