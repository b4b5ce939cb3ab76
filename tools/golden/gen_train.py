"""Training-trajectory fixtures: whole training loops in PyTorch and in Descent, step by step.

Each case trains a small MLP (Flatten, 64 -> 32 -> ReLU -> 16 -> ReLU -> 10, as Descent's
Mlp) from formula weights (gen_models.formula_weights, exact in both languages) on fixed
batches (the last one smaller, as an epoch's remainder is; labels from a fixed linear
"teacher", so the loss falls) with cross-entropy and SGD:
forward, zero_grad, backward, step, as a user's loop and `descent bench e2e` run it. Stored:
the inputs, targets (as floats), the loss before every step and the final parameters, in
float64 (the reference) and PyTorch's float32 beside it, so that the Java test can hold
Descent to the float32 drift PyTorch itself shows.

Run: /usr/bin/python3 tools/golden/gen_train.py   (Debian python3-torch)
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
from gen_models import formula_weights  # noqa: E402

BATCHES = [16] * 29 + [6]  # 30 steps, the last one an epoch's remainder


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 10))


def train(dtype, xs, ys, sgd):
    model = mlp()
    formula_weights(model)
    model = model.to(dtype)
    opt = torch.optim.SGD(model.parameters(), **sgd)
    losses = []
    for x, y in zip(xs, ys):
        loss = nn.functional.cross_entropy(model(x.to(dtype)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    return torch.stack(losses), {n: p.detach().reshape(-1) for n, p in model.named_parameters()}


def case(name, seed, sgd):
    xs = [golden.seeded(seed + i, b, 1, 8, 8, low=0.0, high=1.0) for i, b in enumerate(BATCHES)]
    teacher = golden.seeded(seed, 64, 10)  # learnable labels: the argmax of a fixed linear map
    ys = [(x.reshape(len(x), -1) - 0.5).matmul(teacher).argmax(1) for x in xs]
    out = {"x": torch.cat(xs), "targets": torch.cat(ys).float()}
    losses64, params64 = train(torch.float64, xs, ys, sgd)
    losses32, params32 = train(torch.float32, xs, ys, sgd)
    out["loss"], out["loss32"] = losses64, losses32
    for pname in params64:
        out["param." + pname], out["param32." + pname] = params64[pname], params32[pname]
    golden.write("train_" + name, out)


if __name__ == "__main__":
    case("sgd_momentum", 100, dict(lr=0.1, momentum=0.9))  # W1's optimizer
    case("sgd_nesterov_wd", 200, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4))
    case("sgd_dampening_wd", 300, dict(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=5e-4))
