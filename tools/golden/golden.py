"""Shared writer for Descent's golden fixtures.

Fixtures are safetensors files (F32 only): a little-endian u64 header length, a JSON header
mapping each tensor name to {dtype, shape, data_offsets}, then the raw data. The Java tests
read them with io.descent.Golden; they never need Python.
"""
import json
import os
import struct

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "descent-core", "src", "test", "resources", "golden")


def write(name, tensors):
    """Writes {key: tensor} to golden/<name>.safetensors as float32, keys sorted."""
    header, blobs, offset = {}, [], 0
    for key in sorted(tensors):
        t = tensors[key].detach().to(torch.float32).contiguous().cpu()
        raw = t.numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    os.makedirs(ROOT, exist_ok=True)
    path = os.path.join(ROOT, name + ".safetensors")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    print("wrote", os.path.relpath(path), f"({offset} bytes of data, {len(tensors)} tensors)")


def seeded(seed, *shape, low=-1.0, high=1.0):
    """A reproducible uniform tensor (the Java side reads it from the fixture, not from a seed)."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=g, dtype=torch.float64).mul(high - low).add(low).float()
