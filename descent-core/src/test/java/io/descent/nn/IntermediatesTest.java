package io.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.models.ResNet;
import io.descent.models.VGG;
import io.descent.ops.Arithmetic;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import io.descent.transfer.FrozenBatchNorm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which activations a forward pass hands back to the buffer pool ({@link Intermediates}), that
 * it never hands back one that anything can still read, and that the arrays it then reuses,
 * stale values and all, change no output.
 */
class IntermediatesTest {
    @AfterEach
    void emptyPool() {
        BufferPool.clear();
    }

    /** 16 → 16 → 16 channels at 32×32, pooled, flattened and classified: at batch 2 the input and the convolutions' outputs are BufferPool.MIN_LENGTH floats, the pooled one a quarter of that. */
    private static Sequential net() {
        return new Sequential(new Conv2d(16, 16, 3, 1, 1), Activation.relu(), new Conv2d(16, 16, 3, 1, 1), Activation.relu(),
                new MaxPool2d(2), new Flatten(), new Linear(16 * 16 * 16, 10));
    }

    private static Tensor input(Rng rng) {
        return Tensor.randn(rng, 2, 16, 32, 32);
    }

    private static float[] forwardNoGrad(Module m, Tensor x) {
        try (var ng = GradMode.noGrad()) {
            return m.forward(x).data().clone();
        }
    }

    @Test
    void inferenceHandsBackWhatItConsumedButNeverItsInputOrOutput() {
        Rng rng = new Rng(1);
        Sequential net = net();
        Tensor x = input(rng);
        float[] input = x.data().clone();
        BufferPool.clear();
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = net.forward(x);
        }
        // the two fused conv+ReLU outputs; the pooled one (read by Linear through the Flatten view) is too short to keep
        assertEquals(2 * 4L * BufferPool.MIN_LENGTH, BufferPool.pooledBytes());
        assertArrayEquals(input, x.data(), 0f, "the caller's input is untouched");
        float[] got = out.data().clone();
        float[] again = forwardNoGrad(net, x); // runs on the arrays just handed back
        assertArrayEquals(got, again, 0f);
        assertNotSame(x.data(), BufferPool.take(x.numel()), "the input never entered the pool");
    }

    @Test
    void reusedArraysHoldStaleValuesThatNoOutputSees() {
        Rng rng = new Rng(2);
        Sequential net = net();
        Tensor a = input(rng), b = input(rng);
        BufferPool.clear();
        float[] fresh = forwardNoGrad(net, b);
        BufferPool.clear();
        forwardNoGrad(net, a); // the pool now holds a's activations
        assertArrayEquals(fresh, forwardNoGrad(net, b), 0f);
    }

    @Test
    void whatTheTapeSavedGoesBackOnlyAfterBackward() {
        Rng rng = new Rng(3);
        Sequential net = net();
        Tensor x = input(rng);
        BufferPool.clear();
        Tensor loss = net.forward(x).sum(); // the parameters require grad: the tape saves the activations
        // only the fused conv–ReLU–pool's own convolution output is back: the tape keeps its pooled output instead
        assertEquals(4L * BufferPool.MIN_LENGTH, BufferPool.pooledBytes());
        loss.backward();
        assertTrue(BufferPool.pooledBytes() >= 2 * 4L * BufferPool.MIN_LENGTH, "both convolutions' outputs are back");
    }

    @Test
    void aRetainedGraphKeepsWhatItSavedForItsNextBackward() {
        Rng rng = new Rng(7);
        Sequential net = net();
        Tensor x = input(rng);
        Tensor loss = net.forward(x).sum();
        loss.backward(Tensor.scalar(1f), true);
        Tensor w = (Tensor) net.namedParameters().get("0.weight");
        float[] once = w.grad().data().clone();
        net.forward(input(rng)).sum().backward(); // would overwrite what the first graph saved, had it gone back
        w.zeroGrad();
        loss.backward();
        assertArrayEquals(once, w.grad().data(), 0f);
    }

    /** Three SGD steps with momentum in training mode: losses and weights with recycling on must be those with it off, bit for bit. */
    @Test
    void trainingComputesTheSameBitsWithAndWithoutRecycling() {
        for (String name : new String[] {"resnet18", "resnet50", "small-cnn"}) { // (VGG's 120 M classifier weights would not fit the test heap twice)
            float[][] off = train(name, false), on = train(name, true);
            for (int i = 0; i < off.length; i++) assertArrayEquals(off[i], on[i], 0f, name + " #" + i);
        }
    }

    private static float[][] train(String name, boolean recycle) {
        boolean before = Intermediates.isEnabled();
        Intermediates.setEnabled(recycle);
        try {
            BufferPool.clear();
            Module model = io.descent.models.Models.create(name, new io.descent.models.Models.Config(10, 1, 32, ResNet.Stem.SMALL, 32, 9));
            model.train();
            var opt = new io.descent.optim.SGD(model.namedParameters(), 0.05, 0.9, 0, 5e-4, false);
            Rng rng = new Rng(8);
            float[] losses = new float[3];
            for (int step = 0; step < 3; step++) {
                Tensor x = Tensor.randn(rng, 4, 1, 32, 32);
                Tensor loss = io.descent.ops.Losses.crossEntropy(model.forward(x), new int[] {1, 3, 5, 7});
                opt.zeroGrad();
                loss.backward();
                opt.step();
                losses[step] = loss.item();
            }
            if (recycle) assertTrue(BufferPool.pooledBytes() > 0, name + ": activations came back");
            float[][] out = new float[1 + model.parameters().size()][];
            out[0] = losses;
            int i = 1;
            for (Tensor p : model.parameters()) out[i++] = p.data().clone();
            return out;
        } finally {
            Intermediates.setEnabled(before);
        }
    }

    /**
     * Once two steps have filled the pool, a training step of a residual network allocates none
     * of its large arrays: every activation (those inside a conv + batch norm pair, and the
     * features the classifier reads, too) and every gradient (the one a residual add hands to
     * both of its inputs too) comes back for the next.
     */
    @Test
    void residualTrainingStepsCycleThroughTheSameArrays() {
        // resnet18 at batch 64: its 64×512 features, read by fc, are long enough to be pooled too
        for (String name : new String[] {"resnet18", "resnet50"}) {
            BufferPool.clear();
            Module model = io.descent.models.Models.create(name, new io.descent.models.Models.Config(10, 1, 32, ResNet.Stem.SMALL, 32, 9));
            model.train();
            var opt = new io.descent.optim.SGD(model.namedParameters(), 0.05, 0.9, 0, 5e-4, false);
            int batch = name.equals("resnet18") ? 64 : 4;
            Tensor x = Tensor.randn(new Rng(8), batch, 1, 32, 32);
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = i % 10;
            long misses = 0;
            for (int step = 0; step < 3; step++) {
                misses = BufferPool.misses();
                opt.zeroGrad();
                io.descent.ops.Losses.crossEntropy(model.forward(x), y).backward();
                opt.step();
            }
            assertEquals(misses, BufferPool.misses(), name + ": arrays allocated by the third step");
        }
    }

    /** Keeps what it is given, as a user's layer may. */
    private static final class Keeper extends Module {
        Tensor kept;

        @Override
        public Tensor forward(Tensor x) {
            kept = x;
            return io.descent.ops.Activations.relu(x);
        }
    }

    /** Keeps what it is given and hands it on as it is. */
    private static final class Peeker extends Module {
        Tensor kept;

        @Override
        public Tensor forward(Tensor x) {
            return kept = x;
        }
    }

    @Test
    void aLayerOfAnotherClassKeepsWhatItIsGivenAndWhatItReturns() {
        Rng rng = new Rng(4);
        Keeper keeper = new Keeper();
        Peeker peeker = new Peeker();
        Tensor[] returned = new Tensor[1];
        Conv2d subclass = new Conv2d(16, 16, 3, 1, 1) {
            @Override
            public Tensor forward(Tensor x) {
                return returned[0] = super.forward(x);
            }
        };
        Sequential net = new Sequential(new Conv2d(16, 16, 3, 1, 1), keeper, subclass, new Conv2d(16, 16, 3, 1, 1),
                new Conv2d(16, 16, 3, 1, 1), peeker, new Flatten(), new Linear(16 * 32 * 32, 10));
        Tensor x = input(rng);
        forwardNoGrad(net, x);
        Tensor[] held = {keeper.kept, returned[0], peeker.kept};
        float[][] values = {held[0].data().clone(), held[1].data().clone(), held[2].data().clone()};
        forwardNoGrad(net, input(rng)); // would write over them if they had gone back
        for (int i = 0; i < held.length; i++) assertArrayEquals(values[i], held[i].data(), 0f, "tensor " + i);
        assertFalse(Intermediates.known(keeper));
        assertFalse(Intermediates.known(subclass));
        assertFalse(Intermediates.known(new Sequential(new Conv2d(4, 8, 3), keeper)), "a container is known when its contents are");
        assertFalse(Intermediates.known(new Sequential() {}), "a subclass of Sequential may keep anything");
        assertTrue(Intermediates.known(new Sequential(new Conv2d(4, 8, 3), Activation.relu(), new Sequential(new Identity(), new Dropout(0.5f)))));
        assertTrue(Intermediates.known(new FrozenBatchNorm(BatchNorm.batchNorm2d(4))));
    }

    @Test
    void aFrozenBackboneRecyclesInsideAndItsHeadStillLearns() {
        Rng rng = new Rng(5);
        Sequential backbone = new Sequential(new Conv2d(16, 16, 3, 1, 1), Activation.relu(), new Conv2d(16, 16, 3, 1, 1), Activation.relu(), new MaxPool2d(2), new Flatten());
        Linear head = new Linear(16 * 16 * 16, 10);
        Sequential net = new Sequential(backbone, head);
        Tensor x = input(rng);

        net.forward(x).sum().backward(); // everything trains: nothing recycled
        float[] dw = head.weight.grad().data().clone();
        head.weight.zeroGrad();
        head.bias.zeroGrad();
        for (Tensor p : backbone.parameters()) p.requiresGrad(false);
        BufferPool.clear();
        net.forward(x).sum().backward();
        assertTrue(BufferPool.pooledBytes() > 0, "the frozen backbone's activations went back");
        assertArrayEquals(dw, head.weight.grad().data(), 0f);
    }

    @Test
    void residualBlocksAddInPlaceAndComputeWhatAFreshPoolComputes() {
        Rng rng = new Rng(6);
        for (Module model : new Module[] {
            ResNet.resnet18(10, 3, ResNet.Stem.SMALL, rng), ResNet.resnet50(10, 3, ResNet.Stem.IMAGENET, rng),
            VGG.create(11, true, 10, 3, rng)}) {
            model.eval();
            int size = model instanceof VGG ? 32 : 64;
            Tensor a = Tensor.randn(rng, 2, 3, size, size), b = Tensor.randn(rng, 2, 3, size, size);
            BufferPool.clear();
            float[] fresh = forwardNoGrad(model, b);
            forwardNoGrad(model, a);
            assertTrue(BufferPool.pooledBytes() > 0);
            assertArrayEquals(fresh, forwardNoGrad(model, b), 0f, model.getClass().getSimpleName());
            if (model instanceof VGG) continue; // its dropout draws anew in training
            model.train(); // batch statistics, still without gradients
            BufferPool.clear();
            float[] trainFresh = forwardNoGrad(model, b);
            forwardNoGrad(model, a);
            assertArrayEquals(trainFresh, forwardNoGrad(model, b), 0f, model.getClass().getSimpleName() + " in training mode");
        }
    }

    @Test
    void inPlaceAddReluRefusesWhatNeedsAGradient() {
        Tensor a = Tensor.of(new float[] {-1, 2, -3}, 3), b = Tensor.of(new float[] {0.5f, -1, 4}, 3);
        assertArrayEquals(new float[] {0, 1, 1}, Arithmetic.addReluInPlace(a, b).data(), 0f);
        assertThrows(IllegalStateException.class, () -> Arithmetic.addReluInPlace(Tensor.zeros(3).requiresGrad(true), b));
        assertThrows(IllegalArgumentException.class, () -> Arithmetic.addReluInPlace(Tensor.zeros(3), Tensor.zeros(4)));
    }
}
