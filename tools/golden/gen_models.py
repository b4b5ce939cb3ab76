"""Model parity fixtures: torchvision models vs Descent's, same weights, same inputs.

Weights are not stored (resnet50 alone is 100 MB): both sides fill every state_dict entry
from the same integer hash (SplitMix64 of (entry index, element index), see formula_weights;
the Java twin is io.descent.models.FormulaWeights in the tests), exact in both languages. Stored per model: the input, eval-mode logits, the train-mode
loss, and for every parameter its gradient's L2 norm plus 32 sampled elements — computed in
float64 (the reference) with PyTorch's float32 values beside them.

Run: /usr/bin/python3 tools/golden/gen_models.py   (Debian python3-torch, python3-torchvision)
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

SAMPLES = 32


def formula(k, n):
    """Uniform in [-1, 1): SplitMix64 of (k << 32) + i, top 53 bits (wrapping uint64 math)."""
    with np.errstate(over="ignore"):
        z = (np.uint64(k) << np.uint64(32)) + np.arange(n, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return torch.from_numpy(2 * u - 1)


def formula_weights(model):
    """Entry k (state_dict order) gets formula(k, n), scaled by its role (He-uniform weights)."""
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            if name.endswith("num_batches_tracked"):
                continue
            v = formula(k, t.numel()).reshape(t.shape)
            if name.endswith("running_var"):
                v = 0.5 + 0.25 * (1 + v)
            elif name.endswith("running_mean"):
                v = 0.1 * v
            elif t.dim() == 1 and name.endswith("weight"):
                v = 1 + 0.2 * v
            elif name.endswith("bias"):
                v = 0.1 * v
            else:
                fan_in = t.numel() // t.shape[0]
                v = v * math.sqrt(6.0 / fan_in)
            t.copy_(v.float())


def small_cnn(in_ch, classes, size):
    s = size // 4
    return nn.Sequential(nn.Conv2d(in_ch, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(64 * s * s, 128), nn.ReLU(), nn.Linear(128, classes))


def small_stem_resnet18(in_ch, classes):
    m = torchvision.models.resnet18(num_classes=classes)
    m.conv1 = nn.Conv2d(in_ch, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


def run(model, x, targets):
    """Eval logits, train-mode loss, and {param name: flat gradient} of a model on x."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
    model.train()
    for m in model.modules():  # dropout would make train mode random: compare with p = 0
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    model.zero_grad()
    loss = nn.functional.cross_entropy(model(x), torch.tensor(targets))
    loss.backward()
    return logits, loss.detach().reshape(1), {n: p.grad.reshape(-1) for n, p in model.named_parameters()}


def case(name, model, shape, targets):
    """Stores float64 results (the reference) and PyTorch's own float32 results beside them,
    so that tests can hold Descent to PyTorch's float32 accuracy where a deep train-mode
    network is ill-conditioned (e.g. resnet50 with batch-norm statistics of 2 images)."""
    formula_weights(model)
    x = golden.seeded(sum(map(ord, name)), *shape)
    out = {"x": x}
    logits32, loss32, grads32 = run(model, x, targets)
    formula_weights(model)  # train mode moved the running statistics
    logits64, loss64, grads64 = run(model.double(), x.double(), targets)
    out.update({"logits_eval": logits64, "logits_eval32": logits32, "loss_train": loss64, "loss_train32": loss32})
    for pname, g in grads64.items():
        idx = torch.arange(SAMPLES) * max(1, g.numel() // SAMPLES) % g.numel()
        out["grad_norm." + pname] = g.norm().reshape(1)
        out["grad_sample." + pname] = g[idx]
        out["grad_sample32." + pname] = grads32[pname][idx]
    golden.write("model_" + name, out)


if __name__ == "__main__":
    torch.manual_seed(0)
    case("small-cnn", small_cnn(1, 10, 28), (2, 1, 28, 28), [3, 7])
    case("resnet18", torchvision.models.resnet18(num_classes=10), (2, 3, 64, 64), [1, 9])
    case("resnet18_small", small_stem_resnet18(1, 10), (2, 1, 28, 28), [0, 4])
    case("resnet50", torchvision.models.resnet50(num_classes=10), (2, 3, 64, 64), [2, 5])
    case("vgg11_bn", torchvision.models.vgg11_bn(num_classes=10), (2, 3, 32, 32), [6, 8])
    # A real torch.save file: a small CNN (12 px input keeps it ~370 KB) with PyTorch's own
    # random init, and its eval logits; Descent loads the .pth by name and must match.
    cnn = small_cnn(1, 10, 12).eval()
    xin = golden.seeded(12, 3, 1, 12, 12)
    torch.save(cnn.state_dict(), os.path.join(golden.ROOT, "small_cnn12.pth"))
    with torch.no_grad():
        golden.write("small_cnn12_logits", {"x": xin, "logits": cnn(xin)})
