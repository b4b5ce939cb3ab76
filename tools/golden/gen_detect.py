"""Golden fixtures for io.descent.detect: torchvision.ops box functions and pycocotools' COCOeval.

Run with `python3 tools/golden/gen_detect.py` (written with PyTorch 1.13, torchvision 0.14,
numpy 1.24 and pycocotools 2.0.11 from pip). Every box and score is float32 before either library
sees it, so the Java side (which holds floats) evaluates exactly the same inputs.

detect_boxes.safetensors (io.descent.detect.BoxOpsTest):
  boxes [50, 4]     xyxy: random boxes, exact duplicates, jittered copies, edge-touching boxes,
                    two identical boxes without area, a pair with IoU exactly 0.5
  boxes_b [20, 4]   more boxes (some equal to rows of `boxes`)
  scores [50], classes [50]   with ties in score, within a class and across classes
  area              box_area(boxes)
  iou_aa, iou_ab    box_iou(boxes, boxes), box_iou(boxes, boxes_b), NaN (0/0: no area in either
                    box) written as 0, Descent's convention
  thresholds [5]    IoU thresholds (float32 values)
  nms_<k>, batched_nms_<k>   kept indices at thresholds[k] (as floats)

detect_map.safetensors (io.descent.detect.MeanAveragePrecisionTest), per case <c>:
  <c>.images [1]                     number of images (ids 1..n in COCO, in this order)
  <c>.gt_boxes [G, 4], <c>.gt_labels [G], <c>.gt_image [G]       ground truth, xyxy
  <c>.dt_boxes [D, 4], <c>.dt_scores [D], <c>.dt_labels [D], <c>.dt_image [D]   detections
  <c>.stats [7]                      COCOeval stats[0], ..., stats[5], stats[8]: AP@[.5:.95], AP50,
                                     AP75 (area all), AP_S, AP_M, AP_L (AP@[.5:.95] of areas small
                                     [0, 32^2], medium [32^2, 96^2], large [96^2, 1e5^2]), AR@100
                                     (area all); all at maxDets 100, -1 where COCOeval gives -1
  <c>.per_class [C]                  per class 0..C-1: mean of eval['precision'][:, :, k, 0, 2]
                                     over entries > -1, or -1 where there are none
  Doubles are stored as float pairs: <key> (the float nearest) and <key>_lo (the float nearest
  the remainder), so the Java test can compare to ~1e-14, not float32's ~1e-7.
Boxes within an image are listed in the order COCO gets them (annotation ids follow it); classes
are COCO category ids minus 1 (COCO ids start at 1: a detection matched to a ground-truth id 0
would count as unmatched in COCOeval). A ground truth's COCO `area` is its w*h, as loadRes sets it
for detections, so the area ranges treat both alike (the Java side has no area field).
"""
import contextlib
import io

import numpy as np
import torch
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from torchvision.ops import batched_nms, box_area, box_iou, nms
from torchvision.ops.boxes import _batched_nms_coordinate_trick, _batched_nms_vanilla

from golden import write

# ------------------------------------------------------------------ torchvision.ops


def xyxy(x1, y1, w, h):
    return torch.stack([x1, y1, x1 + w, y1 + h], -1)


def box_fixture():
    g = torch.Generator().manual_seed(11)
    u = lambda n, lo, hi: torch.rand(n, generator=g, dtype=torch.float64) * (hi - lo) + lo
    rand = xyxy(u(26, 0, 90), u(26, 0, 90), u(26, 1, 30), u(26, 1, 30))
    dups = rand[[0, 3, 3, 7, 12, 20]]
    jitter = rand[[1, 2, 5, 8, 9, 13, 14, 17, 21, 25]] + u(40, -3, 3).reshape(10, 4)
    jitter = torch.cat([torch.minimum(jitter[:, :2], jitter[:, 2:]), torch.maximum(jitter[:, :2], jitter[:, 2:])], 1)
    touching = torch.tensor([[10, 10, 20, 20], [20, 10, 30, 20], [10, 20, 20, 30], [20, 20, 30, 30]], dtype=torch.float64)
    no_area = torch.tensor([[40, 40, 40, 50], [40, 40, 40, 50]], dtype=torch.float64)
    half = torch.tensor([[60, 60, 70, 70], [60, 60, 70, 65]], dtype=torch.float64)  # IoU exactly 0.5
    boxes = torch.cat([rand, dups, jitter, touching, no_area, half]).float()
    n = boxes.shape[0]
    assert n == 50
    scores = u(n, 0, 1).float()
    scores[26] = scores[0]            # a duplicate with its original's score
    scores[27] = scores[28] = scores[3]
    scores[[5, 9, 14, 30, 40]] = 0.5  # ties among unrelated boxes
    scores[[42, 43, 44, 45]] = 0.25   # the touching boxes all tie
    scores[46] = scores[47] = 0.75    # the two identical boxes without area
    classes = torch.randint(0, 4, (n,), generator=g)
    classes[[26, 27, 28, 46, 47, 48, 49]] = torch.tensor([int(classes[0]), int(classes[3]), int(classes[3]), 1, 1, 2, 2])
    boxes_b = torch.cat([xyxy(u(14, 0, 90), u(14, 0, 90), u(14, 1, 30), u(14, 1, 30)).float(), boxes[[0, 4, 30, 42, 46, 48]]])

    out = {"boxes": boxes, "boxes_b": boxes_b, "scores": scores, "classes": classes.float(),
           "area": box_area(boxes),
           "iou_aa": torch.nan_to_num(box_iou(boxes, boxes), nan=0.0),
           "iou_ab": torch.nan_to_num(box_iou(boxes, boxes_b), nan=0.0)}
    thresholds = torch.tensor([0.0, 0.3, 0.5, 0.7, 0.9], dtype=torch.float32)
    out["thresholds"] = thresholds
    for k, t in enumerate(thresholds.tolist()):  # the float32 values, as doubles
        keep = nms(boxes, scores, t)
        kept = batched_nms(boxes, scores, classes, t)
        # the coordinate-offset path (taken here) and the per-class path agree on these boxes,
        # as sets; their orders differ only among equal scores (the per-class path's sort is unstable)
        assert torch.equal(kept, _batched_nms_coordinate_trick(boxes, scores, classes, t))
        assert sorted(kept.tolist()) == sorted(_batched_nms_vanilla(boxes, scores, classes, t).tolist()), t
        out[f"nms_{k}"] = keep.float()
        out[f"batched_nms_{k}"] = kept.float()
    return out


# ------------------------------------------------------------------ pycocotools COCOeval


def hi_lo(values):
    """Doubles as two float32 tensors whose sum restores them to ~1e-14."""
    v = torch.tensor(values, dtype=torch.float64)
    hi = v.float()
    return hi, (v - hi.double()).float()


def coco_eval(images, gt, dt, classes):
    """COCOeval (bbox, 100 dets) of float32 xyxy boxes; returns stats[0:6] + [stats[8]] and per-class AP (area all)."""
    def bbox(b):
        x1, y1, x2, y2 = (float(v) for v in b)
        return [x1, y1, x2 - x1, y2 - y1]

    anns = []
    for k, (img, label, b) in enumerate(zip(gt["image"], gt["labels"], gt["boxes"])):
        bb = bbox(b)
        anns.append({"id": k + 1, "image_id": img + 1, "category_id": label + 1, "bbox": bb,
                     "area": bb[2] * bb[3], "iscrowd": 0})
    coco = COCO()
    coco.dataset = {"images": [{"id": i + 1} for i in range(images)], "annotations": anns,
                    "categories": [{"id": c + 1, "name": str(c)} for c in range(classes)]}
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
        res = coco.loadRes([{"image_id": img + 1, "category_id": label + 1, "bbox": bbox(b), "score": float(s)}
                            for img, label, b, s in zip(dt["image"], dt["labels"], dt["boxes"], dt["scores"])])
        e = COCOeval(coco, res, "bbox")
        e.evaluate()
        e.accumulate()
        e.summarize()
    assert list(e.params.maxDets) == [1, 10, 100]
    assert e.params.areaRngLbl == ["all", "small", "medium", "large"]
    assert e.params.areaRng == [[0, 1e10], [0, 32 ** 2], [32 ** 2, 96 ** 2], [96 ** 2, 1e10]]
    precision = e.eval["precision"][:, :, :, 0, 2]  # [T, R, K] at area all, maxDets 100
    per_class = []
    for k in range(classes):
        p = precision[:, :, k]
        per_class.append(float(np.mean(p[p > -1])) if (p > -1).any() else -1.0)
    return [float(s) for s in e.stats[:6]] + [float(e.stats[8])], per_class


def jitter_box(rng, b, sigma):
    w, h = b[2] - b[0], b[3] - b[1]
    j = b + rng.normal(0, sigma, 4) * np.array([w, h, w, h])
    return np.array([min(j[0], j[2]), min(j[1], j[3]), max(j[0], j[2]), max(j[1], j[3])])


def random_box(rng, size=200, lo=8, hi=80):
    x, y = rng.uniform(0, size, 2)
    w, h = rng.uniform(lo, hi, 2)
    return np.array([x, y, x + w, y + h])


def varied_box(rng, size=300):
    """A box of side sqrt(w*h) log-uniform in [8, 200] px (aspect 1/2 to 2) inside a size x size
    image: about 43% small (below 32^2 px^2), 34% medium and 23% large (above 96^2)."""
    side = np.exp(rng.uniform(np.log(8), np.log(200)))
    aspect = np.exp(rng.uniform(np.log(0.5), np.log(2)))
    w, h = min(side * np.sqrt(aspect), size - 1), min(side / np.sqrt(aspect), size - 1)
    x, y = rng.uniform(0, size - w), rng.uniform(0, size - h)
    return np.array([x, y, x + w, y + h])


def bound_box(rng):
    """An integer box at or near an area bound, piled into a 40 px corner (boxes overlap): exactly
    32x32, 16x64, 96x96 or 64x144 (areas 32^2 and 96^2, in both ranges they close), or each side
    within a few px of 32 or 96."""
    x, y = rng.integers(0, 40, 2)
    exact = [(32, 32), (16, 64), (96, 96), (64, 144)]
    if rng.uniform() < 0.4:
        w, h = exact[rng.integers(0, len(exact))]
    else:
        s = 32 if rng.uniform() < 0.5 else 96
        w, h = rng.integers(s - 4, s + 5, 2)
    return np.array([x, y, x + w, y + h], dtype=float)


def synthetic(seed, images, gt_classes, detected, fp_classes, max_gt, missed=0.2, dup=0.2, fp_max=3,
              score=lambda rng: rng.uniform(), grid=None, crowd=None, flood=None, twins=0.0,
              box=None, fp_box=random_box):
    """A fake data set: per image up to max_gt random ground truths of gt_classes (from `box` when
    given); detections are the ground truths of the `detected` classes jittered (some missed, some
    found twice) with random scores, plus up to fp_max false positives of fp_classes from `fp_box`,
    shuffled within the image.
    On a grid, a ground truth has with probability `twins` a twin of its class shifted by half its
    width, and a detection a quarter width over, at IoU 0.6 from both (COCOeval takes the later);
    detections of grid boxes are shifted by whole steps of grid // 2 px (1 px on a grid of 1)."""
    rng = np.random.default_rng(seed)
    gt = {"image": [], "labels": [], "boxes": []}
    dt = {"image": [], "labels": [], "boxes": [], "scores": []}
    for img in range(images):
        n = rng.integers(0, max_gt + 1)
        boxes = []
        for _ in range(n):
            if box:
                boxes.append(box(rng))
            elif crowd:  # boxes piled up in one corner: many overlaps
                boxes.append(random_box(rng, size=crowd, lo=10, hi=30))
            elif grid:  # integer boxes on a grid: exact IoUs, equal IoUs
                x, y = rng.integers(0, 20, 2) * grid
                w, h = rng.integers(2, 7, 2) * grid
                boxes.append(np.array([x, y, x + w, y + h], dtype=float))
            else:
                boxes.append(random_box(rng))
        labels = [int(rng.choice(gt_classes)) for _ in range(n)]
        dets = []
        for k in range(n):
            if grid and rng.uniform() < twins:
                w = boxes[k][2] - boxes[k][0]
                boxes.append(boxes[k] + np.array([w / 2, 0, w / 2, 0]))
                labels.append(labels[k])
                dets.append((labels[k], boxes[k] + np.array([w / 4, 0, w / 4, 0]), score(rng)))
        for b, l in zip(boxes, labels):
            gt["image"].append(img)
            gt["labels"].append(l)
            gt["boxes"].append(b)
            if l not in detected or rng.uniform() < missed:
                continue
            for _ in range(2 if rng.uniform() < dup else 1):
                if grid:
                    shift = rng.integers(-1, 2, 4) * (grid // 2 if grid > 1 else 1)
                    d = b + shift
                    d = np.array([min(d[0], d[2]), min(d[1], d[3]), max(d[0], d[2]), max(d[1], d[3])])
                else:
                    d = jitter_box(rng, b, rng.uniform(0.01, 0.25))
                dets.append((l, d, score(rng)))
        for _ in range(rng.integers(0, fp_max + 1)):
            dets.append((int(rng.choice(fp_classes)), fp_box(rng), score(rng) * 0.7))
        if flood is not None and img == flood:  # more than maxDets detections of one class
            for _ in range(150):
                dets.append((0, random_box(rng, size=crowd or 200), score(rng)))
        for i in rng.permutation(len(dets)):
            l, d, s = dets[i]
            dt["image"].append(img)
            dt["labels"].append(l)
            dt["boxes"].append(d)
            dt["scores"].append(s)
    # float32 everywhere, before COCOeval sees anything
    gt["boxes"] = torch.tensor(np.array(gt["boxes"]).reshape(-1, 4)).float()
    dt["boxes"] = torch.tensor(np.array(dt["boxes"]).reshape(-1, 4)).float()
    dt["scores"] = torch.tensor(dt["scores"], dtype=torch.float64).float()
    return gt, dt


def map_case(out, name, images, classes, gt, dt):
    stats, per_class = coco_eval(images, {**gt, "boxes": gt["boxes"].tolist()},
                                 {**dt, "boxes": dt["boxes"].tolist(), "scores": dt["scores"].tolist()}, classes)
    print(name, "stats", stats, "per class", per_class)
    out[f"{name}.images"] = torch.tensor([float(images)])
    out[f"{name}.gt_boxes"] = gt["boxes"]
    out[f"{name}.gt_labels"] = torch.tensor(gt["labels"], dtype=torch.float32)
    out[f"{name}.gt_image"] = torch.tensor(gt["image"], dtype=torch.float32)
    out[f"{name}.dt_boxes"] = dt["boxes"]
    out[f"{name}.dt_scores"] = dt["scores"]
    out[f"{name}.dt_labels"] = torch.tensor(dt["labels"], dtype=torch.float32)
    out[f"{name}.dt_image"] = torch.tensor(dt["image"], dtype=torch.float32)
    out[f"{name}.stats"], out[f"{name}.stats_lo"] = hi_lo(stats)
    out[f"{name}.per_class"], out[f"{name}.per_class_lo"] = hi_lo(per_class)


def map_fixture():
    out = {}
    # 20 images of 300x300 px, 5 classes: 0-2 detected, 3 has ground truth but no detection, 4
    # has false positives only; boxes (and false positives) of every size, small, medium and large
    map_case(out, "main", 20, 5, *synthetic(1, 20, gt_classes=[0, 1, 2, 3], detected=[0, 1, 2],
                                            fp_classes=[0, 1, 2, 4], max_gt=6, box=varied_box, fp_box=varied_box))
    # boxes piled into 60x60 px (ground truths overlap each other), 2 classes, and one image with
    # 150 extra detections of class 0: more than the 100 that maxDets keeps
    map_case(out, "crowded", 6, 2, *synthetic(2, 6, gt_classes=[0, 1], detected=[0, 1], fp_classes=[0, 1],
                                               max_gt=14, dup=0.5, crowd=60, flood=3))
    # integer boxes on a 4 px grid and scores in steps of 0.1: ties in score (within and across
    # images) and in IoU (a detection equally close to two ground truths)
    map_case(out, "ties", 12, 3, *synthetic(3, 12, gt_classes=[0, 1, 2], detected=[0, 1, 2], fp_classes=[0, 1, 2],
                                             max_gt=8, dup=0.4, twins=0.3, grid=4,
                                             score=lambda rng: rng.integers(1, 10) / 10))
    # integer boxes at and near the area bounds 32^2 and 96^2, overlapping: detections 1 px off
    # cross the bounds, ground truths in range and ignored ones compete for a detection, and
    # ground truths of area exactly 32^2 or 96^2 count in both ranges
    map_case(out, "bounds", 10, 2, *synthetic(4, 10, gt_classes=[0, 1], detected=[0, 1], fp_classes=[0, 1],
                                              max_gt=8, missed=0.15, dup=0.3, grid=1, box=bound_box,
                                              fp_box=bound_box, score=lambda rng: rng.integers(1, 20) / 20))
    return out


write("detect_boxes", box_fixture())
write("detect_map", map_fixture())
