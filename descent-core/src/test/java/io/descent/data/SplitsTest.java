package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final Dataset DATA = TestData.images(103, 1, 2, 2, 10);

    @Test
    void randomSplitIsAPartitionReproducibleFromTheSeed() {
        List<Subset> parts = Splits.random(DATA, new double[] {0.8, 0.2}, 5);
        assertEquals(83, parts.get(0).size()); // floor(82.4) = 82 and floor(20.6) = 20; the remaining one goes to the first
        assertEquals(20, parts.get(1).size());
        Set<Integer> all = new HashSet<>();
        for (Subset s : parts) for (int i : s.indices()) assertTrue(all.add(i));
        assertEquals(103, all.size());
        assertArrayEquals(parts.get(1).indices(), Splits.random(DATA, new double[] {0.8, 0.2}, 5).get(1).indices());
        assertFalse(Arrays.equals(parts.get(1).indices(), Splits.random(DATA, new double[] {0.8, 0.2}, 6).get(1).indices()));
        Subset s = parts.get(1);
        assertEquals(s.indices()[3], TestData.indexOf(s.get(3).data(), 0));
        assertEquals(s.indices()[3] % 10, s.label(3));
    }

    @Test
    void randomSplitRefusesBadSizes() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.random(DATA, new double[] {0.5, 0.4}, 0)).getMessage()
                .startsWith("random split: fractions must sum to 1"));
        assertEquals("random split: lengths [50, 50] sum to 100, not the data set's size 103",
                assertThrows(IllegalArgumentException.class, () -> Splits.random(DATA, new int[] {50, 50}, 0)).getMessage());
    }

    @Test
    void fewShotTakesExactlyKPerClass() {
        Subset s = Splits.fewShot(DATA, 4, 9);
        assertEquals(40, s.size());
        int[] count = new int[10];
        for (int i = 0; i < s.size(); i++) count[s.label(i)]++;
        for (int c : count) assertEquals(4, c);
        assertArrayEquals(s.indices(), Splits.fewShot(DATA, 4, 9).indices());
        assertFalse(Arrays.equals(s.indices(), Splits.fewShot(DATA, 4, 10).indices()), "another seed, other shots");
        // class 3 has 10 examples (3, 13, ..., 93): 11 shots are too many
        var e = assertThrows(IllegalArgumentException.class, () -> Splits.fewShot(DATA, 11, 0));
        assertEquals("few-shot subset: class 3 (class3) has 10 examples, fewer than the 11 shots asked", e.getMessage());
        assertEquals(100, Splits.fewShot(DATA, 10, 0).size());
    }

    @Test
    void classSubsetKeepsAndRenumbersClasses() {
        ClassSubset s = new ClassSubset(DATA, new int[] {5, 6, 7, 8, 9});
        assertEquals(50, s.size());
        assertEquals(List.of("class5", "class6", "class7", "class8", "class9"), s.classes());
        for (int i = 0; i < s.size(); i++) {
            Example e = s.get(i);
            int original = TestData.indexOf(e.data(), 0) % 10;
            assertEquals(original - 5, e.label());
            assertEquals(original - 5, s.label(i));
        }
        ClassSubset reordered = new ClassSubset(DATA, new int[] {7, 2});
        assertEquals(List.of("class7", "class2"), reordered.classes());
        assertEquals(1, reordered.label(0), "index 2 (class 2) is first and becomes label 1");
        assertEquals(0, reordered.label(1), "index 7 (class 7) becomes label 0");
        Subset shots = Splits.fewShot(s, 3, 0);
        assertEquals(15, shots.size());
    }

    @Test
    void classSubsetRefusesBadClasses() {
        assertEquals("ClassSubset: class 10 in keep is out of range: the data set has 10 classes",
                assertThrows(IllegalArgumentException.class, () -> new ClassSubset(DATA, new int[] {10})).getMessage());
        assertEquals("ClassSubset: class 4 appears twice in keep",
                assertThrows(IllegalArgumentException.class, () -> new ClassSubset(DATA, new int[] {4, 4})).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(DATA, new int[] {103}));
    }
}
