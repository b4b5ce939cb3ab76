package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorHardwareTest {
    private static String cpu(String vendor, String family) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\nmodel\t\t: 17\n"
                + "flags\t\t: fpu avx512f\n\nprocessor\t: 1\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\n\n";
    }

    @Test
    void halfRate512IsReadFromTheFirstProcessorsVendorAndFamily() {
        assertTrue(VectorHardware.isAmdFamily(cpu("AuthenticAMD", "25"), 0x19), "Zen 4");
        assertFalse(VectorHardware.isAmdFamily(cpu("AuthenticAMD", "26"), 0x19), "Zen 5");
        assertFalse(VectorHardware.isAmdFamily(cpu("GenuineIntel", "25"), 0x19), "another vendor");
        assertFalse(VectorHardware.isAmdFamily(cpu("AuthenticAMD", "x"), 0x19), "unreadable family");
        assertFalse(VectorHardware.isAmdFamily("", 0x19), "no /proc/cpuinfo");
        assertFalse(VectorHardware.isAmdFamily("vendor_id : AuthenticAMD\n", 0x19), "no family line");
        assertFalse(VectorHardware.isAmdFamily(cpu("GenuineIntel", "25") + cpu("AuthenticAMD", "25"), 0x19), "the first processor decides");
    }
}
