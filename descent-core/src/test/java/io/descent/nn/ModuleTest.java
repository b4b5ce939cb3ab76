package io.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    @Test
    void namesFollowPyTorchStateDict() {
        Sequential s = new Sequential(new Linear(4, 3, true, new Rng(0)), Activation.relu(), BatchNorm.batchNorm1d(3), new Linear(3, 2, false, new Rng(1)));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked", "3.weight"),
                List.copyOf(s.stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "3.weight"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("", "0", "1", "2", "3"), List.copyOf(s.namedModules().keySet()));
        assertEquals(4 * 3 + 3 + 3 + 3 + 3 * 2, s.parameterCount());
    }

    @Test
    void resnetKeysMatchTorchvision() {
        var keys = Models.create("resnet18", Models.Config.imagenet()).stateDict().keySet();
        assertTrue(keys.contains("layer4.1.bn2.running_var"));
        assertTrue(keys.contains("layer2.0.downsample.0.weight"));
        assertTrue(keys.contains("layer2.0.downsample.1.num_batches_tracked"));
        assertTrue(keys.contains("fc.bias"));
        assertEquals(122, keys.size(), "torchvision resnet18 has 122 state_dict entries");
        assertEquals(11_689_512, Models.create("resnet18", Models.Config.imagenet()).parameterCount());
        assertEquals(25_557_032, Models.create("resnet50", Models.Config.imagenet()).parameterCount());
        var vgg = Models.create("vgg16_bn", Models.Config.imagenet());
        assertTrue(vgg.stateDict().containsKey("features.1.running_mean"));
        assertTrue(vgg.stateDict().containsKey("classifier.6.weight"));
        assertEquals(138_365_992, vgg.parameterCount());
    }

    @Test
    void getAndSetByPath() {
        ResNet r = ResNet.resnet18(10, 1, ResNet.Stem.SMALL, new Rng(0));
        assertSame(r.child("layer4"), r.get("layer4"));
        assertTrue(r.get("layer4.1.conv2") instanceof Conv2d);
        r.set("fc", new Linear(512, 5, true, new Rng(1)));
        assertArrayEquals(new int[] {5, 512}, r.stateDict().get("fc.weight").shape());
        var e = assertThrows(IllegalArgumentException.class, () -> r.get("layer9"));
        assertTrue(e.getMessage().contains("'layer9' not found"), e.getMessage());
    }

    @Test
    void trainEvalPropagates() {
        Sequential s = new Sequential(new Dropout(0.5f), new Sequential(BatchNorm.batchNorm1d(2)));
        s.eval();
        assertFalse(s.get("1.0").isTraining());
        s.train();
        assertTrue(s.get("1.0").isTraining());
    }

    @Test
    void loadStateDictCopiesValuesAndRefusesMismatches() {
        Linear a = new Linear(3, 2, true, new Rng(0)), b = new Linear(3, 2, true, new Rng(1));
        b.loadStateDict(a.stateDict(), true);
        assertArrayEquals(a.weight.toArray(), b.weight.toArray());
        Map<String, Tensor> bad = Map.of("weight", Tensor.zeros(2, 4), "bias", Tensor.zeros(2), "extra", Tensor.zeros(1));
        float[] before = b.weight.toArray();
        var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad, true));
        assertEquals("loadStateDict into Linear: size mismatch for 'weight': checkpoint has [2, 4], model has [2, 3]; unexpected key 'extra'", e.getMessage());
        assertArrayEquals(before, b.weight.toArray(), "nothing changes when loading fails");
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(Map.of("bias", Tensor.zeros(2)), true));
        assertEquals("loadStateDict into Linear: missing key 'weight'", e.getMessage());
        b.loadStateDict(Map.of("bias", Tensor.full(3f, 2)), false);
        assertArrayEquals(new float[] {3, 3}, b.bias.toArray());
    }

    @Test
    void aWrongArchitectureNamesItsFirstProblemsAndCountsTheRest() {
        var resnet18 = Models.create("resnet18", Models.Config.small()).stateDict();
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("resnet34", Models.Config.small()).loadStateDict(resnet18, true));
        String m = e.getMessage();
        // resnet34 has 8 more basic blocks than resnet18 (1, 2, 4, 1 per stage), each of 12 state keys
        assertTrue(m.startsWith("loadStateDict into ResNet: missing key 'layer1.2.conv1.weight'; missing key 'layer1.2.bn1.weight'"), m);
        assertTrue(m.endsWith("; and " + (8 * 12 - 6) + " more"), m);
        assertEquals(6, m.split("; ").length - 1, m);
    }

    @Test
    void linearDefaultInitMatchesPyTorchBounds() {
        Linear l = new Linear(100, 50, true, new Rng(3));
        double bound = 1 / Math.sqrt(100);
        for (float w : l.weight.data()) assertTrue(Math.abs(w) <= bound);
        for (float w : l.bias.data()) assertTrue(Math.abs(w) <= bound);
        double var = 0;
        for (float w : l.weight.data()) var += w * w;
        assertEquals(bound * bound / 3, var / l.weight.numel(), bound * bound / 30, "U(-b, b) has variance b²/3");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f));
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("resnet19", Models.Config.small()));
        assertTrue(e.getMessage().startsWith("unknown model 'resnet19'; known models: mlp, small-cnn"), e.getMessage());
        var bn = assertThrows(IllegalArgumentException.class, () -> BatchNorm.batchNorm2d(3).forward(Tensor.zeros(2, 4, 5, 5)));
        assertEquals("BatchNorm2d(3): expected input [N, 3, H, W], got [2, 4, 5, 5]", bn.getMessage());
    }

    @Test
    void sequentialFusesALinearOrConvFollowedByReluButNotASubclass() {
        io.descent.tensor.Rng rng = new io.descent.tensor.Rng(5);
        Tensor x = Tensor.randn(rng, 4, 6);
        Linear l = new Linear(6, 3, true, rng);
        Tensor fused = new Sequential(l, Activation.relu()).forward(x.detach().requiresGrad(true));
        assertEquals("LinearReluBackward", fused.gradFn().name());
        assertArrayEquals(io.descent.ops.Activations.relu(l.forward(x)).toArray(), fused.toArray(), 0f);
        Linear doubled = new Linear(6, 3, true, rng) {
            @Override
            public Tensor forward(Tensor in) {
                return super.forward(in).mul(2f);
            }
        };
        Tensor own = new Sequential(doubled, Activation.relu()).forward(x.detach().requiresGrad(true));
        assertEquals("ReluBackward", own.gradFn().name(), "a subclass's own forward runs");
        Tensor notRelu = new Sequential(l, Activation.gelu()).forward(x.detach().requiresGrad(true));
        assertEquals("GeluBackward", notRelu.gradFn().name());
        Conv2d c = new Conv2d(2, 3, 3, 1, 1);
        Tensor img = Tensor.randn(rng, 2, 2, 5, 5).requiresGrad(true);
        assertEquals("Conv2dReluBackward", new Sequential(c, Activation.relu()).forward(img).gradFn().name());
    }

    @Test
    void sequentialFusesAConvReluMaxPoolButNotAPoolSubclass() {
        io.descent.tensor.Rng rng = new io.descent.tensor.Rng(6);
        Conv2d c = new Conv2d(2, 4, 3, 1, 1);
        Tensor img = Tensor.randn(rng, 3, 2, 9, 9);
        MaxPool2d pool = new MaxPool2d(2);
        Tensor a = img.detach().requiresGrad(true), b = img.detach().requiresGrad(true);
        Tensor fused = new Sequential(c, Activation.relu(), pool).forward(a);
        assertEquals("Conv2dReluMaxPoolBackward", fused.gradFn().name());
        Tensor plain = pool.forward(io.descent.ops.Activations.relu(c.forward(b)));
        assertArrayEquals(plain.toArray(), fused.toArray(), 0f);
        Tensor g = Tensor.randn(rng, fused.shape());
        fused.backward(g);
        plain.backward(g);
        assertArrayEquals(b.grad().toArray(), a.grad().toArray(), 0f);
        MaxPool2d own = new MaxPool2d(2) {};
        assertEquals("MaxPool2DBackward", new Sequential(c, Activation.relu(), own).forward(img.detach().requiresGrad(true)).gradFn().name(),
                "a subclass's own forward runs");
    }
}
