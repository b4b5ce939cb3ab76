package io.descent.ops;

import io.descent.autograd.Node;
import io.descent.tensor.Tensor;

/**
 * Backward of an op whose last step is a ReLU and whose inputs each receive the gradient
 * before it unchanged: {@code relu(a)} and {@code relu(a + b)}. Saves the output and masks the
 * upstream gradient by it ({@link Activations#reluGrad}); every input that wants a gradient
 * gets that one tensor.
 */
final class ReluBackward extends Node {
    private final String name;
    private final int inputs;

    ReluBackward(String name, Tensor output, Tensor... inputs) {
        super(inputs);
        this.name = name;
        this.inputs = inputs.length;
        save(output.detach());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor pre = Activations.reluGrad(saved(0), g);
        Tensor[] grads = new Tensor[inputs];
        for (int i = 0; i < grads.length; i++) grads[i] = needsGrad(i) ? pre : null;
        return grads;
    }
}
