"""PyTorch side of `descent bench e2e` W4, W5 and W6: random inputs, sizes and counts from the caller.

Usage:
  python3 pytorch_models.py W4 MODEL fwd|train THREADS BATCH SIZE WARMUPS ITERS
  python3 pytorch_models.py W5 SEGMENTS THREADS DEPTH WIDTH BATCH ITERS
  python3 pytorch_models.py W6 THREADS BATCH WARMUPS ITERS
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

W6: Descent's centernet-resnet18 (models/CenterNet.java) built on torchvision's resnet18: the
trunk, torchvision's FPN down to stride 4 (1x1 laterals from layer4 to layer1 to 128 channels,
nearest upsampling, the 3x3 output conv of the finest level) and three heads (3x3 conv 64 + ReLU + 1x1: 10 classes, size,
offset); 64 px seeded random images, the boxes of DetectionWorkload.boxes, CenterNet's targets
(Gaussian heatmaps, sizes and offsets at the centres) built once before timing, its loss
(focal heatmap term + 0.1 x L1 size + L1 offset), backward, AdamW lr 1e-3 (weight decay 0.01).

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


class CenterNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        import torchvision
        r = torchvision.models.resnet18()
        for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
            setattr(self, name, getattr(r, name))
        self.inner = nn.ModuleList([nn.Conv2d(64 << l, 128, 1) for l in range(4)])
        self.layer = nn.Conv2d(128, 128, 3, padding=1)
        head = lambda out: nn.Sequential(nn.Conv2d(128, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, out, 1))
        self.heads = nn.ModuleList([head(classes), head(2), head(2)])

    def forward(self, x):
        y = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        c = []
        for layer in (self.layer1, self.layer2, self.layer3, self.layer4):
            y = layer(y)
            c.append(y)
        p = self.inner[3](c[3])
        for l in (2, 1, 0):
            lateral = self.inner[l](c[l])
            p = lateral + F.interpolate(p, size=lateral.shape[2:], mode="nearest")
        p = self.layer(p)
        return torch.cat([h(p) for h in self.heads], dim=1)


def w6_boxes(n, image=64, classes=10):
    """DetectionWorkload.boxes: image i has 1 + i % 4 boxes (x1, y1, x2, y2, class)."""
    out = []
    for i in range(n):
        rows = []
        for k in range(1 + i % 4):
            cx, cy = 8 + (i * 7 + k * 13) % 48, 8 + (i * 11 + k * 5) % 48
            w, h = 8 + (i + 3 * k) % 16, 8 + (2 * i + k) % 16
            rows.append((max(0, cx - w / 2), max(0, cy - h / 2), min(image, cx + w / 2), min(image, cy + h / 2), (i + k) % classes))
        out.append(rows)
    return out


def w6_targets(boxes, classes, grid, stride):
    """CenterNet's dense targets (as detect/CenterNetTargets.java): heatmap, size/offset maps, centre mask."""
    import math
    n = len(boxes)
    hm = torch.zeros(n, classes, grid, grid)
    reg = torch.zeros(n, 4, grid, grid)
    mask = torch.zeros(n, 1, grid, grid)
    objects = 0
    for i, rows in enumerate(boxes):
        for x1, y1, x2, y2, c in rows:
            x1, y1, x2, y2 = x1 / stride, y1 / stride, x2 / stride, y2 / stride
            w, h = x2 - x1, y2 - y1
            cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
            px, py = min(grid - 1, int(cx)), min(grid - 1, int(cy))
            H, W, o = math.ceil(h), math.ceil(w), 0.7
            b1, c1 = H + W, W * H * (1 - o) / (1 + o)
            b2, c2 = 2 * (H + W), (1 - o) * W * H
            b3, c3 = -2 * o * (H + W), (o - 1) * W * H
            r = max(0, int(min((b1 + math.sqrt(b1 * b1 - 4 * c1)) / 2, (b2 + math.sqrt(b2 * b2 - 16 * c2)) / 2,
                               (b3 + math.sqrt(b3 * b3 - 16 * o * c3)) / 2)))
            sigma = (2 * r + 1) / 6
            for dy in range(-min(py, r), min(grid - 1 - py, r) + 1):
                for dx in range(-min(px, r), min(grid - 1 - px, r) + 1):
                    hm[i, c, py + dy, px + dx] = max(hm[i, c, py + dy, px + dx].item(), math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)))
            reg[i, :, py, px] = torch.tensor([w, h, cx - px, cy - py])
            mask[i, 0, py, px] = 1
            objects += 1
    return hm, reg, mask, objects


def centernet_loss(out, hm, reg, mask, objects, classes):
    p = out[:, :classes].sigmoid().clamp(1e-4, 1 - 1e-4)
    pos = hm.eq(1).float()
    neg_w = torch.pow(1 - hm, 4) * hm.lt(1).float()
    num_pos = pos.sum()
    pos_term = (torch.log(p) * torch.pow(1 - p, 2) * pos).sum()
    neg_term = (torch.log(1 - p) * torch.pow(p, 2) * neg_w).sum()
    heat = -neg_term if num_pos == 0 else -(pos_term + neg_term) / num_pos
    norm = 2 * objects + 1e-4
    size = ((out[:, classes:classes + 2] - reg[:, :2]).abs() * mask).sum() / norm
    off = ((out[:, classes + 2:] - reg[:, 2:]).abs() * mask).sum() / norm
    return heat + 0.1 * size + off


def w6(batch, warmups, iters, classes=10, image=64):
    torch.manual_seed(0)
    model = CenterNet(classes)
    model.train()
    x = torch.randn(batch, 3, image, image)
    hm, reg, mask, objects = w6_targets(w6_boxes(batch, image, classes), classes, image // 4, 4)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def work():
        opt.zero_grad(set_to_none=True)
        centernet_loss(model(x), hm, reg, mask, objects, classes).backward()
        opt.step()
    s = median_seconds(work, warmups, iters)
    return {"workload": "W6-centernet-resnet18-train", "images_per_s": batch / s, "step_ms": 1e3 * s,
            "steps": iters, "timed_images": iters * batch}


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
    elif len(a) == 5 and a[0] == "W6":
        threads = int(a[1])
        torch.set_num_threads(threads)
        out = w6(int(a[2]), int(a[3]), int(a[4]))
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
