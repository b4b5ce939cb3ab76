"""Schedule parity fixtures: PyTorch 1.13's lr schedulers, value per optimizer update.

For each case, golden/sched_<case>.csv holds "step,lr" (and ",momentum" where the scheduler
cycles momentum or beta1): row t is what the optimizer's group held before update t, i.e.
what PyTorch's scheduler set (the recursive, chainable get_lr, as in training). Values are
repr() floats, so that the Java side (io.descent.optim.schedule.ScheduleParityTest) parses
the exact doubles. ReduceLROnPlateau cases (sched_plateau_<case>.csv) hold
"epoch,metric,lr0,lr1": the lr of two groups after each step(metric) on a fixed sequence.
The Java table mirrors the CASES below; keep the two in step.
"""
import math
import os
import warnings

import torch
from torch.optim import lr_scheduler as S

from golden import ROOT

warnings.filterwarnings("ignore")


def sgd(lr, momentum=0.9):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, momentum=momentum)


def adam(lr):
    return torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=lr)


def warmup_cosine(o):
    return S.SequentialLR(o, [S.LinearLR(o, start_factor=0.01, total_iters=20),
                              S.CosineAnnealingLR(o, T_max=280, eta_min=1e-4)], milestones=[20])


def multistep_exponential(o):
    return S.SequentialLR(o, [S.ConstantLR(o, factor=0.1, total_iters=10),
                              S.ExponentialLR(o, gamma=0.97)], milestones=[10])


# case: (optimizer factory, scheduler factory, steps, momentum key or None)
CASES = {
    "constant": (lambda: sgd(0.1), lambda o: S.ConstantLR(o, factor=0.5, total_iters=40), 100, None),
    "step": (lambda: sgd(0.1), lambda o: S.StepLR(o, step_size=30, gamma=0.5), 300, None),
    "multistep": (lambda: sgd(0.1), lambda o: S.MultiStepLR(o, milestones=[30, 80, 80, 200], gamma=0.5), 300, None),
    "exponential": (lambda: sgd(0.1), lambda o: S.ExponentialLR(o, gamma=0.98), 300, None),
    "linear": (lambda: sgd(0.1), lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=50), 100, None),
    "linear_decay": (lambda: sgd(0.1), lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=200), 300, None),
    "polynomial": (lambda: sgd(0.1), lambda o: S.PolynomialLR(o, total_iters=200, power=2.0), 300, None),
    "polynomial_linear": (lambda: sgd(0.1), lambda o: S.PolynomialLR(o, total_iters=250, power=1.0), 300, None),
    "cosine": (lambda: sgd(0.1), lambda o: S.CosineAnnealingLR(o, T_max=100, eta_min=0.001), 300, None),
    "cosine_zero": (lambda: sgd(0.1), lambda o: S.CosineAnnealingLR(o, T_max=300), 300, None),
    "warmup_cosine": (lambda: sgd(0.1), warmup_cosine, 300, None),
    "constant_exponential": (lambda: sgd(0.1), multistep_exponential, 200, None),
    "cyclic_triangular": (lambda: sgd(0.1), lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=20), 300, "momentum"),
    "cyclic_triangular2": (lambda: sgd(0.1), lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=15, step_size_down=25,
                                                                   mode="triangular2", base_momentum=0.85, max_momentum=0.95), 300, "momentum"),
    "cyclic_exp_range": (lambda: sgd(0.1), lambda o: S.CyclicLR(o, base_lr=0.001, max_lr=0.1, step_size_up=25, mode="exp_range",
                                                                 gamma=0.99), 300, "momentum"),
    "restarts": (lambda: sgd(0.1), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=1e-3), 300, None),
    "restarts_t1": (lambda: sgd(0.1), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=25), 300, None),
    "onecycle_cos": (lambda: sgd(0.1), lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=300), 301, "momentum"),
    "onecycle_linear": (lambda: sgd(0.1), lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=300, pct_start=0.25, anneal_strategy="linear",
                                                                  div_factor=10.0, final_div_factor=100.0), 300, "momentum"),
    "onecycle_three_phase": (lambda: sgd(0.1), lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=250, three_phase=True), 250, "momentum"),
    "onecycle_adam": (lambda: adam(0.001), lambda o: S.OneCycleLR(o, max_lr=0.01, total_steps=200, pct_start=0.4,
                                                                   base_momentum=0.8, max_momentum=0.9), 200, "beta1"),
}


def run(make_opt, make_sched, steps, mom):
    o = make_opt()
    s = make_sched(o)
    rows = []
    for t in range(steps):
        g = o.param_groups[0]
        row = [t, g["lr"]]
        if mom == "momentum":
            row.append(g["momentum"])
        elif mom == "beta1":
            row.append(g["betas"][0])
        rows.append(row)
        o.step()
        if t + 1 < steps:
            s.step()
    return rows


def write_csv(name, header, rows, comment):
    path = os.path.join(ROOT, name + ".csv")
    with open(path, "w") as f:
        f.write("# " + comment + "\n")
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(repr(v) for v in r) + "\n")
    print("wrote", os.path.relpath(path), f"({len(rows)} rows)")


METRICS = [1.0, 0.9, 0.85, 0.84, 0.845, 0.83, 0.8299, 0.83, 0.831, 0.84, 0.7, 0.69, 0.6905, 0.6901, 0.69, 0.695,
           0.7, 0.5, 0.49, 0.495, 0.4951, 0.4949, 0.496, 0.5, 0.51, 0.52, 0.45, 0.449, 0.4489, 0.45, 0.45, 0.45,
           0.451, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.29, 0.2, 0.2, 0.2, 0.21, 0.22, 0.2, 0.19, 0.19, 0.19, 0.19,
           float("nan"), 0.18, 0.18, 0.18, 0.18, 0.18, 0.17, 0.17, 0.17, 0.17]

PLATEAU = {
    "min_rel": dict(mode="min", factor=0.5, patience=3, threshold=1e-2, threshold_mode="rel"),
    "max_abs": dict(mode="max", factor=0.3, patience=2, threshold=0.05, threshold_mode="abs", cooldown=2, min_lr=[1e-3, 5e-4]),
    "min_abs_cooldown": dict(mode="min", factor=0.5, patience=1, threshold=0.0, threshold_mode="abs", cooldown=3, min_lr=0.004),
    "defaults": dict(),
}


def plateau(kwargs):
    p1, p2 = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    o = torch.optim.SGD([{"params": [p1]}, {"params": [p2], "lr": 0.05}], lr=0.1)
    s = S.ReduceLROnPlateau(o, **kwargs)
    metrics = METRICS if kwargs.get("mode", "min") == "min" else [-m if m == m else m for m in METRICS]
    rows = []
    for e, m in enumerate(metrics):
        s.step(m)
        rows.append([e, m, o.param_groups[0]["lr"], o.param_groups[1]["lr"]])
    return rows


def main():
    for name, (mo, ms, steps, mom) in CASES.items():
        write_csv("sched_" + name, "step,lr" + ("," + mom if mom else ""), run(mo, ms, steps, mom), name)
    for name, kwargs in PLATEAU.items():
        write_csv("sched_plateau_" + name, "epoch,metric,lr0,lr1", plateau(kwargs), "ReduceLROnPlateau " + repr(kwargs))


if __name__ == "__main__":
    main()
