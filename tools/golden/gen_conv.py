"""Golden fixtures for the spatial ops: conv2d, conv_transpose2d, pooling, batch norm, upsampling.

Each case is a group of tensors under one prefix ("<case>.<key>"): the inputs, the op's
arguments as a float tensor "<case>.args" (so the Java tests read them from the fixture, not
from a copy of this table), the outputs, a fixed upstream gradient "<case>.gy" and the
gradients PyTorch computes for every differentiable input ("<case>.gx", ".gw", ".gb").

Run with: /usr/bin/python3 tools/golden/gen_conv.py
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

torch.manual_seed(0)


def grads(out, gy, **inputs):
    """Backward of <out, gy>; the gradient of each named input that requires grad, as g<name>."""
    out.backward(gy)
    return {"g" + k: v.grad for k, v in inputs.items() if v is not None and v.requires_grad}


def leaf(seed, *shape, low=-1.0, high=1.0):
    return golden.seeded(seed, *shape, low=low, high=high).requires_grad_(True)


def case(store, name, tensors):
    for k, v in tensors.items():
        store[name + "." + k] = v


def conv2d():
    # name: (N, C, H, W), (O, kH, kW), stride, padding, dilation, groups, bias
    cases = {
        "basic": ((2, 3, 7, 6), (4, 3, 3), (1, 1), (1, 1), (1, 1), 1, True),
        "stride2": ((2, 2, 9, 8), (3, 3, 3), (2, 2), (1, 1), (1, 1), 1, True),
        "dilated": ((1, 2, 9, 9), (3, 3, 3), (1, 1), (2, 2), (2, 2), 1, False),
        "groups": ((2, 4, 6, 5), (6, 3, 2), (1, 2), (1, 0), (1, 1), 2, True),
        "depthwise": ((2, 3, 6, 6), (3, 3, 3), (1, 1), (1, 1), (1, 1), 3, True),
        "pointwise": ((2, 5, 4, 3), (4, 1, 1), (1, 1), (0, 0), (1, 1), 1, True),
        "rect": ((1, 2, 5, 11), (2, 2, 5), (2, 3), (0, 2), (1, 1), 1, False),
    }
    store = {}
    for i, (name, (xs, (o, kh, kw), s, p, d, g, has_bias)) in enumerate(cases.items()):
        x = leaf(100 + i, *xs)
        w = leaf(200 + i, o, xs[1] // g, kh, kw)
        b = leaf(300 + i, o) if has_bias else None
        y = F.conv2d(x, w, b, s, p, d, g)
        gy = golden.seeded(400 + i, *y.shape)
        t = {"x": x, "w": w, "y": y, "gy": gy, "args": torch.tensor([*s, *p, *d, g], dtype=torch.float32)}
        if b is not None:
            t["b"] = b
        t.update(grads(y, gy, x=x, w=w, b=b))
        case(store, name, t)
    golden.write("conv2d", store)


def conv_transpose2d():
    # name: (N, C_in, H, W), (C_out, kH, kW), stride, padding, output_padding, groups, dilation, bias
    cases = {
        "basic": ((2, 3, 4, 5), (2, 3, 3), (1, 1), (0, 0), (0, 0), 1, (1, 1), True),
        "stride2": ((2, 2, 4, 3), (3, 3, 3), (2, 2), (1, 1), (1, 0), 1, (1, 1), True),
        "groups": ((1, 4, 3, 4), (6, 2, 3), (2, 1), (0, 1), (1, 0), 2, (1, 1), True),
        "dilated": ((2, 2, 3, 3), (2, 3, 2), (1, 2), (1, 0), (1, 1), 1, (2, 2), False),
    }
    store = {}
    for i, (name, (xs, (cout, kh, kw), s, p, op, g, d, has_bias)) in enumerate(cases.items()):
        x = leaf(500 + i, *xs)
        w = leaf(600 + i, xs[1], cout // g, kh, kw)
        b = leaf(700 + i, cout) if has_bias else None
        y = F.conv_transpose2d(x, w, b, s, p, op, g, d)
        gy = golden.seeded(800 + i, *y.shape)
        t = {"x": x, "w": w, "y": y, "gy": gy, "args": torch.tensor([*s, *p, *op, g, *d], dtype=torch.float32)}
        if b is not None:
            t["b"] = b
        t.update(grads(y, gy, x=x, w=w, b=b))
        case(store, name, t)
    golden.write("conv_transpose2d", store)


def distinct(seed, *shape):
    """A shuffled, scaled arange: distinct values 0.1 apart, so an argmax never ties."""
    n = 1
    for s in shape:
        n *= s
    g = torch.Generator().manual_seed(seed)
    return ((torch.randperm(n, generator=g).float() - n / 2) * 0.1).reshape(shape).requires_grad_(True)


def pool():
    store = {}
    # max: (N, C, H, W), kernel, stride, padding, dilation, ceil_mode
    maxes = {
        "max_basic": ((2, 2, 6, 6), (2, 2), (2, 2), (0, 0), (1, 1), False),
        "max_odd_pad": ((1, 3, 7, 5), (3, 3), (2, 2), (1, 1), (1, 1), False),
        "max_ceil": ((2, 1, 7, 7), (3, 2), (2, 2), (0, 1), (1, 1), True),
        "max_stride_dil": ((1, 2, 9, 8), (2, 3), (1, 2), (1, 1), (2, 1), False),
    }
    for i, (name, (xs, k, s, p, d, ceil)) in enumerate(maxes.items()):
        x = distinct(900 + i, *xs)
        y, idx = F.max_pool2d(x, k, s, p, d, ceil_mode=ceil, return_indices=True)
        gy = golden.seeded(1000 + i, *y.shape)
        t = {"x": x, "y": y, "idx": idx.float(), "gy": gy, "args": torch.tensor([*k, *s, *p, *d, int(ceil)], dtype=torch.float32)}
        t.update(grads(y, gy, x=x))
        case(store, name, t)
    # avg: (N, C, H, W), kernel, stride, padding, ceil_mode, count_include_pad
    avgs = {
        "avg_basic": ((2, 2, 6, 6), (2, 2), (2, 2), (0, 0), False, True),
        "avg_pad_incl": ((1, 2, 7, 5), (3, 3), (2, 2), (1, 1), False, True),
        "avg_pad_excl": ((1, 2, 7, 5), (3, 3), (2, 2), (1, 1), False, False),
        "avg_ceil_excl": ((2, 1, 8, 7), (3, 2), (2, 3), (1, 1), True, False),
        "avg_ceil_incl": ((2, 1, 8, 7), (3, 2), (2, 3), (1, 0), True, True),
    }
    for i, (name, (xs, k, s, p, ceil, cip)) in enumerate(avgs.items()):
        x = leaf(1100 + i, *xs)
        y = F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=cip)
        gy = golden.seeded(1200 + i, *y.shape)
        t = {"x": x, "y": y, "gy": gy, "args": torch.tensor([*k, *s, *p, int(ceil), int(cip)], dtype=torch.float32)}
        t.update(grads(y, gy, x=x))
        case(store, name, t)
    # adaptive: (N, C, H, W), (outH, outW)
    adaptives = {
        "adaptive_5to3": ((2, 2, 5, 5), (3, 3)),
        "adaptive_7to2": ((1, 3, 7, 7), (2, 2)),
        "adaptive_rect": ((1, 2, 6, 9), (4, 5)),
        "adaptive_global": ((2, 3, 7, 7), (1, 1)),
    }
    for i, (name, (xs, out)) in enumerate(adaptives.items()):
        x = leaf(1300 + i, *xs)
        y = F.adaptive_avg_pool2d(x, out)
        gy = golden.seeded(1400 + i, *y.shape)
        t = {"x": x, "y": y, "gy": gy, "args": torch.tensor(list(out), dtype=torch.float32)}
        t.update(grads(y, gy, x=x))
        case(store, name, t)
    golden.write("conv_pool", store)


def batch_norm():
    store = {}
    # name: input shape, training, momentum, eps, affine
    cases = {
        "train4d": ((4, 3, 5, 5), True, 0.1, 1e-5, True),
        "train2d": ((6, 4), True, 0.3, 1e-3, True),
        "train_noaffine": ((3, 2, 4, 3), True, 0.1, 1e-5, False),
        "eval4d": ((2, 3, 4, 4), False, 0.1, 1e-5, True),
        "eval2d": ((5, 3), False, 0.1, 1e-5, True),
    }
    for i, (name, (xs, training, momentum, eps, affine)) in enumerate(cases.items()):
        c = xs[1]
        x = (golden.seeded(1500 + i, *xs) * 2 + 0.5).requires_grad_(True)
        w = leaf(1600 + i, c, low=0.5, high=1.5) if affine else None
        b = leaf(1700 + i, c) if affine else None
        rm = golden.seeded(1800 + i, c, low=-0.5, high=0.5)
        rv = golden.seeded(1900 + i, c, low=0.5, high=2.0)
        t = {"x": x, "rm": rm.clone(), "rv": rv.clone()}
        if affine:
            t["w"] = w
            t["b"] = b
        y = F.batch_norm(x, rm, rv, w, b, training, momentum, eps)
        gy = golden.seeded(2000 + i, *y.shape)
        t.update({"y": y, "gy": gy, "rm_out": rm, "rv_out": rv,
                  "args": torch.tensor([int(training), momentum, eps], dtype=torch.float32)})
        t.update(grads(y, gy, x=x, w=w, b=b))
        case(store, name, t)
    golden.write("conv_batchnorm", store)


def upsample():
    store = {}
    # name: input shape, mode, size or None, scale_factor or None, align_corners
    cases = {
        "nearest_up2": ((1, 2, 3, 4), "nearest", (6, 8), None, None),
        "nearest_odd": ((2, 1, 5, 3), "nearest", (7, 5), None, None),
        "nearest_down": ((1, 2, 6, 7), "nearest", (4, 3), None, None),
        "nearest_scale": ((1, 1, 5, 4), "nearest", None, 1.75, None),
        "bilinear_up": ((1, 2, 3, 4), "bilinear", (7, 9), None, False),
        "bilinear_up_ac": ((1, 2, 3, 4), "bilinear", (7, 9), None, True),
        "bilinear_down": ((2, 1, 8, 6), "bilinear", (3, 4), None, False),
        "bilinear_down_ac": ((2, 1, 8, 6), "bilinear", (3, 4), None, True),
        "bilinear_scale": ((1, 2, 5, 4), "bilinear", None, 1.5, False),
    }
    for i, (name, (xs, mode, size, factor, ac)) in enumerate(cases.items()):
        x = leaf(2100 + i, *xs)
        y = F.interpolate(x, size=size, scale_factor=factor, mode=mode, align_corners=ac)
        gy = golden.seeded(2200 + i, *y.shape)
        args = [y.shape[2], y.shape[3], -1.0 if factor is None else factor, int(bool(ac))]
        t = {"x": x, "y": y, "gy": gy, "args": torch.tensor(args, dtype=torch.float32)}
        t.update(grads(y, gy, x=x))
        case(store, name, t)
    golden.write("conv_upsample", store)


if __name__ == "__main__":
    conv2d()
    conv_transpose2d()
    pool()
    batch_norm()
    upsample()
