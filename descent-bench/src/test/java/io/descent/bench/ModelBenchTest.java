package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.kernels.Parallel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench models --project}: rows projected onto more threads than this machine may have. */
class ModelBenchTest {
    @Test
    void projectsEachPassOntoTheThreadCount() {
        int before = Parallel.threads();
        List<ModelBench.Projected> rows = ModelBench.project(List.of("resnet18"), 1, 4, 1, 0);
        assertEquals(before, Parallel.threads(), "the thread count is restored");
        assertEquals(List.of("forward", "forward+backward"), rows.stream().map(ModelBench.Projected::pass).toList());
        for (ModelBench.Projected r : rows) {
            assertEquals(4, r.threads());
            assertTrue(r.seconds() > 0 && r.balancedSeconds() > 0 && r.seconds() >= r.balancedSeconds(), r.toString());
            assertTrue(r.toJson().contains("\"projected_seconds_per_iter\""), r.toJson());
        }
        assertTrue(ModelBench.projectedTable(rows).contains("resnet18"));
        assertThrows(IllegalArgumentException.class, () -> ModelBench.project(List.of("resnet18"), 1, 4, 0, 0));
    }
}
