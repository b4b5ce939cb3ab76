package io.descent.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    @Test
    void parsesListsAndRanges() {
        var space = SearchSpace.parse(List.of("lr=log:1e-4:1e-1", "momentum = uniform:0.8:0.99", "batch=32, 64", "optimizer=sgd"));
        assertEquals(List.of("lr", "momentum", "batch", "optimizer"), List.copyOf(space.params().keySet()));
        assertEquals(new Param.LogUniform(1e-4, 1e-1), space.params().get("lr"));
        assertEquals(new Param.Uniform(0.8, 0.99), space.params().get("momentum"));
        assertEquals(new Param.Choice(List.of("32", "64")), space.params().get("batch"));
        assertEquals(new Param.Choice(List.of("sgd")), space.params().get("optimizer"));
    }

    @Test
    void badSpecsAreRefusedByName() {
        assertEquals("search parameter 'lr': log-uniform range needs 0 < lo < hi, got 0.0, 0.1", refused("lr=log:0:0.1"));
        assertEquals("search parameter 'lr': uniform range needs lo < hi, got 0.5, 0.1", refused("lr=uniform:0.5:0.1"));
        assertEquals("search parameter 'lr': 'x' in 'log:x:1' is not a number", refused("lr=log:x:1"));
        assertEquals("search parameter 'lr': 'exp:1:2' is not log:LO:HI, uniform:LO:HI or a list A,B,C", refused("lr=exp:1:2"));
        assertEquals("search parameter 'batch': '32,,64' has an empty value", refused("batch=32,,64"));
        assertEquals("search parameter 'lr0.1' is not NAME=SPEC (e.g. lr=log:1e-4:1e-1, batch=32,64)", refused("lr0.1"));
        assertEquals("search parameter 'lr' is given twice", assertThrows(IllegalArgumentException.class,
                () -> SearchSpace.parse(List.of("lr=0.1", "lr=0.2"))).getMessage());
    }

    @Test
    void aGridIsEveryCombinationTheLastParameterFastest() {
        var grid = SearchSpace.parse(List.of("lr=0.1,0.01", "momentum=0,0.9,0.99")).grid();
        assertEquals(6, grid.size());
        assertEquals(Map.of("lr", "0.1", "momentum", "0"), grid.get(0));
        assertEquals(Map.of("lr", "0.1", "momentum", "0.9"), grid.get(1));
        assertEquals(Map.of("lr", "0.01", "momentum", "0.99"), grid.get(5));
        var e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("batch=32,64", "lr=log:1e-4:1e-1")).grid());
        assertEquals("a grid search needs a list of values for 'lr' (e.g. lr=A,B,C), not a range", e.getMessage());
    }

    @Test
    void randomTrialsAreSeededInRangeAndKeepTheirPrefix() {
        var space = SearchSpace.parse(List.of("lr=log:1e-4:1e-1", "momentum=uniform:0.8:0.99", "batch=32,64"));
        var ten = space.random(10, 7);
        assertEquals(ten, space.random(10, 7), "same seed, same trials");
        assertEquals(ten.subList(0, 4), space.random(4, 7), "the first trials do not depend on how many follow");
        assertTrue(!ten.equals(space.random(10, 8)), "another seed, other trials");
        for (var t : ten) {
            double lr = Double.parseDouble(t.get("lr")), m = Double.parseDouble(t.get("momentum"));
            assertTrue(lr >= 1e-4 && lr < 1e-1 && m >= 0.8 && m < 0.99, t.toString());
            assertTrue(List.of("32", "64").contains(t.get("batch")), t.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> space.random(0, 1));
    }

    @Test
    void logUniformGivesEachDecadeTheSameShare() {
        var trials = SearchSpace.parse(List.of("lr=log:1e-4:1e-1")).random(6000, 3);
        int[] perDecade = new int[3];
        for (var t : trials) perDecade[(int) Math.floor(Math.log10(Double.parseDouble(t.get("lr"))) + 4)]++;
        for (int d : perDecade) assertEquals(2000, d, 150, java.util.Arrays.toString(perDecade)); // ~4.5 sigma
    }

    private static String refused(String entry) {
        return assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of(entry))).getMessage();
    }
}
