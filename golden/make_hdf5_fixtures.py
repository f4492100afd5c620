#!/usr/bin/python3
"""Writes the HDF5 reader's fixtures into src/test/resources/hdf5/.

Each fixture NAME.h5 comes with NAME.json: for every dataset the reader must read, its path,
shape, type and values (sequences for variable-length data), or the one-line refusal expected
("refuse": a fragment of the message). The Java tests read these files and need no Python.

Writers: h5py (default settings: superblock 0, v1 object headers, symbol-table groups, v1 B-tree
chunk index; libver 'v108' and 'latest': superblocks 2 and 3, v2 object headers, link messages,
the single-chunk, fixed-array and extensible-array chunk indexes) and PyTables (the writer of the
published SHD/SSC files: VLArrays of float16 times and uint16 units).

Run: /usr/bin/python3 golden/make_hdf5_fixtures.py   (needs python3-h5py, python3-tables)
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import os

import h5py
import numpy as np
import tables

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "hdf5")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(25)


def entry(path, arr, typ):
    a = np.asarray(arr)
    if a.dtype.kind in "SU":
        vals = [x.decode() if isinstance(x, bytes) else str(x) for x in a.ravel()]
    else:
        vals = [float(v) for v in a.ravel()]
    return {"path": path, "shape": list(a.shape), "type": typ, "values": vals}


def seq_entry(path, seqs, typ):
    return {"path": path, "shape": [len(seqs)], "type": typ,
            "sequences": [[float(v) for v in s] for s in seqs]}


def save(name, entries):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"file": name + ".h5", "datasets": entries}, f, indent=1)
    print(name, os.path.getsize(os.path.join(OUT, name + ".h5")), "bytes")


def numeric_set(f, entries, chunk_kw):
    """Datasets of every numeric type and byte order, and strings."""
    kinds = [("i1", "int8"), ("u1", "uint8"), ("<i2", "int16"), (">i2", "int16"), ("<u2", "uint16"),
             (">i4", "int32"), ("<u4", "uint32"), ("<i8", "int64"), (">u8", "uint64"),
             ("<f2", "float16"), (">f2", "float16"), ("<f4", "float32"), (">f4", "float32"),
             ("<f8", "float64"), (">f8", "float64")]
    for i, (code, typ) in enumerate(kinds):
        dt = np.dtype(code)
        if dt.kind == "f":
            a = (rng.standard_normal((3, 5)) * 50).astype(dt)
        elif dt.kind == "i":
            info = np.iinfo(dt)
            a = rng.integers(max(info.min, -2**40), min(info.max, 2**40), size=(3, 5), endpoint=True).astype(dt)
            a[0, 0] = info.min
            a[0, 1] = min(info.max, 2**53)
        else:
            info = np.iinfo(dt)
            a = rng.integers(0, min(info.max, 2**40), size=(3, 5), endpoint=True).astype(dt)
            a[0, 1] = min(info.max, 2**53)
        # At most 8 members a group: more makes h5py's newer formats use dense link storage.
        name = "num%d/" % (i // 8) + typ + ("_be" if dt.byteorder == ">" else "")
        if name in f:
            name += "_2"
        f.create_dataset(name, data=a, **chunk_kw)
        entries.append(entry(name, a, typ))


def h5py_default():
    name = "h5py_default"
    entries = []
    with h5py.File(os.path.join(OUT, name + ".h5"), "w") as f:
        numeric_set(f, entries, {})
        a = np.arange(7 * 9, dtype="<f4").reshape(7, 9) / 8
        f.create_dataset("chunked/deflate_shuffle", data=a, chunks=(3, 4), compression="gzip", shuffle=True)
        entries.append(entry("chunked/deflate_shuffle", a, "float32"))
        b = rng.integers(-1000, 1000, size=(2, 5, 6), dtype="<i2")
        f.create_dataset("chunked/plain3d", data=b, chunks=(1, 2, 4))
        entries.append(entry("chunked/plain3d", b, "int16"))
        c = rng.standard_normal(40).astype(">f8")
        f.create_dataset("chunked/fletcher", data=c, chunks=(16,), fletcher32=True, compression="gzip")
        entries.append(entry("chunked/fletcher", c, "float64"))
        d = np.zeros(30, dtype="<i4")
        d[3] = 7
        f.create_dataset("chunked/sparse", shape=(30,), dtype="<i4", chunks=(5,))
        f["chunked/sparse"][0:5] = d[0:5]
        entries.append(entry("chunked/sparse", d, "int32"))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        e = np.arange(6, dtype="<u2")
        sid = h5py.h5s.create_simple((6,))
        dsid = h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_U16LE, sid, dcpl=dcpl)
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, e)
        entries.append(entry("compact", e, "uint16"))
        s = np.array([b"one", b"three", b"eleven"], dtype="S8")
        f.create_dataset("text/fixed", data=s)
        entries.append(entry("text/fixed", s, "string8"))
        vs = ["alpha", "", "gamma delta"]
        f.create_dataset("text/vlen", data=vs, dtype=h5py.string_dtype())
        entries.append(entry("text/vlen", np.array(vs), "vlen string"))
        seqs = [rng.standard_normal(n).astype("<f4") for n in (3, 0, 5, 1)]
        ds = f.create_dataset("vlen/f4", shape=(4,), dtype=h5py.vlen_dtype(np.dtype("<f4")))
        for k, q in enumerate(seqs):
            ds[k] = q
        entries.append(seq_entry("vlen/f4", seqs, "vlen float32"))
        f.create_dataset("scalar", data=np.float64(2.5))
        entries.append(entry("scalar", np.float64(2.5), "float64"))
        f.create_dataset("deep/a/b/c", data=np.arange(3, dtype="i1"))
        entries.append(entry("deep/a/b/c", np.arange(3, dtype="i1"), "int8"))
        f.create_dataset("refused/compound", data=np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))
        entries.append({"path": "refused/compound", "refuse": "compound datatypes are not supported"})
        f.create_dataset("refused/bool", data=np.array([True, False]))
        entries.append({"path": "refused/bool", "refuse": "enumerated datatypes are not supported"})
        f.create_dataset("refused/lzf", data=np.arange(20, dtype="<i4"), chunks=(10,), compression="lzf")
        entries.append({"path": "refused/lzf", "refuse": "the lzf filter is not supported"})
        f["refused/soft"] = h5py.SoftLink("/compact")
        entries.append({"path": "refused/soft", "refuse": "soft or external link"})
        entries.append({"path": "no/such", "refuse": "no such dataset"})
        # Many members: a symbol table with more than one B-tree leaf (more than 16 entries per node).
        for k in range(20):
            f.create_dataset("many/m%02d" % k, data=np.array([k], dtype="<i2"))
        entries.append(entry("many/m17", np.array([17], dtype="<i2"), "int16"))
    save(name, entries)


def h5py_latest(name, libver):
    entries = []
    with h5py.File(os.path.join(OUT, name + ".h5"), "w", libver=libver) as f:
        numeric_set(f, entries, {})
        a = np.arange(7 * 9, dtype="<f4").reshape(7, 9) / 8
        f.create_dataset("chunked/fixed_deflate", data=a, chunks=(3, 4), compression="gzip", shuffle=True)
        entries.append(entry("chunked/fixed_deflate", a, "float32"))
        b = rng.integers(-1000, 1000, size=(5, 6)).astype(">i4")
        f.create_dataset("chunked/fixed_plain", data=b, chunks=(2, 4))
        entries.append(entry("chunked/fixed_plain", b, "int32"))
        c = rng.standard_normal((4, 3)).astype("<f8")
        f.create_dataset("chunked/single", data=c, chunks=(4, 3), compression="gzip")
        entries.append(entry("chunked/single", c, "float64"))
        c2 = rng.standard_normal((4, 3)).astype("<f4")
        f.create_dataset("chunked/single_plain", data=c2, chunks=(4, 3))
        entries.append(entry("chunked/single_plain", c2, "float32"))
        seqs = [rng.integers(0, 700, size=n).astype("<u2") for n in (4, 2, 0, 6)]
        ds = f.create_dataset("vlen/u2", shape=(4,), dtype=h5py.vlen_dtype(np.dtype("<u2")), chunks=(2,), compression="gzip")
        for k, q in enumerate(seqs):
            ds[k] = q
        entries.append(seq_entry("vlen/u2", seqs, "vlen uint16"))
        f.create_dataset("resizable", data=np.arange(10, dtype="<i4"), maxshape=(None,), chunks=(4,))
        for k in range(9):
            f.create_dataset("dense/m%d" % k, data=np.array([k], dtype="<i2"))
        entries.append({"path": "dense/m3", "refuse": "dense link storage"})
        entries.append(entry("resizable", np.arange(10, dtype="<i4"), "int32"))
        # Enough chunks for the extensible array's data blocks and secondary blocks (libver latest).
        big = rng.integers(-30000, 30000, size=300).astype("<i2")
        f.create_dataset("ea/many", data=big, maxshape=(None,), chunks=(1,))
        entries.append(entry("ea/many", big, "int16"))
        zb = (rng.standard_normal(70) * 10).astype("<f4")
        f.create_dataset("ea/deflate", data=zb, maxshape=(None,), chunks=(2,), compression="gzip", shuffle=True)
        entries.append(entry("ea/deflate", zb, "float32"))
        f.create_dataset("two_unlimited", data=np.arange(12, dtype="<i2").reshape(3, 4), maxshape=(None, None), chunks=(2, 2))
        if libver == "latest":
            entries.append({"path": "two_unlimited", "refuse": "v2 B-tree chunk index"})
        else:
            entries.append(entry("two_unlimited", np.arange(12, dtype="<i2").reshape(3, 4), "int16"))
    save(name, entries)


SHD_KEYS = [b"zero", b"one", b"two", b"three", b"four", b"five", b"six", b"seven", b"eight", b"nine",
            b"null", b"eins", b"zwei", b"drei", b"vier", b"fuenf", b"sechs", b"sieben", b"acht", b"neun"]


SSC_KEYS = [w.encode() for w in sorted(
    "backward bed bird cat dog down eight five follow forward four go happy house learn left marvin nine no off on "
    "one right seven sheila six stop three tree two up visual wow yes zero".split())]


def shd_like(name, n, classes, filters, seed, keys=SHD_KEYS):
    """An SHD-shaped file as PyTables writes the published ones (keys None: no extra/keys)."""
    r = np.random.default_rng(seed)
    times, units, labels = [], [], []
    for k in range(n):
        m = int(r.integers(0, 30))
        t = np.sort(r.uniform(0, 0.25, size=m)).astype(np.float16)
        u = r.integers(0, 700, size=m).astype(np.uint16)
        times.append(t)
        units.append(u)
        labels.append(int(r.integers(0, classes)))
    path = os.path.join(OUT, name + ".h5")
    with tables.open_file(path, "w", filters=filters) as f:
        g = f.create_group("/", "spikes")
        vt = f.create_vlarray(g, "times", tables.Float16Atom(), chunkshape=(4,))
        vu = f.create_vlarray(g, "units", tables.UInt16Atom(), chunkshape=(4,))
        for t, u in zip(times, units):
            vt.append(t)
            vu.append(u)
        f.create_array("/", "labels", np.array(labels, dtype=np.uint16))
        e = f.create_group("/", "extra")
        f.create_array(e, "speaker", np.array([k % 3 for k in range(n)], dtype=np.uint16))
        # byte strings, one a class, as in the published files (SHD: the English then the German digits)
        if keys is not None:
            f.create_array(e, "keys", np.array(keys[:classes]))
    entries = [seq_entry("spikes/times", times, "vlen float16"),
               seq_entry("spikes/units", units, "vlen uint16"),
               entry("labels", np.array(labels, dtype=np.uint16), "uint16")]
    save(name, entries)


def shd_bad(name, fault):
    """A small SHD-shaped file (h5py) with one fault, for the dataset loader's error tests."""
    times = [np.array([0.001, 0.0155, 0.2], dtype=np.float16), np.array([0.05], dtype=np.float16)]
    units = [np.array([0, 699, 350], dtype=np.uint16), np.array([12], dtype=np.uint16)]
    labels = np.array([3, 19], dtype=np.uint16)
    if fault == "unit":
        units[1][0] = 700
    elif fault == "nan":
        times[0][1] = np.nan
    elif fault == "negative":
        times[1][0] = -0.01
    elif fault == "label":
        labels[1] = 20
    elif fault == "lengths":
        units[0] = units[0][:2]
    with h5py.File(os.path.join(OUT, name + ".h5"), "w") as f:
        if fault == "layout":
            f.create_dataset("x", data=np.zeros((2, 3), dtype="<f4"))
            return
        tv = f.create_dataset("spikes/times", shape=(2,), dtype=h5py.vlen_dtype(np.dtype("<f2")))
        uv = f.create_dataset("spikes/units", shape=(2,), dtype=h5py.vlen_dtype(np.dtype("<u2")))
        for k in range(2):
            tv[k] = times[k]
            uv[k] = units[k]
        f.create_dataset("labels", data=labels)


h5py_default()
h5py_latest("h5py_v108", ("v108", "v108"))
h5py_latest("h5py_latest", "latest")
shd_like("pytables_shd", 12, 20, None, 1)
shd_like("pytables_shd_zlib", 9, 20, tables.Filters(complevel=5, complib="zlib", shuffle=True), 2)
shd_like("pytables_ssc", 10, 35, None, 3, SSC_KEYS)
shd_like("pytables_shd_nokeys", 6, 20, None, 4, None)
shd_like("pytables_shd_twicekeys", 6, 20, None, 5, [b"zero", b"one"] * 10)
for fault in ("unit", "nan", "negative", "label", "lengths", "layout"):
    shd_bad("shd_bad_" + fault, fault)
