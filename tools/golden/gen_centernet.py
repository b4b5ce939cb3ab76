"""Golden fixture for Descent's CenterNet pieces: targets, loss, gradient and decoding.

Run with `python3 tools/golden/gen_centernet.py` (PyTorch >= 1.12). The reference follows
CenterNet's own training and decoding code (Zhou et al. 2019, github.com/xingyizhou/CenterNet:
src/lib/datasets/sample/ctdet.py, utils/image.py gaussian_radius / draw_umich_gaussian,
models/losses.py _neg_loss and RegL1Loss, models/decode.py ctdet_decode), written here in its
sparse form (an index and a mask per object, features gathered at the centres), where Descent
uses dense maps: the two must agree. Stores in golden/centernet.safetensors:
  boxes      [B, 6] image index, class, x1, y1, x2, y2 (input pixels; 64 x 64 images)
  output     [N, C + 4, H, W] the network output the loss and decoding read (random)
  heatmap    [N, C, H, W] the Gaussian heatmap targets
  loss       [4] total, heatmap, size, offset terms
  grad       d total / d output
  det_*      the top-K decoded detections per image: scores [N, K], classes, boxes [N, K, 4]
and in golden/model_centernet.safetensors the eval-mode forward pass of a centernet-resnet18
(3 classes, ImageNet stem) built on torchvision's resnet18, with gen_models.py's formula
weights (which the Java test recomputes, so no weights are stored): the input "x", the output
in float64 "ref" and in float32 "torch32"; in golden/torchvision_fpn.safetensors the finest
level of torchvision's own detection backbone (BackboneWithFPN) under formula weights, with
its key list (torchvision_fpn_keys.txt), and fasterrcnn_resnet50_fpn's key list
(fasterrcnn_resnet50_fpn_keys.txt): see torchvision_detection_fixture.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from golden import write

N, C, IMG, R, K = 2, 3, 64, 4, 10
H = W = IMG // R


def gaussian_radius(det_size, min_overlap=0.7):
    height, width = det_size
    a1, b1, c1 = 1, height + width, width * height * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 ** 2 - 4 * a1 * c1)) / 2
    a2, b2, c2 = 4, 2 * (height + width), (1 - min_overlap) * width * height
    r2 = (b2 + math.sqrt(b2 ** 2 - 4 * a2 * c2)) / 2
    a3, b3, c3 = 4 * min_overlap, -2 * min_overlap * (height + width), (min_overlap - 1) * width * height
    r3 = (b3 + math.sqrt(b3 ** 2 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)


def gaussian2d(shape, sigma):
    m, n = [(s - 1.) / 2. for s in shape]
    y, x = np.ogrid[-m:m + 1, -n:n + 1]
    h = np.exp(-(x * x + y * y) / (2 * sigma * sigma))
    h[h < np.finfo(h.dtype).eps * h.max()] = 0
    return h


def draw_gaussian(heatmap, center, radius):
    diameter = 2 * radius + 1
    gaussian = gaussian2d((diameter, diameter), sigma=diameter / 6)
    x, y = int(center[0]), int(center[1])
    height, width = heatmap.shape
    left, right = min(x, radius), min(width - x, radius + 1)
    top, bottom = min(y, radius), min(height - y, radius + 1)
    masked = heatmap[y - top:y + bottom, x - left:x + right]
    g = gaussian[radius - top:radius + bottom, radius - left:radius + right]
    np.maximum(masked, g, out=masked)


def boxes():
    """Random boxes with distinct centre cells per image, one at the image's edge, one tiny."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(N):
        used = set()
        while len([r for r in rows if r[0] == i]) < 5:
            w, h = rng.uniform(3, 30, 2)
            x1, y1 = rng.uniform(0, IMG - w), rng.uniform(0, IMG - h)
            cell = (int((x1 + w / 2) / R), int((y1 + h / 2) / R))
            if cell in used:
                continue
            used.add(cell)
            rows.append([i, rng.integers(C), x1, y1, x1 + w, y1 + h])
    rows.append([0, 1, IMG - 9.5, 40.25, IMG, 51.0])   # touching the right edge
    rows.append([1, 2, 10.2, 3.1, 12.0, 4.4])           # under a cell: radius 0
    return np.array(rows, dtype=np.float64).astype(np.float32).astype(np.float64)


def targets(bx):
    hm = np.zeros((N, C, H, W), dtype=np.float32)
    objs = [[] for _ in range(N)]  # (index, wh, reg) per object, as ctdet.py's ind / wh / reg
    for i, c, x1, y1, x2, y2 in bx:
        i, c = int(i), int(c)
        b = np.array([x1, y1, x2, y2], dtype=np.float32) / R
        h, w = b[3] - b[1], b[2] - b[0]
        if h > 0 and w > 0:
            radius = max(0, int(gaussian_radius((math.ceil(h), math.ceil(w)))))
            ct = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], dtype=np.float32)
            ct_int = ct.astype(np.int32)
            ct_int = np.minimum(ct_int, [W - 1, H - 1])
            draw_gaussian(hm[i, c], ct_int, radius)
            objs[i].append((ct_int[1] * W + ct_int[0], (w, h), ct - ct_int))
    return hm, objs


def neg_loss(pred, gt):
    pos_inds = gt.eq(1).float()
    neg_inds = gt.lt(1).float()
    neg_weights = torch.pow(1 - gt, 4)
    pos_loss = (torch.log(pred) * torch.pow(1 - pred, 2) * pos_inds).sum()
    neg_loss = (torch.log(1 - pred) * torch.pow(pred, 2) * neg_weights * neg_inds).sum()
    num_pos = pos_inds.sum()
    return -neg_loss if num_pos == 0 else -(pos_loss + neg_loss) / num_pos


def reg_l1(output, objs, which):
    """RegL1Loss: features gathered at each object's centre, L1 summed, / (mask sum + 1e-4)."""
    total, count = 0, 0
    for i in range(N):
        feat = output[i].reshape(output.shape[1], -1)
        for ind, wh, reg in objs[i]:
            target = torch.tensor(wh if which == "wh" else reg, dtype=torch.float32)
            total = total + (feat[:, ind] - target).abs().sum()
            count += 2
    return total / (count + 1e-4)


def decode(output):
    heat = output[:, :C].sigmoid()
    hmax = F.max_pool2d(heat, 3, stride=1, padding=1)
    heat = heat * (hmax == heat).float()
    scores, inds = torch.topk(heat.view(N, -1), K)
    classes = inds // (H * W)
    at = inds % (H * W)
    ys, xs = (at // W).float(), (at % W).float()
    feat = output[:, C:].reshape(N, 4, -1)
    g = lambda ch: torch.gather(feat[:, ch], 1, at)
    cx, cy, w, h = xs + g(2), ys + g(3), g(0), g(1)
    b = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=2) * R
    b = b.clamp(0, IMG)
    return scores, classes.float(), b


def main():
    bx = boxes()
    hm, objs = targets(bx)
    g = torch.Generator().manual_seed(11)
    output = torch.randn(N, C + 4, H, W, generator=g)
    output[:, C:C + 2] = output[:, C:C + 2].abs() * 3 + 1   # plausible sizes in cells
    output[:, C + 2:] = torch.rand(N, 2, H, W, generator=g)  # offsets within a cell
    out = output.clone().requires_grad_(True)
    pred = torch.clamp(out[:, :C].sigmoid(), min=1e-4, max=1 - 1e-4)
    lk = neg_loss(pred, torch.from_numpy(hm))
    lw = reg_l1(out[:, C:C + 2], objs, "wh")
    lo = reg_l1(out[:, C + 2:], objs, "reg")
    total = lk + 0.1 * lw + lo
    total.backward()
    scores, classes, b = decode(output)
    write("centernet", {
        "boxes": torch.from_numpy(bx).float(), "output": output, "heatmap": torch.from_numpy(hm),
        "loss": torch.stack([total, lk, lw, lo]).detach(), "grad": out.grad,
        "det_scores": scores, "det_classes": classes, "det_boxes": b,
    })


class CenterNetModel(torch.nn.Module):
    """Descent's centernet-resnet18 (models/CenterNet.java): resnet18 trunk, torchvision's FPN down to stride 4, three heads."""

    def __init__(self, classes, norm_layer=None):
        super().__init__()
        import torchvision
        r = torchvision.models.resnet18(norm_layer=norm_layer)
        for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
            setattr(self, name, getattr(r, name))
        conv = lambda i, o, k: torch.nn.Sequential(torch.nn.Conv2d(i, o, k, padding=k // 2))
        self.neck = torch.nn.ModuleDict({
            "inner_blocks": torch.nn.ModuleDict({str(l): conv(64 << l, 128, 1) for l in range(4)}),
            "layer_blocks": torch.nn.ModuleDict({"0": conv(128, 128, 3)})})
        head = lambda out: torch.nn.Sequential(torch.nn.Conv2d(128, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(64, out, 1))
        self.head = torch.nn.ModuleDict({"heatmap": head(classes), "size": head(2), "offset": head(2)})

    def stages(self, x):
        y = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        out = []
        for layer in (self.layer1, self.layer2, self.layer3, self.layer4):
            y = layer(y)
            out.append(y)
        return out

    def pyramid(self, x):
        """torchvision's FeaturePyramidNetwork.forward, its finest level only."""
        c = self.stages(x)
        inner = self.neck["inner_blocks"]
        p = inner["3"](c[3])
        for l in (2, 1, 0):
            lateral = inner[str(l)](c[l])
            p = lateral + F.interpolate(p, size=lateral.shape[-2:], mode="nearest")
        return self.neck["layer_blocks"]["0"](p)

    def forward(self, x):
        p = self.pyramid(x)
        return torch.cat([self.head[h](p) for h in ("heatmap", "size", "offset")], dim=1)


def check_against_torchvision_fpn(m, x):
    """The twin's pyramid is torchvision's FeaturePyramidNetwork's level '0' on the same weights."""
    from torchvision.ops import FeaturePyramidNetwork
    fpn = FeaturePyramidNetwork([64, 128, 256, 512], 128).double()
    state = {f"inner_blocks.{l}.0.{p}": getattr(m.neck["inner_blocks"][str(l)][0], p) for l in range(4) for p in ("weight", "bias")}
    state.update({f"layer_blocks.0.0.{p}": getattr(m.neck["layer_blocks"]["0"][0], p) for p in ("weight", "bias")})
    fpn.load_state_dict(state, strict=False)  # layer_blocks 1-3 feed the coarser levels, not level '0'
    with torch.no_grad():
        c = m.stages(x)
        want = fpn({str(l): c[l] for l in range(4)})["0"]
        assert torch.equal(want, m.pyramid(x)), "the twin's pyramid differs from torchvision's FPN"


def model_fixture():
    from gen_models import formula_weights
    m = CenterNetModel(3)
    formula_weights(m)
    m.eval()
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        torch32 = m(x)
        ref = m.double()(x.double())
    check_against_torchvision_fpn(m, x.double())
    write("model_centernet", {"x": x, "ref": ref, "torch32": torch32})


def write_keys(name, state):
    """The names and shapes of a state dict, in its order, one 'name d0,d1,...' per line."""
    from golden import ROOT
    path = os.path.join(ROOT, name + ".txt")
    with open(path, "w") as f:
        for k, v in state.items():
            f.write(k + " " + ",".join(str(d) for d in v.shape) + "\n")
    print("wrote", os.path.relpath(path), f"({len(state)} keys)")


def torchvision_detection_fixture():
    """A torchvision detection backbone (resnet18 with frozen batch norm, as torchvision's
    pretrained detectors have, and a 128-channel FPN on layers 1-4) under the names of its
    detectors' state dicts: gen_models.py's formula weights in that key order, the input "x" and
    the FPN's finest level in float64 "ref" and float32 "torch32"; its key list beside it. And the
    key list of fasterrcnn_resnet50_fpn as torchvision's COCO weights hold it (frozen batch norm,
    no num_batches_tracked), to check that every backbone and FPN key has a place in
    centernet-resnet50."""
    import torchvision
    from torchvision.models.detection.backbone_utils import BackboneWithFPN, _resnet_fpn_extractor
    from torchvision.ops.misc import FrozenBatchNorm2d
    from gen_models import formula_weights

    class Detector(torch.nn.Module):
        def __init__(self):
            super().__init__()
            r = torchvision.models.resnet18(norm_layer=FrozenBatchNorm2d)
            self.backbone = BackboneWithFPN(r, {f"layer{l}": str(l - 1) for l in range(1, 5)}, [64, 128, 256, 512], 128)

    d = Detector()
    formula_weights(d)
    d.eval()
    x = torch.rand(1, 3, 32, 40, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        torch32 = d.backbone(x)["0"]
        ref = d.double().backbone(x.double())["0"]
    write("torchvision_fpn", {"x": x, "ref": ref, "torch32": torch32})
    write_keys("torchvision_fpn_keys", d.state_dict())

    r50 = torchvision.models.resnet50(norm_layer=FrozenBatchNorm2d)
    frcnn = torchvision.models.detection.FasterRCNN(_resnet_fpn_extractor(r50, 3), num_classes=91)
    write_keys("fasterrcnn_resnet50_fpn_keys", frcnn.state_dict())


if __name__ == "__main__":
    main()
    model_fixture()
    torchvision_detection_fixture()
