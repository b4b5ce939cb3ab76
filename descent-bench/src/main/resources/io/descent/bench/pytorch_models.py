"""PyTorch side of `descent bench e2e` W4 and W5: random inputs, sizes and counts from the caller.

Usage:
  python3 pytorch_models.py W4 MODEL fwd|train THREADS BATCH SIZE WARMUPS ITERS
  python3 pytorch_models.py W5 SEGMENTS THREADS DEPTH WIDTH BATCH ITERS
Prints one JSON object: images_per_s, test_accuracy (null), steps, timed_images, step_ms, torch
version; W5 adds saved_bytes. Descent's side is ModelWorkload / CheckpointWorkload (the Java
code passes the sizes, so the two cannot drift apart).

W4: torchvision's resnet50 / vgg16 (random init, nothing downloaded), 1000 classes, seeded
random images. fwd = eval mode under no_grad; train = train mode, zero_grad, cross-entropy,
backward, SGD lr 0.01 momentum 0.9 step. images/s = batch / median time of ITERS timed
iterations after WARMUPS untimed ones.

W5: DEPTH x (Linear WIDTH + ReLU), He init, batch BATCH, cross-entropy over WIDTH classes;
SEGMENTS 0 = no checkpointing, else checkpoint_sequential (all segments but the last
checkpointed). One step = forward + loss + backward, then gradients cleared. Like `descent
bench checkpoint`: one untimed step without checkpointing, one step that measures the bytes
saved for backward, then the median of ITERS timed steps. PyTorch 1.13's checkpoint is the
re-entrant one, which gives the checkpointed segments' parameters no gradient unless the input
requires grad, so with SEGMENTS > 1 the input does (one extra input-gradient GEMM per step,
1 of about 96).

Saved bytes: a saved_tensors_hooks pair around the measured step adds the bytes of every tensor
saved for backward when it is packed and removes them when autograd frees it (after backward of
its node), keeping the peak. Like Descent's tape (autograd.SavedTensors): every save counts
(a ReLU output saved by the ReLU and by the next Linear counts twice), tensors sharing a
parameter's storage do not (the model holds them anyway), and the recomputation of a
checkpointed segment during backward counts.
"""
import json, os, resource, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def median_seconds(work, warmups, iters):
    for _ in range(warmups):
        work()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def w4(model_name, mode, batch, size, warmups, iters):
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, model_name)(num_classes=1000)
    x = torch.randn(batch, 3, size, size)
    y = torch.arange(batch) % 1000
    if mode == "fwd":
        model.eval()

        def work():
            with torch.no_grad():
                model(x)
    elif mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def work():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
    else:
        raise SystemExit("W4: mode must be fwd or train, got " + mode)
    s = median_seconds(work, warmups, iters)
    return {"workload": "W4-%s-%s" % (model_name, mode), "images_per_s": batch / s, "step_ms": 1e3 * s,
            "steps": iters, "timed_images": iters * batch}


def storage_ptr(t):
    return (t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage()).data_ptr()


class Tape:
    """Bytes saved for backward right now, and their peak (see the module docstring)."""

    def __init__(self, model):
        self.params = {storage_ptr(p) for p in model.parameters()}
        self.current = self.peak = 0

    def pack(self, t):
        n = 0 if storage_ptr(t) in self.params else t.numel() * t.element_size()
        self.current += n
        self.peak = max(self.peak, self.current)
        return Saved(self, t, n)

    @staticmethod
    def unpack(saved):
        return saved.tensor


class Saved:
    """What autograd keeps in place of a saved tensor; freeing it gives its bytes back."""
    __slots__ = ("tape", "tensor", "nbytes")

    def __init__(self, tape, tensor, nbytes):
        self.tape, self.tensor, self.nbytes = tape, tensor, nbytes

    def __del__(self):
        self.tape.current -= self.nbytes


def w5(segments, depth, width, batch, iters):
    from torch.utils.checkpoint import checkpoint_sequential
    torch.manual_seed(0)
    layers = []
    for _ in range(depth):
        lin = nn.Linear(width, width)
        nn.init.kaiming_normal_(lin.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.ReLU()]
    model = nn.Sequential(*layers).train()
    x = torch.randn(batch, width)
    y = (torch.arange(batch) * 7 + 1) % width

    def step(segs):
        xi = x.detach().requires_grad_(segs > 1)
        out = checkpoint_sequential(model, segs, xi) if segs > 1 else model(xi)
        F.cross_entropy(out, y).backward()
        model.zero_grad(set_to_none=True)

    step(0)  # warm-up without checkpointing, as Descent's side does
    tape = Tape(model)
    with torch.autograd.graph.saved_tensors_hooks(tape.pack, tape.unpack):
        step(segments)
    s = median_seconds(lambda: step(segments), 0, iters)
    return {"workload": "W5-seg%d" % segments, "images_per_s": batch / s, "step_ms": 1e3 * s, "steps": iters,
            "timed_images": iters * batch, "saved_bytes": tape.peak}


def blas_library():
    """The BLAS library this process mapped: Debian's torch calls whatever libblas.so.3 the
    alternatives system points at (the netlib reference, one thread, unless OpenBLAS is installed)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    return ", ".join(sorted(os.path.relpath(p, "/usr/lib") for p in paths)) or "unknown"


def main():
    a = sys.argv[1:]
    if len(a) == 8 and a[0] == "W4":
        threads = int(a[3])
        torch.set_num_threads(threads)
        out = w4(a[1], a[2], int(a[4]), int(a[5]), int(a[6]), int(a[7]))
    elif len(a) == 7 and a[0] == "W5":
        threads = int(a[2])
        torch.set_num_threads(threads)
        out = w5(int(a[1]), int(a[3]), int(a[4]), int(a[5]), int(a[6]))
    else:
        raise SystemExit(__doc__.split("\n\n")[1])
    out.update({"test_accuracy": None, "threads": threads, "torch": torch.__version__, "blas": blas_library(),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
