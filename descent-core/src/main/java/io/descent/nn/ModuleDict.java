package io.descent.nn;

import io.descent.tensor.Tensor;

/**
 * Named modules held together (PyTorch's {@code nn.ModuleDict}): their parameters and state
 * dict keys sit under this module's path, and their owner calls them; a ModuleDict has no
 * forward pass of its own.
 */
public final class ModuleDict extends Module {
    public ModuleDict put(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("ModuleDict holds modules and has no forward pass: call its children");
    }
}
