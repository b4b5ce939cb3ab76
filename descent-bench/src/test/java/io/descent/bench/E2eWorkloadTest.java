package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class E2eWorkloadTest {
    private static List<String> names(List<E2eWorkload> ws) {
        return ws.stream().map(E2eWorkload::name).toList();
    }

    @Test
    void groupsExpandToTheirRowsInTheOrderGiven() {
        List<E2eWorkload> ws = E2eWorkload.parse(List.of("W5", "w1", " W4 "), E2eSizes.ISSUE8);
        assertEquals(List.of("W5-seg0", "W5-seg4", "W5-seg8", "W1", "W4-resnet50-fwd", "W4-resnet50-train", "W4-vgg16-fwd", "W4-vgg16-train"), names(ws));
        assertEquals(Workload.W1, ws.get(3));
    }

    @Test
    void singleRowsByNameCaseInsensitiveEachOnce() {
        List<E2eWorkload> ws = E2eWorkload.parse(List.of("w4-VGG16-train", "W5-seg4", "W5-SEG4", "W4"), E2eSizes.TINY);
        assertEquals(List.of("W4-vgg16-train", "W5-seg4", "W4-resnet50-fwd", "W4-resnet50-train", "W4-vgg16-fwd"), names(ws));
        assertEquals(new ModelWorkload("vgg16", true, E2eSizes.TINY), ws.get(0));
    }

    @Test
    void unknownNamesSayWhatIsKnown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> E2eWorkload.parse(List.of("W1", "W7"), E2eSizes.ISSUE8));
        assertTrue(e.getMessage().startsWith("unknown workload 'W7' (W1, W2, W3, W4, W5, W6, or one row: W4-resnet50-fwd"), e.getMessage());
        assertTrue(e.getMessage().contains("W5-seg8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> E2eWorkload.parse(List.of("W5-seg2"), E2eSizes.ISSUE8));
        assertThrows(IllegalArgumentException.class, () -> Workload.parse(List.of("W4")), "memory takes only the training workloads");
    }

    @Test
    void pytorchGetsTheSizesJavaUses() {
        assertEquals(List.of("W4", "resnet50", "train", "2", "8", "224", "2", "5"), new ModelWorkload("resnet50", true, E2eSizes.ISSUE8).pytorchArgs(2, null));
        assertEquals(List.of("W4", "vgg16", "fwd", "1", "1", "64", "1", "1"), new ModelWorkload("vgg16", false, E2eSizes.TINY).pytorchArgs(1, null));
        assertEquals(List.of("W5", "4", "2", "32", "2048", "1024", "5"), new CheckpointWorkload(4, E2eSizes.ISSUE8).pytorchArgs(2, null));
        assertEquals(List.of("W6", "2", "32", "2", "5"), new DetectionWorkload(E2eSizes.ISSUE8).pytorchArgs(2, null));
        assertEquals(List.of("W6-centernet-resnet18-train"), names(E2eWorkload.parse(List.of("w6"), E2eSizes.ISSUE8)));
        assertEquals(List.of("W2", "2", "/data"), Workload.W2.pytorchArgs(2, java.nio.file.Path.of("/data")));
        assertEquals("pytorch_models.py", new CheckpointWorkload(0, E2eSizes.ISSUE8).pytorchScript());
        assertEquals("pytorch_e2e.py", Workload.W3.pytorchScript());
        assertEquals(8, new ModelWorkload("vgg16", false, E2eSizes.ISSUE8).batch());
        assertEquals(1024, new CheckpointWorkload(8, E2eSizes.ISSUE8).batch());
    }

    @Test
    void bothScriptsShipWithTheBench() {
        for (String s : List.of("pytorch_e2e.py", "pytorch_models.py")) assertTrue(PyTorchE2e.class.getResource(s) != null, s);
    }

    @Test
    void sizesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new E2eSizes(0, 224, 2, 5, 32, 2048, 1024, 3));
        assertTrue(e.getMessage().contains("got batch 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new E2eSizes(8, 16, 2, 5, 32, 2048, 1024, 3));
        assertThrows(IllegalArgumentException.class, () -> new E2eSizes(8, 224, 2, 5, 32, 2048, 1024, 0));
    }
}
