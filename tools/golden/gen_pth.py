"""Writes the PyTorch-import fixtures of io.descent.io (descent-core/src/test/resources/io/).

Run with Debian's python3-torch: /usr/bin/python3 tools/golden/gen_pth.py

  bn_state.pth          state_dict of a small Conv/BatchNorm/Linear Sequential after two
                        training steps (int64 num_batches_tracked = 2)
  views.pth             tensors that share one storage: a transpose, row and column slices
                        (storage offsets), a strided slice, an expanded (stride 0) view, a
                        scalar and an empty tensor
  dtypes.pth            float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool and
                        an nn.Parameter (torch._utils._rebuild_parameter)
  checkpoint.pth        {"state_dict": ..., "epoch": 3, ...} as training scripts save it
  proto4.pth            the checkpoint's state_dict pickled with protocol 4 (FRAME, MEMOIZE,
                        SHORT_BINUNICODE, STACK_GLOBAL)
  hostile_global.pth    a torch-layout zip whose data.pkl calls posix.system: written opcode by
                        opcode, never unpickled
  expected.safetensors  every tensor above as float32 (converted by PyTorch), keyed FILE/KEY
  native_dtypes.safetensors  the dtypes.pth tensors in their own dtypes, with __metadata__,
                        data stored in reverse header order (the header, not the data order,
                        gives the key order)

safetensors are written by hand here (the safetensors package is not installed): a
little-endian u64 header length, the JSON header padded with spaces to 8 bytes, the data.
"""
import json
import os
import struct
import sys
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "descent-core", "src", "test", "resources", "io")

ST_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
             torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(t):
    """Little-endian bytes of a tensor in its own dtype."""
    assert sys.byteorder == "little"
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(name, tensors, metadata=None, reverse_data=False):
    header, offset, blobs = {}, 0, {}
    if metadata:
        header["__metadata__"] = metadata
    order = list(tensors)[::-1] if reverse_data else list(tensors)
    spans = {}
    for key in order:
        b = raw_bytes(tensors[key])
        spans[key] = [offset, offset + len(b)]
        blobs[key] = b
        offset += len(b)
    for key, t in tensors.items():
        header[key] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": spans[key]}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for key in order:
            f.write(blobs[key])


def save(name, obj):
    torch.save(obj, os.path.join(OUT, name))


def bn_state():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.ReLU(),
                                torch.nn.Flatten(), torch.nn.Linear(12, 2))
    model.train()
    for _ in range(2):
        model(torch.randn(4, 2, 4, 4))
    return model.state_dict()


def views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 4 - 2
    return {
        "transposed": base.t(),
        "rows": base[1:3],
        "column": base[:, 2],
        "strided": base[::2, 1::2],
        "expanded": torch.tensor([1.0, -2.0, 3.0]).reshape(3, 1).expand(3, 4),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }


def dtypes():
    return {
        "f16": torch.tensor([0.0, -0.0, 1.0 / 3, 65504.0, 6e-8, -2.5, float("inf")], dtype=torch.float16),
        "bf16": torch.tensor([1.0 / 3, -3.0e38, 1e-30, 7.0], dtype=torch.bfloat16),
        "f64": torch.tensor([[1.0 / 3, 1e-300], [2.0 ** 40 + 0.5, -0.1]], dtype=torch.float64),
        "i64": torch.tensor([0, -7, 2 ** 40, 16777217], dtype=torch.int64),
        "i32": torch.tensor([[-2 ** 31, 2 ** 31 - 1]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 12345], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "param": torch.nn.Parameter(torch.tensor([[0.5, -1.5]])),
    }


def checkpoint(sd):
    return {"state_dict": sd, "epoch": 3, "lr": 0.1, "name": "run-1", "betas": (0.9, 0.999),
            "history": [1.5, 0.5], "done": True, "note": None}


def hostile_global(name):
    """A torch-layout zip whose pickle, if a plain unpickler ran it, would call posix.system."""
    pickle = (b"\x80\x02"                        # PROTO 2
              b"cposix\nsystem\n"                # GLOBAL posix.system
              b"X\x0a\x00\x00\x00echo pwned"     # BINUNICODE 'echo pwned'
              b"\x85"                            # TUPLE1
              b"R"                               # REDUCE: system('echo pwned')
              b".")                              # STOP
    folder = name[:-len(".pth")]
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        for entry, data in ((folder + "/data.pkl", pickle), (folder + "/version", b"3\n")):
            z.writestr(zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0)), data)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    sd = bn_state()
    save("bn_state.pth", sd)
    v = views()
    save("views.pth", v)
    d = dtypes()
    save("dtypes.pth", d)
    torch.manual_seed(1)
    small = torch.nn.Linear(3, 2).state_dict()
    save("checkpoint.pth", checkpoint(small))
    torch.save(small, os.path.join(OUT, "proto4.pth"), pickle_protocol=4)
    hostile_global("hostile_global.pth")
    for prefix, tensors in (("bn", sd), ("views", v), ("dtypes", d), ("checkpoint", small)):
        for k, t in tensors.items():
            expected[prefix + "/" + k] = t.detach().to(torch.float32).contiguous()
    write_safetensors("expected.safetensors", expected)
    native = {k: t.detach() for k, t in d.items()}
    write_safetensors("native_dtypes.safetensors", native,
                      metadata={"producer": "tools/golden/gen_pth.py", "torch": torch.__version__.split("+")[0]},
                      reverse_data=True)
    for f in sorted(os.listdir(OUT)):
        print(f"{f:28s} {os.path.getsize(os.path.join(OUT, f)):6d} bytes")


if __name__ == "__main__":
    main()
