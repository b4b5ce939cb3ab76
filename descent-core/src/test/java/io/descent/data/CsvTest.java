package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("t.csv"), text);
    }

    @Test
    void readsFeaturesAndStringLabelsSortedIntoClasses() throws IOException {
        Path f = csv("sepal,petal,species\n5.1,1.4,setosa\n\n7.0,4.7,\"versi,color\"\n6.3,6.0,virginica\n4.9,1.5,setosa\n");
        ArrayDataset d = Csv.read(f, Csv.Options.DEFAULT);
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {2}, d.exampleShape());
        assertEquals(List.of("setosa", "versi,color", "virginica"), d.classes());
        assertArrayEquals(new float[] {7.0f, 4.7f}, d.get(1).data());
        assertArrayEquals(new int[] {0, 1, 2, 0}, new int[] {d.label(0), d.label(1), d.label(2), d.label(3)});
        try (DataLoader loader = new DataLoader(d, LoaderOptions.DEFAULT.withBatchSize(4))) {
            Batch b = loader.epoch(0).iterator().next();
            assertArrayEquals(new int[] {4, 2}, b.inputs().shape(), "tables collate to [N, F]");
        }
    }

    @Test
    void integerLabelsAreTakenAsTheyAreWhereverTheColumnIs() throws IOException {
        Path f = csv("2;0.5;1\n0;1.5;2\n10;\"-3\";4\n");
        ArrayDataset d = Csv.read(f, Csv.Options.DEFAULT.withDelimiter(';').withHeader(false).withLabelColumn(0));
        assertEquals(11, d.classes().size());
        assertEquals(10, d.label(2));
        assertArrayEquals(new float[] {-3f, 4f}, d.get(2).data());
        ArrayDataset unlabelled = Csv.read(f, Csv.Options.DEFAULT.withDelimiter(';').withHeader(false).withoutLabel());
        assertArrayEquals(new int[] {3}, unlabelled.exampleShape());
        assertEquals(Example.UNLABELED, unlabelled.get(0).label());
    }

    @Test
    void badRowsAreRefusedWithLineAndColumn() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> Csv.read(csv("a,b,y\n1,2,0\n3,,1\n"), Csv.Options.DEFAULT));
        assertEquals("Csv " + dir.resolve("t.csv") + ": line 3, column 2: '' is not a finite number", missing.getMessage());
        var ragged = assertThrows(IllegalArgumentException.class, () -> Csv.read(csv("a,b,y\n1,2,0\n3,1\n"), Csv.Options.DEFAULT));
        assertEquals("Csv " + dir.resolve("t.csv") + ": line 3 has 2 fields, expected 3", ragged.getMessage());
        var quote = assertThrows(IllegalArgumentException.class, () -> Csv.read(csv("a,b,y\n1,\"2,0\n"), Csv.Options.DEFAULT));
        assertEquals("Csv " + dir.resolve("t.csv") + ": line 2 has an unclosed quote", quote.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> Csv.read(csv("a,b,y\n"), Csv.Options.DEFAULT));
        assertEquals("Csv " + dir.resolve("t.csv") + ": no data rows", empty.getMessage());
    }
}
