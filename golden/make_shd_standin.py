#!/usr/bin/python3
"""Writes an SHD-shaped stand-in (shd_train.h5, shd_test.h5) as PyTables wrote the published files.

The real SHD files cannot be downloaded on the build machine; this set has their layout
(spikes/times float16 and spikes/units uint16 as VLArrays, labels, extra/keys as byte strings)
and sizes, for timing the loader and runs. 20 classes, each a fixed pattern of 12 channel bursts
at fixed times, jittered per sample (time shift, spread in time and channel), plus uniform
background spikes.

Usage: /usr/bin/python3 golden/make_shd_standin.py OUT_DIR [TRAIN TEST [SPIKES_PER_BURST [ssc VALID]]]
  defaults 8156 2264 800 (about 10,000 spikes a sample, 329 MB + 92 MB: SHD-sized);
  e.g. 2000 500 25 writes a small, easy set in seconds.
  With "ssc VALID": an SSC-shaped set instead (ssc_train.h5, ssc_valid.h5, ssc_test.h5, 35
  classes), e.g. 75466 20382 100 ssc 9981 for SSC's sample counts with fewer spikes a sample.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import sys

import numpy as np
import tables

out = sys.argv[1]
ntr = int(sys.argv[2]) if len(sys.argv) > 2 else 8156
nte = int(sys.argv[3]) if len(sys.argv) > 3 else 2264
burst = int(sys.argv[4]) if len(sys.argv) > 4 else 800
ssc = len(sys.argv) > 5 and sys.argv[5] == "ssc"
nva = int(sys.argv[6]) if ssc else 0
classes = 35 if ssc else 20
rng = np.random.default_rng(7)
protos = [[(rng.integers(0, 700), rng.uniform(0.05, 0.9)) for _ in range(12)] for _ in range(classes)]
if ssc:
    keys = sorted("backward bed bird cat dog down eight five follow forward four go happy house learn left marvin "
                  "nine no off on one right seven sheila six stop three tree two up visual wow yes zero".split())
else:
    keys = ("zero one two three four five six seven eight nine "
            "null eins zwei drei vier fuenf sechs sieben acht neun").split()


def sample(c):
    ts, us = [], []
    shift = rng.normal(0, 0.02)
    for (u0, t0) in protos[c]:
        m = rng.poisson(burst)
        ts.append(np.clip(t0 + shift + rng.normal(0, 0.03, m), 0, 1.0))
        us.append(np.clip(u0 + rng.normal(0, 8, m).round(), 0, 699))
    background = burst // 2
    ts.append(rng.uniform(0, 1.0, background))
    us.append(rng.integers(0, 700, background))
    t = np.concatenate(ts)
    u = np.concatenate(us)
    o = np.argsort(t)
    return t[o].astype(np.float16), u[o].astype(np.uint16)


parts = (("ssc_train", ntr), ("ssc_valid", nva), ("ssc_test", nte)) if ssc else (("shd_train", ntr), ("shd_test", nte))
for name, n in parts:
    with tables.open_file(f"{out}/{name}.h5", "w") as f:
        g = f.create_group("/", "spikes")
        vt = f.create_vlarray(g, "times", tables.Float16Atom())
        vu = f.create_vlarray(g, "units", tables.UInt16Atom())
        labels = rng.integers(0, classes, n)
        for c in labels:
            t, u = sample(c)
            vt.append(t)
            vu.append(u)
        f.create_array("/", "labels", labels.astype(np.uint16))
        e = f.create_group("/", "extra")
        f.create_array(e, "keys", np.array([k.encode() for k in keys]))
