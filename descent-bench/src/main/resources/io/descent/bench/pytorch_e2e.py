"""PyTorch side of `descent bench e2e`: one workload, same data, batch, threads and schedule as Descent.

Usage: python3 pytorch_e2e.py WORKLOAD THREADS [DATA_DIR] [--memory STEPS] [--seed S]   (WORKLOAD: W1, W2 or W3)
Prints one JSON object: images_per_s, test_accuracy, steps, timed_images, torch version,
peak_rss_mib (the process's peak resident set, from getrusage).
Images/s counts the training steps after 20 warm-up steps, over one epoch (W3: 200 steps).
The data are held as one tensor and sliced per batch (the fastest way PyTorch feeds them), so
PyTorch is measured at its best; pixels are scaled to [0, 1] like torchvision's ToTensor.

--seed S (default 0) seeds the initial weights and the order of examples: `bench e2e` passes the
run's index, as it does to Descent, so that accuracies over runs compare two distributions.

--memory STEPS measures what training needs (`descent bench memory`): STEPS training steps
only, no test set and no evaluation, and the images held as bytes and scaled per batch, as
Descent's data set holds them (as floats the training set alone would add 180-235 MiB).
"""
import gzip, json, os, resource, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, WARMUP = 128, 20


def idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(d, prefix, pad, as_bytes=False):
    def find(name):
        for c in (name + ".gz", name):
            if os.path.exists(os.path.join(d, c)):
                return os.path.join(d, c)
        raise FileNotFoundError(os.path.join(d, name))
    y = torch.from_numpy(idx(find(prefix + "-labels-idx1-ubyte")).astype(np.int64))
    images = idx(find(prefix + "-images-idx3-ubyte"))
    if as_bytes:
        return torch.from_numpy(images.copy()).unsqueeze(1), y
    return pixels(torch.from_numpy(images.astype(np.float32)).unsqueeze(1), pad), y


def pixels(x, pad):
    """Images scaled to [0, 1] and zero-padded by pad pixels each side."""
    x = x.float() / 255.0
    if pad:
        x = F.pad(x, (pad, pad, pad, pad))
    return x.contiguous()


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.b1(self.c1(x)))
        out = self.b2(self.c2(out))
        return F.relu(out + (x if self.down is None else self.down(x)))


def resnet18_small(classes=10, cin=1):
    """torchvision's resnet18 with the small-image stem: 3x3 stride-1 conv, no max-pool."""
    layers = [nn.Conv2d(cin, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)]
    c = 64
    for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [Block(c, cout, stride), Block(cout, cout, 1)]
        c = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes)]
    return nn.Sequential(*layers)


def workload(name):
    """(model, optimizer, max steps or None, pad) of one workload."""
    if name == "W1":
        m = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
        return m, torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9), None, 0
    if name == "W2":
        m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
        return m, torch.optim.Adam(m.parameters(), lr=1e-3), None, 0
    if name == "W3":
        m = resnet18_small()
        return m, torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4), 200, 2
    raise SystemExit("unknown workload " + name)


def blas_library():
    """The BLAS library this process mapped: Debian's torch calls whatever libblas.so.3 the
    alternatives system points at (the netlib reference, one thread, unless OpenBLAS is installed)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    return ", ".join(sorted(os.path.relpath(p, "/usr/lib") for p in paths)) or "unknown"


def main():
    args = sys.argv[1:]
    memory_steps, seed = None, 0
    if "--memory" in args:
        i = args.index("--memory")
        memory_steps = int(args[i + 1])
        del args[i:i + 2]
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    name, threads = args[0], int(args[1])
    data = args[2] if len(args) > 2 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model, opt, max_steps, pad = workload(name)
    xtr, ytr = load(data, "train", pad, as_bytes=memory_steps is not None)
    order = torch.randperm(len(xtr))
    steps = (len(xtr) + BATCH - 1) // BATCH if max_steps is None else max_steps
    if memory_steps is not None:
        steps = min(steps, memory_steps)
    model.train()
    timed_images, t0 = 0, None
    for s in range(steps):
        if s == WARMUP:
            t0 = time.perf_counter()
        i = order[s * BATCH:(s + 1) * BATCH]
        x, y = (xtr[i] if memory_steps is None else pixels(xtr[i], pad)), ytr[i]
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if s >= WARMUP:
            timed_images += len(i)
    loss.item()
    seconds = time.perf_counter() - t0 if t0 is not None else None
    accuracy = None
    if memory_steps is None:
        xte, yte = load(data, "t10k", pad)
        model.eval()
        correct = 0
        with torch.no_grad():
            for j in range(0, len(xte), 1000):
                correct += (model(xte[j:j + 1000]).argmax(1) == yte[j:j + 1000]).sum().item()
        accuracy = correct / len(xte)
    print(json.dumps({"workload": name, "images_per_s": timed_images / seconds if timed_images else None, "test_accuracy": accuracy,
                      "steps": steps, "timed_images": timed_images, "seconds": seconds, "torch": torch.__version__, "blas": blas_library(),
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
