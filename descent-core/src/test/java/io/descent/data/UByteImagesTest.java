package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UByteImagesTest {
    @Test
    void everyByteValueDecodesAsPyTorchsDivisionBy255() {
        byte[] pixels = new byte[256];
        for (int b = 0; b < 256; b++) pixels[b] = (byte) b;
        UByteImages images = new UByteImages(pixels, new int[] {1, 16, 16}, new int[] {0}, List.of("only"));
        float[] x = images.get(0).data();
        for (int b = 0; b < 256; b++) {
            // x.float() / 255 in PyTorch; b * (1/255f) is one ulp off for 126 of these values
            assertEquals(Float.floatToIntBits(b / 255f), Float.floatToIntBits(x[b]), "byte " + b);
        }
    }
}
