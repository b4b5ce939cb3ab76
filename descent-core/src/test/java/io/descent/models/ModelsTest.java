package io.descent.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.nn.Module;
import io.descent.ops.Losses;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModelsTest {
    static Stream<Arguments> classifiers() {
        return Stream.of(
                Arguments.of("mlp", 28, 1),
                Arguments.of("small-cnn", 28, 1),
                Arguments.of("resnet18", 28, 1),
                Arguments.of("resnet50", 32, 3),
                Arguments.of("vgg11_bn", 32, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiers")
    void forwardShapesAndEveryParameterGetsAGradient(String name, int size, int channels) {
        Models.Config cfg = new Models.Config(7, channels, size, ResNet.Stem.SMALL, 16, 1);
        Module m = Models.create(name, cfg);
        Tensor x = Tensor.randn(new Rng(2), 2, channels, size, size);
        Tensor logits = m.forward(x);
        assertArrayEquals(new int[] {2, 7}, logits.shape());
        Losses.crossEntropy(logits, new int[] {1, 5}).backward();
        for (var e : m.namedParameters().entrySet()) {
            assertTrue(e.getValue().grad() != null, name + ": no gradient for " + e.getKey());
        }
    }

    @Test
    void vggRefusesImagesItsPoolsWouldShrinkToNothing() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Models.create("vgg11", new Models.Config(10, 1, 28, ResNet.Stem.SMALL, 16, 0)));
        assertEquals("vgg11 needs images of at least 32×32 pixels (its five max-pools halve them); got 28×28: resize them (--image-size 32)", e.getMessage());
        assertArrayEquals(new int[] {1, 10}, Models.create("vgg11", new Models.Config(10, 1, 32, ResNet.Stem.SMALL, 16, 0)).forward(Tensor.zeros(1, 1, 32, 32)).shape());
    }

    @Test
    void smallCnnLearnsOneBatch() {
        Module m = Models.create("small-cnn", new Models.Config(3, 1, 12, ResNet.Stem.SMALL, 16, 0));
        Tensor x = Tensor.randn(new Rng(5), 6, 1, 12, 12);
        int[] y = {0, 1, 2, 0, 1, 2};
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            Tensor loss = Losses.crossEntropy(m.forward(x), y);
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            try (var ng = GradMode.noGrad()) {
                for (Tensor p : m.parameters()) {
                    float[] d = p.data(), g = p.grad().data();
                    for (int i = 0; i < d.length; i++) d[i] -= 0.05f * g[i];
                    p.zeroGrad();
                }
            }
        }
        assertTrue(last < first * 0.1, "loss should fall by 10x on one batch: " + first + " -> " + last);
    }

    @Test
    void autoencodersReconstructInputShape() {
        for (String name : new String[] {"autoencoder", "conv-autoencoder"}) {
            Autoencoder ae = (Autoencoder) Models.create(name, new Models.Config(10, 1, 28, ResNet.Stem.SMALL, 12, 0));
            Tensor x = Tensor.rand(new Rng(3), 4, 1, 28, 28);
            assertArrayEquals(new int[] {4, 12}, ae.encode(x).shape(), name);
            Tensor r = ae.forward(x);
            assertArrayEquals(x.shape(), r.shape(), name);
            for (float v : r.data()) assertTrue(v >= 0 && v <= 1, name + ": sigmoid output in [0, 1]");
            Losses.mse(r, x).backward();
            ae.namedParameters().forEach((k, p) -> assertTrue(p.grad() != null, name + ": no gradient for " + k));
        }
    }

    @Test
    void evalModeIsDeterministicAndUsesRunningStats() {
        Module m = Models.create("resnet18", new Models.Config(4, 1, 16, ResNet.Stem.SMALL, 16, 0));
        Tensor x = Tensor.randn(new Rng(4), 2, 1, 16, 16);
        m.eval();
        try (var ng = GradMode.noGrad()) {
            float[] a = m.forward(x).toArray(), b = m.forward(x).toArray();
            assertArrayEquals(a, b);
        }
        assertEquals(0f, m.stateDict().get("bn1.num_batches_tracked").item(), "eval does not count batches");
        m.train();
        m.forward(x);
        assertEquals(1f, m.stateDict().get("bn1.num_batches_tracked").item());
    }

    @Test
    void loadGivesTheSavedValuesWithoutDrawingAndRefusesAnIncompleteState() {
        Models.Config saved = new Models.Config(5, 3, 32, ResNet.Stem.SMALL, 16, 1);
        Module source = Models.create("vgg11_bn", saved);
        var state = source.stateDict();
        // another seed: anything the loaded model kept of its own initialisation would differ
        Models.Config other = new Models.Config(5, 3, 32, ResNet.Stem.SMALL, 16, 2);
        Module loaded = Models.load("vgg11_bn", other, state);
        var got = loaded.stateDict();
        assertEquals(state.keySet(), got.keySet());
        for (var e : state.entrySet()) assertArrayEquals(e.getValue().data(), got.get(e.getKey()).data(), e.getKey());

        var partial = new java.util.LinkedHashMap<>(state);
        partial.remove("classifier.6.weight");
        var err = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Models.load("vgg11_bn", other, partial));
        assertTrue(err.getMessage().contains("missing key 'classifier.6.weight'"), err.getMessage());
        // the skipping ended with the build: a model created now is initialised again
        assertTrue(Models.create("mlp", Models.Config.small()).parameters().get(0).data()[0] != 0f);
    }
}
