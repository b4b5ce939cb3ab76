package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void significantDigitsWithScientificOnlyForTinyAndHugeValues() {
        assertEquals("0.8712", Formats.significant(0.87123, 4));
        assertEquals("2.303", Formats.significant(2.302585, 4));
        assertEquals("0.01000", Formats.significant(0.01, 4));
        assertEquals("3.000e-04", Formats.significant(3e-4, 4));
        assertEquals("1.235e+05", Formats.significant(123456, 4));
        assertEquals("NaN", Formats.significant(Double.NaN, 4));
        assertEquals("0.000", Formats.significant(0, 4));
    }

    @Test
    void compactDropsPaddingZerosAndWritesIntegersAsIntegers() {
        assertEquals("3", Formats.compact(3, 6));
        assertEquals("299", Formats.compact(299, 6));
        assertEquals("0.3", Formats.compact(0.3, 6));
        assertEquals("0.339048", Formats.compact(0.33904812, 6));
        assertEquals("5.99489e-08", Formats.compact(5.994891e-8, 6));
        assertEquals("1e-04", Formats.compact(1e-4, 6));
        assertEquals("-Infinity", Formats.compact(Double.NEGATIVE_INFINITY, 6));
        assertEquals("0", Formats.compact(-0.0, 6));
    }
}
