package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyTorchE2eTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(String json) throws Exception {
        return (Map<String, Object>) Json.parse(json);
    }

    @Test
    void readsTrainingLines() throws Exception {
        E2eResult r = PyTorchE2e.parse(line("{\"images_per_s\": 996.5, \"test_accuracy\": 0.868, \"steps\": 469, \"timed_images\": 57472, \"torch\": \"1.13.1\"}"));
        assertEquals(996.5, r.imagesPerSecond());
        assertEquals(0.868, r.testAccuracy());
        assertEquals("torch 1.13.1", r.version());
        assertEquals(-1, r.savedBytes());
    }

    @Test
    void readsRandomInputLinesWithoutAccuracyAndWithTheTape() throws Exception {
        E2eResult r = PyTorchE2e.parse(line("{\"images_per_s\": 292.5, \"test_accuracy\": null, \"steps\": 3, \"timed_images\": 3072,"
                + " \"saved_bytes\": 167772160, \"torch\": \"1.13.0a0\"}"));
        assertTrue(Double.isNaN(r.testAccuracy()));
        assertEquals(167772160L, r.savedBytes());
        assertEquals(3500.9, r.stepMs(1024), 0.1);
    }

    @Test
    void aMissingFigureIsNamed() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyTorchE2e.parse(line("{\"test_accuracy\": 0.5}")));
        assertTrue(e.getMessage().contains("'images_per_s'"), e.getMessage());
    }
}
