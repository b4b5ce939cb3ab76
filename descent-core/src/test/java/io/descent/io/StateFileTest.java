package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @Test
    @SuppressWarnings("unchecked")
    void roundTripsTensorsNumbersAndNonFiniteDoublesExactly(@TempDir Path dir) throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("w", Tensor.of(new float[] {1.5f, -2f, 3e-8f, 4f}, 2, 2));
        state.put("step", 42L);
        state.put("lr", 0.1 + 0.2);
        state.put("best", Double.POSITIVE_INFINITY);
        state.put("bases", new double[] {0.001, Double.NaN, 1.0 / 3});
        state.put("rng", new long[] {Long.MIN_VALUE, 7});
        state.put("groups", List.of(Map.of("nesterov", true, "name", "g0")));
        state.put("nested", Map.of("exp_avg", Tensor.zeros(3)));
        Path f = dir.resolve("s.safetensors");
        StateFile.write(f, state);
        Map<String, Object> back = StateFile.read(f);
        assertArrayEquals(((Tensor) state.get("w")).data(), ((Tensor) back.get("w")).data());
        assertArrayEquals(new int[] {2, 2}, ((Tensor) back.get("w")).shape());
        assertEquals(42L, back.get("step"));
        assertEquals(0.1 + 0.2, back.get("lr"));
        assertEquals(Double.POSITIVE_INFINITY, back.get("best"));
        double[] bases = (double[]) back.get("bases");
        assertEquals(0.001, bases[0]);
        assertEquals(Double.NaN, bases[1]);
        assertEquals(1.0 / 3, bases[2]);
        assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, (long[]) back.get("rng"));
        assertEquals(true, ((Map<String, Object>) ((List<Object>) back.get("groups")).get(0)).get("nesterov"));
        assertArrayEquals(new int[] {3}, ((Tensor) ((Map<String, Object>) back.get("nested")).get("exp_avg")).shape());
    }

    @Test
    void refusesAPlainWeightsFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.zeros(1)));
        var e = assertThrows(WeightsFormatException.class, () -> StateFile.read(f));
        assertEquals(f + ": not a Descent state file (no 'descent.state' metadata)", e.getMessage());
    }
}
