"""Optimizer parity fixtures: PyTorch 1.13's optimizers, 50 steps on two small problems.

Problems (their data lives in golden/optim_problems.safetensors):
  quad  an ill-conditioned quadratic f(x) = 0.5 x^T A x - b^T x (eigenvalues 1..100) over two
        parameters u [6] and v [2, 2]; the gradient A x - b is computed in float64 from the
        float32 parameters and rounded to float32, so both sides feed identical gradients.
  mlp   a 4-6-3 tanh MLP (fc1.weight, fc1.bias, fc2.weight, fc2.bias) with mean cross-entropy
        on 16 fixed points. Its gradient too is computed in float64 from the float32
        parameters and rounded to float32, so that the fixtures test the optimizers alone:
        float32 forward/backward passes differ in the last bit between any two engines, and
        50 steps of training amplify that. (The Java test also runs the MLP through Descent's
        float32 ops against the same fixtures, with a tolerance for that drift.)

For every case, golden/optim_<optimizer>.safetensors holds "<case>.<problem>": a [51, P]
tensor, the parameters (flattened in the order above) before step 1 and after each of the
50 steps. "maximize" cases feed the gradient of -f, so that maximizing still converges.
The Java side (io.descent.optim.OptimizerParityTest) has one row per case with the same
hyper-parameters; keep the two tables in step.
"""
import math

import torch

from golden import seeded, write

STEPS = 50
torch.set_num_threads(1)


def quadratic():
    n = 10
    g = torch.Generator().manual_seed(41)
    q, _ = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=torch.float64))
    lam = torch.logspace(0, 2, n, dtype=torch.float64)
    a = (q * lam) @ q.T
    a = ((a + a.T) / 2).float()
    b = seeded(42, n)
    x0 = seeded(43, n, low=-2.0, high=2.0)
    return {"quad.A": a, "quad.b": b, "quad.x0": x0}


def mlp():
    return {
        "mlp.x": seeded(51, 16, 4),
        "mlp.y": torch.randint(0, 3, (16,), generator=torch.Generator().manual_seed(52)).float(),
        "mlp.fc1.weight": seeded(53, 6, 4, low=-0.8, high=0.8),
        "mlp.fc1.bias": seeded(54, 6, low=-0.3, high=0.3),
        "mlp.fc2.weight": seeded(55, 3, 6, low=-0.8, high=0.8),
        "mlp.fc2.bias": seeded(56, 3, low=-0.3, high=0.3),
    }


DATA = {**quadratic(), **mlp()}


def make_params(problem):
    if problem == "quad":
        x0 = DATA["quad.x0"]
        return {"u": x0[:6].clone().requires_grad_(), "v": x0[6:].reshape(2, 2).clone().requires_grad_()}
    return {k: DATA["mlp." + k].clone().requires_grad_() for k in ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")}


def set_grads(problem, params, negate):
    if problem == "quad":
        x = torch.cat([params["u"].detach().reshape(-1), params["v"].detach().reshape(-1)]).double()
        g = (DATA["quad.A"].double() @ x - DATA["quad.b"].double()).float()
        if negate:
            g = -g
        params["u"].grad = g[:6].clone()
        params["v"].grad = g[6:].reshape(2, 2).clone()
    else:
        p64 = {k: p.detach().double().requires_grad_() for k, p in params.items()}
        h = torch.tanh(torch.nn.functional.linear(DATA["mlp.x"].double(), p64["fc1.weight"], p64["fc1.bias"]))
        out = torch.nn.functional.linear(h, p64["fc2.weight"], p64["fc2.bias"])
        loss = torch.nn.functional.cross_entropy(out, DATA["mlp.y"].long())
        if negate:
            loss = -loss
        loss.backward()
        for k, p in params.items():
            p.grad = p64[k].grad.float()


def flat(params):
    return torch.cat([p.detach().reshape(-1) for p in params.values()])


def groups_of(problem, params, spec):
    """spec None: one group; else (first-group overrides, second-group overrides)."""
    if spec is None:
        return [{"params": list(params.values())}]
    if problem == "quad":
        names = (["u"], ["v"])
    else:
        names = (["fc1.weight", "fc2.weight"], ["fc1.bias", "fc2.bias"])
    return [dict(params=[params[n] for n in names[i]], **spec[i]) for i in range(2)]


def run(cls, problem, kwargs, groups=None, negate=False):
    params = make_params(problem)
    opt = cls(groups_of(problem, params, groups), **kwargs)
    rows = [flat(params)]
    for _ in range(STEPS):
        set_grads(problem, params, negate)
        opt.step()
        rows.append(flat(params))
    out = torch.stack(rows)
    assert torch.isfinite(out).all(), (cls.__name__, problem, kwargs)
    return out


# (optimizer, case, {problem: kwargs}, groups, negate): the Java table mirrors these rows.
O = torch.optim
CASES = {
    "sgd": [
        ("plain", dict(quad=dict(lr=0.015), mlp=dict(lr=0.5)), None, False),
        ("momentum", dict(quad=dict(lr=0.015, momentum=0.9), mlp=dict(lr=0.3, momentum=0.9)), None, False),
        ("dampening", dict(quad=dict(lr=0.015, momentum=0.9, dampening=0.9), mlp=dict(lr=0.5, momentum=0.9, dampening=0.9)), None, False),
        ("nesterov", dict(quad=dict(lr=0.008, momentum=0.9, nesterov=True), mlp=dict(lr=0.3, momentum=0.9, nesterov=True)), None, False),
        ("weight_decay", dict(quad=dict(lr=0.015, momentum=0.5, weight_decay=0.5), mlp=dict(lr=0.3, momentum=0.5, weight_decay=0.05)), None, False),
        ("maximize", dict(quad=dict(lr=0.015, momentum=0.9, maximize=True), mlp=dict(lr=0.3, momentum=0.9, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.015, momentum=0.9), mlp=dict(lr=0.3, momentum=0.9)), ({}, {"lr": 0.002, "momentum": 0.5}), False),
    ],
    "adagrad": [
        ("plain", dict(quad=dict(lr=0.5), mlp=dict(lr=0.5)), None, False),
        ("decay", dict(quad=dict(lr=0.5, lr_decay=0.05, initial_accumulator_value=0.1, weight_decay=0.1),
                       mlp=dict(lr=0.5, lr_decay=0.05, initial_accumulator_value=0.1, weight_decay=0.01)), None, False),
        ("maximize", dict(quad=dict(lr=0.5, maximize=True), mlp=dict(lr=0.5, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.5), mlp=dict(lr=0.5)), ({}, {"lr": 0.05, "eps": 1e-3}), False),
    ],
    "rmsprop": [
        ("plain", dict(quad=dict(lr=0.01), mlp=dict(lr=0.01)), None, False),
        ("centered", dict(quad=dict(lr=0.01, centered=True), mlp=dict(lr=0.01, centered=True)), None, False),
        ("momentum", dict(quad=dict(lr=0.01, momentum=0.9, alpha=0.9), mlp=dict(lr=0.01, momentum=0.9, alpha=0.9)), None, False),
        ("centered_momentum_wd", dict(quad=dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1),
                                      mlp=dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.01)), None, False),
        ("maximize", dict(quad=dict(lr=0.01, maximize=True), mlp=dict(lr=0.01, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.01), mlp=dict(lr=0.01)), ({}, {"lr": 0.001, "centered": True}), False),
    ],
    "adam": [
        ("plain", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), None, False),
        ("weight_decay", dict(quad=dict(lr=0.05, weight_decay=0.5), mlp=dict(lr=0.05, weight_decay=0.05)), None, False),
        ("amsgrad", dict(quad=dict(lr=0.05, amsgrad=True, betas=(0.8, 0.99)), mlp=dict(lr=0.05, amsgrad=True, betas=(0.8, 0.99))), None, False),
        ("maximize", dict(quad=dict(lr=0.05, maximize=True), mlp=dict(lr=0.05, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), ({}, {"lr": 0.005, "betas": (0.5, 0.9)}), False),
    ],
    "adamw": [
        ("plain", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), None, False),
        ("weight_decay", dict(quad=dict(lr=0.05, weight_decay=0.5), mlp=dict(lr=0.05, weight_decay=0.5)), None, False),
        ("amsgrad", dict(quad=dict(lr=0.05, weight_decay=0.1, amsgrad=True), mlp=dict(lr=0.05, weight_decay=0.1, amsgrad=True)), None, False),
        ("maximize", dict(quad=dict(lr=0.05, maximize=True), mlp=dict(lr=0.05, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), ({}, {"lr": 0.005, "weight_decay": 0.0}), False),
    ],
    "nadam": [
        ("plain", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), None, False),
        ("weight_decay", dict(quad=dict(lr=0.05, weight_decay=0.5, momentum_decay=0.01),
                              mlp=dict(lr=0.05, weight_decay=0.05, momentum_decay=0.01)), None, False),
        ("groups", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), ({}, {"lr": 0.005, "betas": (0.5, 0.9)}), False),
    ],
    "adamax": [
        ("plain", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), None, False),
        ("weight_decay", dict(quad=dict(lr=0.05, weight_decay=0.5), mlp=dict(lr=0.05, weight_decay=0.05)), None, False),
        ("maximize", dict(quad=dict(lr=0.05, maximize=True), mlp=dict(lr=0.05, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=0.05), mlp=dict(lr=0.05)), ({}, {"lr": 0.005, "betas": (0.5, 0.9)}), False),
    ],
    "adadelta": [
        ("plain", dict(quad=dict(lr=5.0), mlp=dict(lr=1.0)), None, False),
        ("rho_wd", dict(quad=dict(lr=2.0, rho=0.5, weight_decay=0.1), mlp=dict(lr=2.0, rho=0.5, weight_decay=0.01)), None, False),
        ("maximize", dict(quad=dict(lr=1.0, maximize=True), mlp=dict(lr=1.0, maximize=True)), None, True),
        ("groups", dict(quad=dict(lr=1.0), mlp=dict(lr=1.0)), ({}, {"lr": 0.1, "rho": 0.5}), False),
    ],
}
CLASSES = {"sgd": O.SGD, "adagrad": O.Adagrad, "rmsprop": O.RMSprop, "adam": O.Adam, "adamw": O.AdamW,
           "nadam": O.NAdam, "adamax": O.Adamax, "adadelta": O.Adadelta}


def main():
    write("optim_problems", DATA)
    for name, cases in CASES.items():
        out = {}
        for case, per_problem, groups, negate in cases:
            for problem, kwargs in per_problem.items():
                out[f"{case}.{problem}"] = run(CLASSES[name], problem, kwargs, groups, negate)
        write("optim_" + name, out)


if __name__ == "__main__":
    main()
