#!/usr/bin/python3
"""Re-check case folders against the reference: layout (keys, files, shapes, dtypes) per GOLDEN.md,
then recompute in float64 from the stored float32 inputs and compare every expected tensor.

    /usr/bin/python3 golden/check_cases.py golden/cases
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as G  # noqa: E402


def load_checked(d, want):
    """The case's arrays, after checking it holds exactly the files of `want` with their shapes and dtypes."""
    have = {f[:-4] for f in os.listdir(d) if f.endswith(".npy")}
    assert have == set(want), "files differ: %s" % sorted(have ^ set(want))
    a = {k: np.load(os.path.join(d, k + ".npy")) for k in want}
    for k, s in want.items():
        assert a[k].shape == s, "%s shape %s, want %s" % (k, a[k].shape, s)
        assert a[k].dtype.str == ("<i4" if k == "y" else "<f4"), "%s dtype %s" % (k, a[k].dtype.str)
    return a


def check(d):
    lines = [l.strip() for l in open(os.path.join(d, "case.properties")) if l.strip()]
    props = dict(l.split("=", 1) for l in lines)
    assert sorted(props) == sorted(G.PROPERTY_KEYS), "case.properties keys: %s" % sorted(props)
    if "," in props["hidden"]:
        return check_deep(d, props)
    B, T, NI, NH, NO = (int(props[k]) for k in ("batch", "steps", "inputs", "hidden", "outputs"))
    bn = props["batchNorm"] == "true"
    mode = props["delayMode"]
    want = {"x": (B, T, NI), "y": (B,), "w1": (NH, NI), "d1": (NH, NI), "w2": (NO, NH), "d2": (NO, NH),
            "spikes1": (B, T, NH), "v2": (B, T, NO), "logits": (B, NO), "loss": (),
            "grad_w1": (NH, NI), "grad_w2": (NO, NH)}
    if mode != "int":
        want.update(grad_d1=(NH, NI), grad_d2=(NO, NH))
    if bn:
        want.update(bn_gamma=(NH,), bn_beta=(NH,), grad_bn_gamma=(NH,), grad_bn_beta=(NH,))
    a = load_checked(d, want)
    p = dict(batch=B, steps=T, inputs=NI, hidden=NH, outputs=NO, maxDelay=int(props["maxDelay"]),
             delayMode=mode, sigma=float(props["sigma"]), tau=float(props["tau"]),
             threshold=float(props["threshold"]), alpha=float(props["alpha"]), readout=props["readout"],
             batchNorm=bn)
    t = {k: torch.from_numpy(a[k].astype(np.float64)) for k in ("x", "w1", "d1", "w2", "d2")}
    if bn:
        t["bn_gamma"] = torch.from_numpy(a["bn_gamma"].astype(np.float64))
        t["bn_beta"] = torch.from_numpy(a["bn_beta"].astype(np.float64))
    t["y"] = torch.from_numpy(a["y"].astype(np.int64))
    out, grads = G.compute(p, t)
    margin = float((out["u1"].detach() - p["threshold"]).abs().min())
    assert margin >= G.MARGIN, "a hidden u lies %.1e from the threshold" % margin
    assert np.array_equal(out["spikes1"].detach().numpy().astype(np.float32), a["spikes1"]), "spikes1"
    worst = 0.0
    expect = dict(grads, v2=out["v2"], logits=out["logits"], loss=out["loss"])
    for k, v in expect.items():
        v = v.detach().numpy()
        gap = float(np.abs(v - a[k]).max()) / max(1e-30, float(np.abs(v).max()))
        worst = max(worst, gap)
        assert gap < 1e-6, "%s relative gap %.2e" % (k, gap)
    return float(a["spikes1"].mean()), margin, worst


def check_deep(d, props):
    """A case of L >= 2 hidden layers (GOLDEN.md's names by layer)."""
    hidden = [int(h) for h in props["hidden"].split(",")]
    B, T, NI, NO = (int(props[k]) for k in ("batch", "steps", "inputs", "outputs"))
    bn = props["batchNorm"] == "true"
    mode = props["delayMode"]
    p = dict(batch=B, steps=T, inputs=NI, hidden=hidden, outputs=NO, maxDelay=int(props["maxDelay"]),
             delayMode=mode, sigma=float(props["sigma"]), tau=float(props["tau"]),
             threshold=float(props["threshold"]), alpha=float(props["alpha"]), readout=props["readout"],
             batchNorm=bn)
    W = G.widths(p)
    L = len(hidden)
    want = {"x": (B, T, NI), "y": (B,), "v%d" % (L + 1): (B, T, NO), "logits": (B, NO), "loss": ()}
    for k in range(1, L + 2):
        want["w%d" % k] = want["d%d" % k] = want["grad_w%d" % k] = (W[k], W[k - 1])
        if mode != "int":
            want["grad_d%d" % k] = (W[k], W[k - 1])
        if k <= L:
            want["spikes%d" % k] = (B, T, W[k])
            if bn:
                for n in ("bn%d_gamma" % k, "bn%d_beta" % k):
                    want[n] = want["grad_" + n] = (W[k],)
    a = load_checked(d, want)
    t = {k: torch.from_numpy(a[k].astype(np.float64)) for k in G.param_names_deep(dict(p, delayMode="gauss")) + ["x"]}
    t["y"] = torch.from_numpy(a["y"].astype(np.int64))
    out, grads = G.compute_deep(p, t)
    margin, _ = G.margin_rate_deep(p, out)
    assert margin >= G.MARGIN, "a hidden u lies %.1e from the threshold" % margin
    for k in range(1, L + 1):
        assert np.array_equal(out["spikes%d" % k].detach().numpy().astype(np.float32), a["spikes%d" % k]), "spikes%d" % k
    worst = 0.0
    expect = dict(grads, logits=out["logits"], loss=out["loss"])
    expect["v%d" % (L + 1)] = out["v%d" % (L + 1)]
    for k, v in expect.items():
        v = v.detach().numpy()
        gap = float(np.abs(v - a[k]).max()) / max(1e-30, float(np.abs(v).max()))
        worst = max(worst, gap)
        assert gap < 1e-6, "%s relative gap %.2e" % (k, gap)
    return min(float(a["spikes%d" % k].mean()) for k in range(1, L + 1)), margin, worst


def main():
    torch.set_num_threads(1)
    root = sys.argv[1] if len(sys.argv) > 1 else "golden/cases"
    for name in sorted(os.listdir(root)):
        if os.path.isdir(os.path.join(root, name)):
            rate, margin, worst = check(os.path.join(root, name))
            print("%-28s ok  rate %.3f  min|u-thr| %.1e  worst relative gap %.1e" % (name, rate, margin, worst))


if __name__ == "__main__":
    main()
