#!/usr/bin/env python3
"""Reads Myelin model (.myelin) and checkpoint (.ckpt) files with NumPy alone.

The byte layout is documented in docs/FORMAT.md. Usage as a library:

    from read_myelin import read, dense
    kind, version, header, arrays = read("model.myelin")
    cfg = header["config"]
    w1 = dense(arrays, "l1", "weights", cfg["inputs"], widths(cfg)[1])  # [hidden, inputs]

`widths(cfg)` is [inputs, hidden 1, ..., hidden L, outputs]: synapse layer `lk` maps widths[k-1]
to widths[k] (model_version 2 files may hold several hidden layers; `hidden` is then a list).

From the command line, `python3 read_myelin.py FILE` prints a JSON summary (kind, version, header
keys, every array's dtype, length, float64 sum and first values, and for model files a
position-weighted checksum of each layer's dense weights); MyelinFormatTest compares it with
Java's own reading. A damaged file raises ValueError with the file name (exit code 1).
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import hashlib
import json
import struct
import sys

import numpy as np

MAGIC = b"MYELIN\x00"
DTYPES = {1: np.dtype("<f4"), 2: np.dtype("<i4"), 3: np.dtype("<i8")}


def read(path):
    """Returns (kind, version, header, arrays): kind 'M' (model) or 'C' (checkpoint), the JSON
    header as a dict, and the named arrays as 1-D NumPy arrays in file order."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 20 + 32 or data[:7] != MAGIC:
        raise ValueError(f"{path}: not a Myelin file")
    kind = chr(data[7])
    version, size = struct.unpack_from("<IQ", data, 8)
    if 20 + size + 32 != len(data):
        raise ValueError(f"{path}: truncated or padded (header says {20 + size + 32} bytes, file has {len(data)})")
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise ValueError(f"{path}: checksum mismatch")
    pos = 20
    (hlen,) = struct.unpack_from("<I", data, pos)
    pos += 4
    header = json.loads(data[pos:pos + hlen].decode("utf-8"))
    pos += hlen
    (count,) = struct.unpack_from("<I", data, pos)
    pos += 4
    arrays = {}
    for _ in range(count):
        (nlen,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos:pos + nlen].decode("utf-8")
        pos += nlen
        dtype_code, n = struct.unpack_from("<BI", data, pos)
        pos += 5
        if dtype_code not in DTYPES:
            raise ValueError(f"{path}: array '{name}' has unknown dtype {dtype_code}")
        dt = DTYPES[dtype_code]
        arrays[name] = np.frombuffer(data, dtype=dt, count=n, offset=pos).copy()
        pos += n * dt.itemsize
    if pos != len(data) - 32:
        raise ValueError(f"{path}: {len(data) - 32 - pos} unread bytes before the checksum")
    return kind, version, header, arrays


def dense(arrays, layer, what, pre, post):
    """A layer's per-synapse values ('weights', 'delays' or 'learntDelays') as a dense
    [post, pre] matrix (0 where there is no synapse): CSR over presynaptic neurons, so the
    synapses of source j are rowPtr[j]..rowPtr[j+1]-1 and go to targets[q]. A dense checkpoint
    layer (no rowPtr) already stores [post, pre]."""
    values = arrays[f"{layer}.{what}"]
    if f"{layer}.rowPtr" not in arrays:
        return values.reshape(post, pre).copy()
    row_ptr, targets = arrays[f"{layer}.rowPtr"], arrays[f"{layer}.targets"]
    out = np.zeros((post, pre), dtype=values.dtype)
    for j in range(pre):
        for q in range(row_ptr[j], row_ptr[j + 1]):
            out[targets[q], j] = values[q]
    return out


def widths(cfg):
    """[inputs, hidden widths..., outputs] of a model's config (hidden a number or a list)."""
    hidden = cfg["hidden"] if isinstance(cfg["hidden"], list) else [cfg["hidden"]]
    return [cfg["inputs"]] + list(hidden) + [cfg["outputs"]]


def summary(path):
    kind, version, header, arrays = read(path)
    s = {"kind": kind, "version": version, "header_keys": sorted(header), "arrays": {}}
    for name, a in arrays.items():
        s["arrays"][name] = {"dtype": a.dtype.str, "n": int(a.size), "sum": float(a.astype(np.float64).sum()),
                             "first": [a[k].item() for k in range(min(3, a.size))]}
    if kind == "M":
        cfg = header["config"]
        w = widths(cfg)
        shapes = {"l%d" % k: (w[k - 1], w[k]) for k in range(1, len(w))}
        for layer, (pre, post) in shapes.items():
            w = dense(arrays, layer, "weights", pre, post).astype(np.float64)
            s[f"{layer}_dense_checksum"] = float((w * (np.arange(w.size).reshape(w.shape) + 1)).sum())
    return s


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_myelin.py FILE")
    try:
        print(json.dumps(summary(sys.argv[1])))
    except ValueError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
