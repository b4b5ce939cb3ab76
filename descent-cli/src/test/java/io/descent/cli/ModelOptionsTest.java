package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.init.Init;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ModelOptionsTest {
    /** A state dict as a tool writing sorted keys stores it. */
    private static Map<String, int[]> sorted(String model, int channels) {
        try (var skip = Init.skipRandom()) {
            return new TreeMap<>(io.descent.io.Weights.shapesOf(Models.create(model, new Models.Config(10, channels, 32, ResNet.Stem.SMALL, 32, 0)).stateDict()));
        }
    }

    @Test
    void inputChannelsComeFromTheInputLayerWhateverTheKeyOrder() {
        ModelOptions none = new ModelOptions();
        for (String model : new String[] {"conv-autoencoder", "small-cnn", "resnet18", "vgg11", "centernet-resnet18"}) {
            assertEquals(3, none.withInputFrom(sorted(model, 3)).inChannels, model + " (3 channels)");
            assertEquals(1, none.withInputFrom(sorted(model, 1)).inChannels, model + " (1 channel)");
        }
    }

    @Test
    void aDataParallelModelsKeysSayTheSame() {
        Map<String, int[]> wrapped = new java.util.LinkedHashMap<>();
        wrapped.put("module.conv1.weight", new int[] {64, 3, 7, 7});
        wrapped.put("module.fc.weight", new int[] {1000, 512});
        ModelOptions o = new ModelOptions().withInputFrom(wrapped);
        assertEquals(3, o.inChannels);
        assertEquals("imagenet", o.stem);
    }
}
