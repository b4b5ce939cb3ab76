"""Golden fixtures for Descent's ops: forward values and gradients computed by PyTorch.

Run with `python3 tools/golden/gen_ops.py` (any PyTorch >= 1.12; written with 1.13). For each
case it stores, under keys "<case>.<key>":
  <input>        every input (integer targets are stored as floats),
  g              a fixed random upstream gradient shaped like the output,
  y              PyTorch's output,
  grad_<input>   PyTorch's gradient of (y * g).sum() for each differentiable input.
Inputs passed as `grad=` are differentiable; inputs passed as `const=` (targets, masks,
class weights) are not. The Java side is io.descent.ops.Golden*Test: one row per case.
"""
import itertools
import math

import torch
import torch.nn.functional as F

from golden import seeded, write

FIXTURES = {}  # fixture name -> {key: tensor}
_seeds = itertools.count(1)


def r(*shape, low=-1.0, high=1.0):
    """A fresh seeded uniform tensor (seeds follow the order of the cases below); () is a scalar."""
    return seeded(next(_seeds), *(shape or (1,)), low=low, high=high).reshape(shape)


def case(fixture, name, fn, grad=None, const=None):
    """Runs fn(**grad, **const) in PyTorch and records inputs, output, g and input gradients."""
    grad, const = grad or {}, const or {}
    inputs = {k: v.clone().requires_grad_(True) for k, v in grad.items()}
    y = fn(**inputs, **const)
    out = FIXTURES.setdefault(fixture, {})
    assert not any(k.startswith(name + ".") for k in out), "duplicate case " + name
    for k, v in {**grad, **const}.items():
        out[f"{name}.{k}"] = v
    out[f"{name}.y"] = y.detach()
    if inputs:
        g = r(*y.shape)
        grads = torch.autograd.grad((y * g).sum(), list(inputs.values()))
        out[f"{name}.g"] = g
        for k, gk in zip(inputs, grads):
            out[f"{name}.grad_{k}"] = gk


def with_values(t, values):
    """t with its first len(values) entries (flat order) replaced: exact zeros, boundaries, ties."""
    t = t.clone()
    t.view(-1)[: len(values)] = torch.tensor(values, dtype=t.dtype)
    return t


# ------------------------------------------------------------------ element-wise
E = "ops_elementwise"
# arithmetic with broadcasting: gradients are summed back to each input's shape
case(E, "add_same", lambda a, b: a + b, grad=dict(a=r(3, 4), b=r(3, 4)))
case(E, "add_bcast_row", lambda a, b: a + b, grad=dict(a=r(3, 4), b=r(4)))
case(E, "add_bcast_both", lambda a, b: a + b, grad=dict(a=r(2, 1, 4), b=r(3, 1)))
case(E, "sub_bcast", lambda a, b: a - b, grad=dict(a=r(1, 4), b=r(3, 1)))
case(E, "mul_bcast", lambda a, b: a * b, grad=dict(a=r(2, 3, 4), b=r(1, 3, 1)))
case(E, "mul_bcast_rank", lambda a, b: a * b, grad=dict(a=r(4), b=r(2, 3, 1)))
case(E, "div_bcast", lambda a, b: a / b, grad=dict(a=r(3, 4), b=r(4, low=0.5, high=2.0)))
case(E, "div_bcast_both", lambda a, b: a / b, grad=dict(a=r(2, 1, 3), b=r(4, 1, low=-2.0, high=-0.5)))
case(E, "add_scalar", lambda x: x + 2.5, grad=dict(x=r(2, 3)))
case(E, "mul_scalar", lambda x: x * -1.5, grad=dict(x=r(2, 3)))
case(E, "neg", lambda x: -x, grad=dict(x=r(2, 3)))
# an input used twice: its two gradient contributions must add
case(E, "mul_self", lambda x: x * x, grad=dict(x=r(2, 3)))
case(E, "reuse_branches", lambda x: x * x + x.exp(), grad=dict(x=r(2, 3)))

# pow / exp / log / sqrt / abs / clamp (exact zeros and clamp boundaries included on purpose)
case(E, "pow_2", lambda x: x.pow(2), grad=dict(x=with_values(r(3, 4), [0.0])))
case(E, "pow_3", lambda x: x.pow(3), grad=dict(x=with_values(r(3, 4, low=-2.0, high=2.0), [0.0])))
case(E, "pow_1_5", lambda x: x.pow(1.5), grad=dict(x=r(3, 4, low=0.1, high=3.0)))
case(E, "pow_neg_0_5", lambda x: x.pow(-0.5), grad=dict(x=r(3, 4, low=0.1, high=3.0)))
case(E, "pow_0", lambda x: x.pow(0), grad=dict(x=with_values(r(2, 3), [0.0])))
case(E, "exp", lambda x: x.exp(), grad=dict(x=r(3, 5, low=-6.0, high=6.0)))
case(E, "log", lambda x: x.log(), grad=dict(x=r(3, 5, low=0.01, high=10.0)))
case(E, "sqrt", lambda x: x.sqrt(), grad=dict(x=r(3, 5, low=0.01, high=4.0)))
case(E, "abs", lambda x: x.abs(), grad=dict(x=with_values(r(3, 4), [0.0, -0.0])))
case(E, "clamp", lambda x: x.clamp(-0.5, 0.4), grad=dict(x=with_values(r(4, 5), [-0.5, 0.4])))
case(E, "clamp_min_only", lambda x: x.clamp(min=-0.2), grad=dict(x=with_values(r(4, 5), [-0.2])))

# activations (zeros included: relu's gradient at 0 is 0, leaky_relu's is the slope)
case(E, "relu", lambda x: F.relu(x), grad=dict(x=with_values(r(4, 5), [0.0])))
case(E, "leaky_relu", lambda x: F.leaky_relu(x), grad=dict(x=with_values(r(4, 5), [0.0])))
case(E, "leaky_relu_0_2", lambda x: F.leaky_relu(x, 0.2), grad=dict(x=with_values(r(4, 5), [0.0])))
case(E, "gelu", lambda x: F.gelu(x), grad=dict(x=r(4, 6, low=-6.0, high=6.0)))
case(E, "gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), grad=dict(x=r(4, 6, low=-6.0, high=6.0)))
case(E, "sigmoid", lambda x: x.sigmoid(), grad=dict(x=r(4, 6, low=-20.0, high=20.0)))
case(E, "tanh", lambda x: x.tanh(), grad=dict(x=r(4, 6, low=-5.0, high=5.0)))

# where / masked_fill: the condition and mask are constants (non-zero = true), broadcast
case(E, "where_bcast", lambda cond, a, b: torch.where(cond != 0, a, b),
     grad=dict(a=r(2, 3), b=r(3)), const=dict(cond=torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])))
case(E, "masked_fill_bcast", lambda x, mask: x.masked_fill(mask != 0, 2.0),
     grad=dict(x=r(2, 3)), const=dict(mask=torch.tensor([1.0, 0.0, 1.0])))

# ------------------------------------------------------------------ reductions and shapes
R = "ops_reduce"
# sum / mean over all, one, several (negative) dims, with and without keepdim
case(R, "sum_all", lambda x: x.sum(), grad=dict(x=r(3, 4)))
case(R, "sum_dim0", lambda x: x.sum(0), grad=dict(x=r(3, 4)))
case(R, "sum_dims02_keep", lambda x: x.sum((0, 2), keepdim=True), grad=dict(x=r(2, 3, 4)))
case(R, "sum_dim_neg", lambda x: x.sum(-1), grad=dict(x=r(2, 3, 4)))
# enough rows for the reductions' parallel paths (when more than one thread)
case(R, "sum_rows_parallel", lambda x: x.sum(-1), grad=dict(x=r(520, 3)))
case(R, "sum_mid_parallel", lambda x: x.sum(1), grad=dict(x=r(8, 3, 5)))
case(R, "mean_all", lambda x: x.mean(), grad=dict(x=r(3, 4)))
case(R, "mean_dim_last", lambda x: x.mean(-1), grad=dict(x=r(3, 4)))
case(R, "mean_dims01_keep", lambda x: x.mean((0, 1), keepdim=True), grad=dict(x=r(2, 3, 4)))
# var: unbiased (correction 1) and population (correction 0), over one dim and several
case(R, "var_unbiased_dim1", lambda x: x.var(1), grad=dict(x=r(3, 5)))
case(R, "var_pop_dims02_keep", lambda x: torch.var(x, (0, 2), correction=0, keepdim=True), grad=dict(x=r(2, 3, 4)))
case(R, "var_unbiased_all", lambda x: torch.var(x, (0, 1), correction=1), grad=dict(x=r(4, 5)))
# max over a dim: the gradient goes to the first arg-max (ties included); argmax as floats
case(R, "max_dim1", lambda x: x.max(1).values, grad=dict(x=r(3, 5, 2)))
case(R, "max_dim0_keep", lambda x: x.max(0, keepdim=True).values, grad=dict(x=r(4, 3)))
case(R, "max_ties", lambda x: x.max(1).values,
     grad=dict(x=torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, -5.0, -1.0, -3.0]])))
case(R, "argmax_dim1", lambda x: x.argmax(1).float(), const=dict(x=with_values(r(3, 5), [0.7, 0.7])))

# shape ops: permute, transpose, reshape, flatten, concat, slice, index_select, pad (F.pad order)
case(R, "permute", lambda x: x.permute(2, 0, 1), grad=dict(x=r(2, 3, 4)))
case(R, "transpose", lambda x: x.transpose(0, 2), grad=dict(x=r(2, 3, 4)))
case(R, "reshape", lambda x: x.reshape(4, 6), grad=dict(x=r(2, 3, 4)))
case(R, "flatten_1_2", lambda x: x.flatten(1, 2), grad=dict(x=r(2, 3, 4, 2)))
case(R, "concat_dim1", lambda a, b, c: torch.cat([a, b, c], 1), grad=dict(a=r(2, 3, 2), b=r(2, 1, 2), c=r(2, 2, 2)))
case(R, "concat_dim_neg", lambda a, b: torch.cat([a, b], -1), grad=dict(a=r(3, 2), b=r(3, 4)))
case(R, "slice_step", lambda x: x[:, 1:6:2], grad=dict(x=r(2, 7)))
case(R, "index_select_repeats", lambda x: x.index_select(0, torch.tensor([2, 0, 2])), grad=dict(x=r(3, 4)))
case(R, "pad_last2", lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), grad=dict(x=r(2, 3, 4)))
case(R, "pad_crop", lambda x: F.pad(x, (-1, 1)), grad=dict(x=r(3, 4)))
case(R, "pad_3dims", lambda x: F.pad(x, (1, 0, 0, 2, 1, 1)), grad=dict(x=r(2, 2, 3)))

# ------------------------------------------------------------------ matmul and linear
M = "ops_matmul"
case(M, "mm", lambda a, b: a @ b, grad=dict(a=r(3, 4), b=r(4, 5)))
case(M, "mm_odd", lambda a, b: a @ b, grad=dict(a=r(19, 35), b=r(35, 21)))
case(M, "mv", lambda a, b: a @ b, grad=dict(a=r(3, 4), b=r(4)))
case(M, "vm", lambda a, b: a @ b, grad=dict(a=r(4), b=r(4, 3)))
case(M, "dot", lambda a, b: a @ b, grad=dict(a=r(4), b=r(4)))
case(M, "bmm", lambda a, b: a @ b, grad=dict(a=r(2, 3, 4), b=r(2, 4, 5)))
case(M, "bmm_4d", lambda a, b: a @ b, grad=dict(a=r(2, 2, 3, 4), b=r(2, 2, 4, 3)))
case(M, "batched_shared_rhs", lambda a, b: a @ b, grad=dict(a=r(2, 3, 4), b=r(4, 5)))
case(M, "batched_vec", lambda a, b: a @ b, grad=dict(a=r(2, 3, 4), b=r(4)))
# transposed operands (Descent: matmul(a, b, transA, transB))
case(M, "mm_tA", lambda a, b: a.mT @ b, grad=dict(a=r(4, 3), b=r(4, 5)))
case(M, "mm_tB", lambda a, b: a @ b.mT, grad=dict(a=r(3, 4), b=r(5, 4)))
case(M, "bmm_tA", lambda a, b: a.mT @ b, grad=dict(a=r(2, 4, 3), b=r(2, 4, 5)))
case(M, "mm_tA_tB", lambda a, b: a.mT @ b.mT, grad=dict(a=r(4, 3), b=r(5, 4)))
case(M, "bmm_tA_tB", lambda a, b: a.transpose(-1, -2) @ b.transpose(-1, -2), grad=dict(a=r(2, 4, 3), b=r(2, 5, 4)))
case(M, "shared_tA", lambda a, b: a.mT @ b, grad=dict(a=r(2, 4, 3), b=r(4, 5)))
case(M, "shared_tB", lambda a, b: a @ b.mT, grad=dict(a=r(2, 3, 4), b=r(5, 4)))
case(M, "bmm_tB_odd", lambda a, b: a @ b.mT, grad=dict(a=r(3, 9, 17), b=r(3, 13, 17)))
case(M, "mm_self", lambda a: a @ a.mT, grad=dict(a=r(3, 4)))
# linear: x·Wᵀ + b with PyTorch's weight layout [out, in]
case(M, "linear", lambda x, w, b: F.linear(x, w, b), grad=dict(x=r(3, 4), w=r(5, 4), b=r(5)))
case(M, "linear_3d_no_bias", lambda x, w: F.linear(x, w), grad=dict(x=r(2, 3, 4), w=r(5, 4)))
case(M, "linear_1d", lambda x, w, b: F.linear(x, w, b), grad=dict(x=r(4), w=r(5, 4), b=r(5)))

# ------------------------------------------------------------------ softmax and losses
S = "ops_softmax_loss"
case(S, "softmax_dim1", lambda x: x.softmax(1), grad=dict(x=r(3, 5)))
case(S, "softmax_dim0", lambda x: x.softmax(0), grad=dict(x=r(3, 2, 2)))
case(S, "softmax_mid", lambda x: x.softmax(1), grad=dict(x=r(2, 3, 4, low=-3.0, high=3.0)))
case(S, "log_softmax_last", lambda x: x.log_softmax(-1), grad=dict(x=r(3, 5)))
case(S, "log_softmax_dim0", lambda x: x.log_softmax(0), grad=dict(x=r(4, 3, low=-3.0, high=3.0)))
# large logits: ±80 overflows exp in float32 without the max shift
LARGE = with_values(r(3, 6, low=-80.0, high=80.0), [80.0, -80.0, 79.5, 80.0, -80.0, -80.0])
case(S, "softmax_large", lambda x: x.softmax(-1), grad=dict(x=LARGE))
case(S, "log_softmax_large", lambda x: x.log_softmax(-1), grad=dict(x=LARGE))
# a masked (attention-style) row: -inf entries get probability 0 and gradient 0
case(S, "softmax_masked", lambda x: x.softmax(-1),
     grad=dict(x=with_values(r(2, 4), [-math.inf, 0.3, -math.inf, 0.1])))

case(S, "softmax_rows_parallel", lambda x: x.softmax(-1), grad=dict(x=r(130, 9, low=-4.0, high=4.0)))

# cross_entropy with class-index targets (stored as floats; Java converts them to int[])
T = torch.tensor([1.0, 0.0, 4.0, 2.0, 4.0])
T_IGN = torch.tensor([1.0, -100.0, 4.0, 2.0, -100.0])
W = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])


def ce(**kw):
    return lambda x, t, w=None: F.cross_entropy(x, t.long(), weight=w, **kw)


case(S, "ce_plain", ce(), grad=dict(x=r(5, 5)), const=dict(t=T))
case(S, "ce_smooth", ce(label_smoothing=0.1), grad=dict(x=r(5, 5)), const=dict(t=T))
case(S, "ce_weight", ce(), grad=dict(x=r(5, 5)), const=dict(t=T, w=W))
case(S, "ce_ignore", ce(), grad=dict(x=r(5, 5)), const=dict(t=T_IGN))
case(S, "ce_ignore_custom", ce(ignore_index=4), grad=dict(x=r(5, 5)), const=dict(t=T))
case(S, "ce_weight_smooth_ignore", ce(label_smoothing=0.1), grad=dict(x=r(5, 5)), const=dict(t=T_IGN, w=W))
case(S, "ce_sum", ce(reduction="sum"), grad=dict(x=r(5, 5)), const=dict(t=T))
case(S, "ce_none", ce(reduction="none"), grad=dict(x=r(5, 5)), const=dict(t=T))
case(S, "ce_none_weight_smooth_ignore", ce(reduction="none", label_smoothing=0.1),
     grad=dict(x=r(5, 5)), const=dict(t=T_IGN, w=W))
case(S, "ce_sum_weight_smooth_ignore", ce(reduction="sum", label_smoothing=0.1),
     grad=dict(x=r(5, 5)), const=dict(t=T_IGN, w=W))
case(S, "ce_all_ignored", ce(), grad=dict(x=r(3, 5)), const=dict(t=torch.full((3,), -100.0)))  # y is NaN (0/0)
case(S, "ce_large_logits", ce(), grad=dict(x=r(5, 5, low=-80.0, high=80.0)), const=dict(t=T))
# cross_entropy with probability targets (mixup / distillation): targets get no gradient
P = torch.softmax(r(4, 5, low=-2.0, high=2.0), -1)


def ce_p(**kw):
    return lambda x, p, w=None: F.cross_entropy(x, p, weight=w, **kw)


case(S, "ce_probs", ce_p(), grad=dict(x=r(4, 5)), const=dict(p=P))
case(S, "ce_probs_smooth", ce_p(label_smoothing=0.1), grad=dict(x=r(4, 5)), const=dict(p=P))
case(S, "ce_probs_weight_smooth", ce_p(label_smoothing=0.2), grad=dict(x=r(4, 5)), const=dict(p=P, w=W))
case(S, "ce_probs_sum", ce_p(reduction="sum"), grad=dict(x=r(4, 5)), const=dict(p=P))
case(S, "ce_probs_none", ce_p(reduction="none"), grad=dict(x=r(4, 5)), const=dict(p=P))
# mse: both prediction and target are differentiable in PyTorch
case(S, "mse", lambda x, t: F.mse_loss(x, t), grad=dict(x=r(3, 4), t=r(3, 4)))
case(S, "mse_sum", lambda x, t: F.mse_loss(x, t, reduction="sum"), grad=dict(x=r(3, 4), t=r(3, 4)))
case(S, "mse_none", lambda x, t: F.mse_loss(x, t, reduction="none"), grad=dict(x=r(3, 4), t=r(3, 4)))

# ------------------------------------------------------------------ GEMM's multi-threaded path
# (a separate fixture: 64·64·64 multiply-adds is where Gemm starts splitting rows, ~98 KB)
L = "ops_matmul_large"
case(L, "shared_rhs_parallel", lambda a, b: a @ b, grad=dict(a=r(8, 8, 64), b=r(64, 64)))

for name, tensors in FIXTURES.items():
    write(name, tensors)
