#!/usr/bin/python3
"""Golden-case generator for Myelin: an independent PyTorch (autograd, float64)
reference of the network pinned down in docs/MODEL.md, writing case
folders in the layout of docs/VALIDATION.md.

Regenerate every committed case:
    /usr/bin/python3 golden/generate.py --out golden/cases
Write one case with chosen parameters:
    /usr/bin/python3 golden/generate.py --out DIR --single NAME --batch 3 --steps 30 \
        --inputs 7 --hidden 13 --outputs 3 --max-delay 6 --delay-mode gauss --sigma 2 \
        --readout vsum --batch-norm true --sparsity 0.5 --seed 1234

Policy: every given tensor is drawn, rounded to float32, and the reference is
then computed in float64 from exactly those float32 values; the expected tensors
are rounded to float32 only when written.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import argparse
import math
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn.functional as F

DT = torch.float64
EPS_BN = 1e-5
MARGIN = 1e-4            # reject a case with any hidden |u - threshold| below this
RATE_LO, RATE_HI = 0.02, 0.30   # accepted hidden spike rate over (b, t, h)
RATE_TARGET = 0.10

PROPERTY_KEYS = ["batch", "steps", "inputs", "hidden", "outputs", "maxDelay", "delayMode",
                 "sigma", "tau", "threshold", "alpha", "readout", "batchNorm"]


# ---------------------------------------------------------------- model pieces

def delay_kernels(d, td, mode, sigma):
    """k[i, j, n] for taps n = 0..td from delay positions d[i, j] (docs/MODEL.md)."""
    n = torch.arange(td + 1, dtype=DT)
    diff = n.view(1, 1, -1) - d.unsqueeze(-1)
    if mode == "int":
        dr = d.detach()
        if not torch.all(dr == torch.round(dr)):
            raise ValueError("int delays must be integers")
        return (diff.detach() == 0).to(DT)          # one-hot, no delay gradient
    if mode == "linear":
        return torch.clamp(1.0 - diff.abs(), min=0.0)
    if mode == "gauss":
        e = torch.exp(-0.5 * (diff / sigma) ** 2)
        return e / e.sum(dim=-1, keepdim=True)
    raise ValueError("unknown delay mode " + mode)


def delayed_taps(x, td):
    """xs[b, t, j, n] = x[b, t - n, j], zero for t - n < 0."""
    b, t, j = x.shape
    xp = torch.cat([x.new_zeros(b, td, j), x], dim=1)      # left pad by td
    win = xp.unfold(1, td + 1, 1)                           # (b, t, j, td+1): xp[t + m]
    return win.flip(-1)                                     # tap n = td - m -> x[t - n]


def synapse_layer(x, w, d, td, mode, sigma):
    """I[b, t, i] = sum_j w_ij sum_n k_ij[n] x_j[t - n]."""
    k = delay_kernels(d, td, mode, sigma)
    return torch.einsum("btjn,ijn->bti", delayed_taps(x, td), w.unsqueeze(-1) * k)


class ArctanSpike(torch.autograd.Function):
    """Heaviside forward, arctan surrogate backward: dS/du = (a/2)/(1+((pi/2) a (u-thr))^2)."""

    @staticmethod
    def forward(ctx, u, thr, alpha):
        ctx.save_for_backward(u)
        ctx.thr = thr
        ctx.alpha = alpha
        return (u > thr).to(u.dtype)

    @staticmethod
    def backward(ctx, g):
        (u,) = ctx.saved_tensors
        a = ctx.alpha
        sg = (a / 2.0) / (1.0 + ((math.pi / 2.0) * a * (u - ctx.thr)) ** 2)
        return g * sg, None, None


def arctan_spike(u, thr, alpha):
    return ArctanSpike.apply(u, thr, alpha)


def smooth_spike(u, thr, alpha):
    """A smooth step whose true derivative equals the arctan surrogate (self-check only)."""
    return 0.5 + torch.atan((math.pi / 2.0) * alpha * (u - thr)) / math.pi


def batch_norm(i, gamma, beta):
    mu = i.mean(dim=(0, 1), keepdim=True)
    var = ((i - mu) ** 2).mean(dim=(0, 1), keepdim=True)     # biased
    return (i - mu) / torch.sqrt(var + EPS_BN) * gamma + beta


def lif(i, tau, thr, alpha, spike=arctan_spike, detach_reset=True):
    beta = 1.0 - 1.0 / tau
    b, t, h = i.shape
    u = i.new_zeros(b, h)
    s = i.new_zeros(b, h)
    us, ss = [], []
    for k in range(t):
        reset = (1.0 - s.detach()) if detach_reset else (1.0 - s)
        u = beta * u * reset + i[:, k]
        s = spike(u, thr, alpha)
        us.append(u)
        ss.append(s)
    return torch.stack(us, 1), torch.stack(ss, 1)


def readout(i2, tau, mode):
    beta = 1.0 - 1.0 / tau
    v = i2.new_zeros(i2.shape[0], i2.shape[2])
    vs = []
    for k in range(i2.shape[1]):
        v = beta * v + i2[:, k]
        vs.append(v)
    v2 = torch.stack(vs, 1)
    if mode == "vsum":
        logits = v2.sum(1)
    elif mode == "softmaxsum":
        logits = torch.softmax(v2, dim=-1).sum(1)
    else:
        raise ValueError("unknown readout " + mode)
    return v2, logits


def forward(p, t, spike=arctan_spike, detach_reset=True):
    """p: hyper-parameters dict, t: dict of float64 tensors. Returns dict of results."""
    i1 = synapse_layer(t["x"], t["w1"], t["d1"], p["maxDelay"], p["delayMode"], p["sigma"])
    if p["batchNorm"]:
        i1 = batch_norm(i1, t["bn_gamma"], t["bn_beta"])
    u1, s1 = lif(i1, p["tau"], p["threshold"], p["alpha"], spike, detach_reset)
    i2 = synapse_layer(s1, t["w2"], t["d2"], p["maxDelay"], p["delayMode"], p["sigma"])
    v2, logits = readout(i2, p["tau"], p["readout"])
    loss = F.cross_entropy(logits, t["y"])
    return {"u1": u1, "spikes1": s1, "v2": v2, "logits": logits, "loss": loss}


# ---------------------------------------------------------------- case drawing

def f32(a):
    """Round to float32 and come back as a float64 tensor (the stored value)."""
    return torch.from_numpy(np.asarray(a, dtype=np.float32).astype(np.float64))


def draw_delays(g, shape, td, mode):
    if mode == "int":
        return torch.randint(0, td + 1, shape, generator=g).to(DT)
    d = torch.rand(shape, generator=g, dtype=DT) * td
    if mode == "linear":
        # keep clear of the kinks of the linear kernel at integer positions
        while True:
            bad = (d - torch.round(d)).abs() <= 0.05
            if not bad.any():
                break
            d[bad] = torch.rand(int(bad.sum()), generator=g, dtype=DT) * td
    return d


def draw_case(p, seed):
    """Draw the given tensors of a case (float64 values that are exact float32)."""
    g = torch.Generator().manual_seed(seed)
    B, T, NI, NH, NO, td = (p[k] for k in ("batch", "steps", "inputs", "hidden", "outputs", "maxDelay"))
    x = torch.randn(B, T, NI, generator=g, dtype=DT)
    y = torch.randint(0, NO, (B,), generator=g)
    w1 = (torch.rand(NH, NI, generator=g, dtype=DT) * 2 - 1) * math.sqrt(6.0 / NI)
    w2 = (torch.rand(NO, NH, generator=g, dtype=DT) * 2 - 1) * math.sqrt(6.0 / NH)
    d1 = draw_delays(g, (NH, NI), td, p["delayMode"])
    d2 = draw_delays(g, (NO, NH), td, p["delayMode"])
    sp = p.get("sparsity", 0.0)
    if sp > 0:
        w1 = w1 * (torch.rand(NH, NI, generator=g, dtype=DT) >= sp).to(DT)
        w2 = w2 * (torch.rand(NO, NH, generator=g, dtype=DT) >= sp).to(DT)
    t = {"x": f32(x), "y": y, "w1": w1, "d1": f32(d1), "w2": w2, "d2": f32(d2)}
    if p["batchNorm"]:
        t["bn_gamma"] = 0.5 + torch.rand(NH, generator=g, dtype=DT)
        t["bn_beta"] = (torch.rand(NH, generator=g, dtype=DT) * 2 - 1) * 0.3
    return t


def scaled_hidden(p, t, gain):
    """Given tensors with the hidden drive multiplied by gain (w1, or gamma under batch norm)."""
    t2 = dict(t)
    if p["batchNorm"]:
        t2["bn_gamma"] = f32(t["bn_gamma"] * gain)
    else:
        t2["w1"] = f32(t["w1"] * gain)
    return t2


def hidden_rate(p, t):
    with torch.no_grad():
        i1 = synapse_layer(t["x"], t["w1"], t["d1"], p["maxDelay"], p["delayMode"], p["sigma"])
        if p["batchNorm"]:
            i1 = batch_norm(i1, t["bn_gamma"], t["bn_beta"])
        _, s1 = lif(i1, p["tau"], p["threshold"], p["alpha"])
    return float(s1.mean()), s1


def calibrate(p, t):
    target_rate = p.get("rate", RATE_TARGET)
    """Scale the hidden drive to a spike rate near p["rate"] (default RATE_TARGET) (log bisection), then scale
    w2 so that logits (vsum) or readout membranes (softmaxsum) are of order 1."""
    # A coarse geometric grid (not a converged bisection, which would park some u exactly on
    # the threshold): take the grid gain whose rate is closest to the target.
    lo, hi = math.log(1e-3), math.log(1e3)
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        r, _ = hidden_rate(p, scaled_hidden(p, t, math.exp(mid)))
        if r < target_rate:
            lo = mid
        else:
            hi = mid
    step = math.log(1.15)
    best = None
    for k in range(math.floor(lo / step) - 1, math.ceil(hi / step) + 2):
        r, _ = hidden_rate(p, scaled_hidden(p, t, math.exp(k * step)))
        if best is None or abs(r - target_rate) < best[0]:
            best = (abs(r - target_rate), k)
    t = scaled_hidden(p, t, math.exp(best[1] * step))
    _, s1 = hidden_rate(p, t)
    with torch.no_grad():
        i2 = synapse_layer(s1, t["w2"], t["d2"], p["maxDelay"], p["delayMode"], p["sigma"])
        v2, logits = readout(i2, p["tau"], p["readout"])
    spread = float(logits.std()) if p["readout"] == "vsum" else float(v2.std())
    target = 1.5 if p["readout"] == "vsum" else 0.7
    scale = target / spread if spread > 0 else 1.0
    t["w2"] = f32(t["w2"] * scale)
    t["w1"] = f32(t["w1"])
    if p["batchNorm"]:
        t["bn_gamma"] = f32(t["bn_gamma"])
        t["bn_beta"] = f32(t["bn_beta"])
    return t


def compute(p, t):
    """Full forward + autograd backward in float64. Returns (results, grads)."""
    leaves = {}
    tt = dict(t)
    names = ["w1", "w2"]
    if p["delayMode"] != "int":
        names += ["d1", "d2"]
    if p["batchNorm"]:
        names += ["bn_gamma", "bn_beta"]
    for k in names:
        leaves[k] = t[k].clone().requires_grad_(True)   # dense leaves: zero weights get a gradient too
        tt[k] = leaves[k]
    out = forward(p, tt)
    out["loss"].backward()
    grads = {"grad_" + k: leaves[k].grad.detach() for k in names}
    return out, grads


def make_case(p, seed, max_attempts=400):
    if p["delayMode"] == "linear" and p["maxDelay"] < 1:
        raise ValueError("linear delays need maxDelay >= 1 (delays are kept away from integers)")
    if not RATE_LO <= p.get("rate", RATE_TARGET) <= RATE_HI:
        raise ValueError("target rate must lie in [%g, %g]" % (RATE_LO, RATE_HI))
    for attempt in range(max_attempts):
        t = calibrate(p, draw_case(p, seed * 1000 + attempt))
        out, grads = compute(p, t)
        margin = float((out["u1"].detach() - p["threshold"]).abs().min())
        rate = float(out["spikes1"].mean())
        if margin < MARGIN:
            continue
        if not (RATE_LO <= rate <= RATE_HI):
            continue
        return t, out, grads, {"attempt": attempt, "margin": margin, "rate": rate}
    raise RuntimeError("no acceptable case after %d attempts" % max_attempts)


# ---------------------------------------------------------------- L >= 2 hidden layers
# GOLDEN.md "L >= 2 hidden layers": p["hidden"] is the list N_1..N_L; synapse layer k = 1..L+1 maps
# layer k-1 to layer k; tensors w{k}, d{k}, bn{k}_gamma/beta, spikes{k}, v{L+1}, grad_* by the same
# names. One-layer cases keep the code above (and their names) untouched.

def depth(p):
    return len(p["hidden"]) if isinstance(p["hidden"], (list, tuple)) else 1


def widths(p):
    return [p["inputs"]] + list(p["hidden"]) + [p["outputs"]]


def forward_deep(p, t, spike=arctan_spike, detach_reset=True, upto=None):
    """Every layer in turn; upto=k stops after hidden layer k (for calibration)."""
    L = depth(p)
    out = {}
    s = t["x"]
    for k in range(1, L + 1):
        i = synapse_layer(s, t["w%d" % k], t["d%d" % k], p["maxDelay"], p["delayMode"], p["sigma"])
        if p["batchNorm"]:
            i = batch_norm(i, t["bn%d_gamma" % k], t["bn%d_beta" % k])
        u, s = lif(i, p["tau"], p["threshold"], p["alpha"], spike, detach_reset)
        out["u%d" % k] = u
        out["spikes%d" % k] = s
        if upto == k:
            return out
    i = synapse_layer(s, t["w%d" % (L + 1)], t["d%d" % (L + 1)], p["maxDelay"], p["delayMode"], p["sigma"])
    v, logits = readout(i, p["tau"], p["readout"])
    out["v%d" % (L + 1)] = v
    out["logits"] = logits
    out["loss"] = F.cross_entropy(logits, t["y"])
    return out


def draw_deep(p, seed):
    g = torch.Generator().manual_seed(seed)
    W = widths(p)
    L = depth(p)
    B, T, td = p["batch"], p["steps"], p["maxDelay"]
    t = {"x": f32(torch.randn(B, T, W[0], generator=g, dtype=DT)),
         "y": torch.randint(0, W[-1], (B,), generator=g)}
    sp = p.get("sparsity", 0.0)
    for k in range(1, L + 2):
        w = (torch.rand(W[k], W[k - 1], generator=g, dtype=DT) * 2 - 1) * math.sqrt(6.0 / W[k - 1])
        if sp > 0:
            w = w * (torch.rand(W[k], W[k - 1], generator=g, dtype=DT) >= sp).to(DT)
        t["w%d" % k] = w
        t["d%d" % k] = f32(draw_delays(g, (W[k], W[k - 1]), td, p["delayMode"]))
        if k <= L and p["batchNorm"]:
            t["bn%d_gamma" % k] = 0.5 + torch.rand(W[k], generator=g, dtype=DT)
            t["bn%d_beta" % k] = (torch.rand(W[k], generator=g, dtype=DT) * 2 - 1) * 0.3
    return t


def calibrate_deep(p, t):
    """Layer by layer, bottom up: scale hidden layer k's drive (w_k, or gamma_k under batch norm)
    on a coarse geometric grid to the spike rate nearest the target, the layers below fixed; then
    scale the readout weights so that logits (vsum) or readout membranes (softmaxsum) are of order 1."""
    target_rate = p.get("rate", RATE_TARGET)
    L = depth(p)
    t = dict(t)
    for k in range(1, L + 1):
        key = ("bn%d_gamma" % k) if p["batchNorm"] else ("w%d" % k)
        base = t[key]

        def rate(gain):
            t[key] = f32(base * gain)
            with torch.no_grad():
                return float(forward_deep(p, t, upto=k)["spikes%d" % k].mean())
        step = math.log(1.15)
        best = None
        for e in range(-50, 51):
            r = rate(math.exp(e * step))
            if best is None or abs(r - target_rate) < best[0]:
                best = (abs(r - target_rate), e)
        t[key] = f32(base * math.exp(best[1] * step))
    with torch.no_grad():
        out = forward_deep(p, t)
    spread = float(out["logits"].std()) if p["readout"] == "vsum" else float(out["v%d" % (L + 1)].std())
    target = 1.5 if p["readout"] == "vsum" else 0.7
    scale = target / spread if spread > 0 else 1.0
    for k in range(1, L + 2):
        t["w%d" % k] = f32(t["w%d" % k] * (scale if k == L + 1 else 1.0))
        if k <= L and p["batchNorm"]:
            t["bn%d_gamma" % k] = f32(t["bn%d_gamma" % k])
            t["bn%d_beta" % k] = f32(t["bn%d_beta" % k])
    return t


def param_names_deep(p):
    L = depth(p)
    names = ["w%d" % k for k in range(1, L + 2)]
    if p["delayMode"] != "int":
        names += ["d%d" % k for k in range(1, L + 2)]
    if p["batchNorm"]:
        for k in range(1, L + 1):
            names += ["bn%d_gamma" % k, "bn%d_beta" % k]
    return names


def compute_deep(p, t):
    tt = dict(t)
    leaves = {}
    for k in param_names_deep(p):
        leaves[k] = t[k].clone().requires_grad_(True)
        tt[k] = leaves[k]
    out = forward_deep(p, tt)
    out["loss"].backward()
    return out, {"grad_" + k: leaves[k].grad.detach() for k in leaves}


def margin_rate_deep(p, out):
    L = depth(p)
    margin = min(float((out["u%d" % k].detach() - p["threshold"]).abs().min()) for k in range(1, L + 1))
    rates = [float(out["spikes%d" % k].mean()) for k in range(1, L + 1)]
    return margin, rates


def make_case_deep(p, seed, max_attempts=400):
    if p["delayMode"] == "linear" and p["maxDelay"] < 1:
        raise ValueError("linear delays need maxDelay >= 1 (delays are kept away from integers)")
    for attempt in range(max_attempts):
        t = calibrate_deep(p, draw_deep(p, seed * 1000 + attempt))
        out, grads = compute_deep(p, t)
        margin, rates = margin_rate_deep(p, out)
        if margin < MARGIN or not all(RATE_LO <= r <= RATE_HI for r in rates):
            continue
        return t, out, grads, {"attempt": attempt, "margin": margin, "rate": min(rates), "rates": rates}
    raise RuntimeError("no acceptable case after %d attempts" % max_attempts)


def check_case_deep(p, t, out, grads, info):
    L = depth(p)
    sp = p.get("sparsity", 0.0)
    for k, v in list(grads.items()) + [("loss", out["loss"])]:
        assert torch.isfinite(v).all(), k
    for k in range(1, L + 2):
        g = grads["grad_w%d" % k]
        assert float(g.abs().max()) > 0, "grad_w%d is zero" % k
        if sp > 0:
            z = t["w%d" % k] == 0
            assert z.double().mean() > 0.5 * sp, "sparsity not realised in w%d" % k
            assert g[z].abs().max() > 0, "no gradient on absent w%d synapses" % k
    assert info["margin"] >= MARGIN


def write_case_deep(root, name, p, t, out, grads):
    path = os.path.join(root, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    L = depth(p)
    with open(os.path.join(path, "case.properties"), "w") as f:
        for k in PROPERTY_KEYS:
            v = ",".join(str(h) for h in p["hidden"]) if k == "hidden" else fmt(p[k])
            f.write("%s=%s\n" % (k, v))

    def save(fname, a, dtype="<f4"):
        arr = np.asarray(a.detach().numpy() if torch.is_tensor(a) else a).astype(dtype).copy(order="C")
        assert arr.shape == tuple(a.shape) and arr.dtype.str == dtype, fname
        np.save(os.path.join(path, fname + ".npy"), arr, allow_pickle=False)

    save("x", t["x"])
    save("y", t["y"], "<i4")
    for k in param_names_deep(dict(p, delayMode="gauss")):   # every w, d and bn, given
        save(k, t[k])
    for k in range(1, L + 1):
        save("spikes%d" % k, out["spikes%d" % k])
    save("v%d" % (L + 1), out["v%d" % (L + 1)])
    save("logits", out["logits"])
    save("loss", out["loss"].reshape(()))
    for k, v in grads.items():
        save(k, v)


def self_check_deep():
    """At L = 2 and 3: the whole network under the smooth step whose derivative is the surrogate
    (reset differentiable) against central finite differences of every parameter: weights, delays
    and batch norm of every layer."""
    worst = 0.0
    for hidden in ([4, 3], [3, 4, 3]):
        for mode in ("int", "linear", "gauss"):
            for bn in (False, True):
                p = dict(batch=2, steps=8, inputs=3, hidden=hidden, outputs=3, maxDelay=3, sigma=1.3,
                         tau=10.05, threshold=1.0, alpha=5.0, delayMode=mode, readout="vsum",
                         batchNorm=bn, sparsity=0.3)
                tensors = calibrate_deep(p, draw_deep(p, 7))

                def loss_all():
                    return forward_deep(p, tensors, spike=smooth_spike, detach_reset=False)["loss"]
                names = param_names_deep(p)
                worst = max(worst, compare("deep %s %s%s" % (hidden, mode, "/bn" if bn else ""),
                                           autograd_grad(loss_all, tensors, names), fd_grad(loss_all, tensors, names)))
    print("deep self-check passed (worst relative autograd/finite-difference gap %.2e)" % worst)


def run_case_deep(root, name, p, seed, what=""):
    t, out, grads, info = make_case_deep(p, seed)
    check_case_deep(p, t, out, grads, info)
    write_case_deep(root, name, p, t, out, grads)
    print("%-28s rates %s  min|u-thr| %.2e  loss %.4f  attempts %d  %s"
          % (name, " ".join("%.3f" % r for r in info["rates"]), info["margin"], float(out["loss"]),
             info["attempt"] + 1, what))
    sys.stdout.flush()


# ---------------------------------------------------------------- writing

def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write_case(root, name, p, t, out, grads):
    path = os.path.join(root, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    with open(os.path.join(path, "case.properties"), "w") as f:
        for k in PROPERTY_KEYS:
            f.write("%s=%s\n" % (k, fmt(p[k])))

    def save(fname, a, dtype="<f4"):
        # (np.ascontiguousarray would turn the 0-d loss into shape (1,); copy keeps shape ())
        arr = np.asarray(a.detach().numpy() if torch.is_tensor(a) else a).astype(dtype).copy(order="C")
        assert arr.shape == tuple(a.shape) and arr.dtype.str == dtype, fname
        np.save(os.path.join(path, fname + ".npy"), arr, allow_pickle=False)

    for k in ("x", "w1", "d1", "w2", "d2"):
        save(k, t[k])
    save("y", t["y"], "<i4")
    if p["batchNorm"]:
        save("bn_gamma", t["bn_gamma"])
        save("bn_beta", t["bn_beta"])
    for k in ("spikes1", "v2", "logits"):
        save(k, out[k])
    save("loss", out["loss"].reshape(()))
    for k, v in grads.items():
        save(k, v)


def check_case(p, t, out, grads, info):
    """Sanity assertions on a finished case."""
    sp = p.get("sparsity", 0.0)
    for k, v in list(grads.items()) + [("loss", out["loss"])]:
        assert torch.isfinite(v).all(), k
    assert float(grads["grad_w1"].abs().max()) > 0 and float(grads["grad_w2"].abs().max()) > 0
    if sp > 0:
        # the RigL signal: absent synapses must still carry a gradient
        z1 = t["w1"] == 0
        z2 = t["w2"] == 0
        assert z1.float().mean() > 0.5 * sp and z2.float().mean() > 0.5 * sp, "sparsity not realised"
        assert grads["grad_w2"][z2].abs().max() > 0, "no gradient on absent w2 synapses"
        assert grads["grad_w1"][z1].abs().max() > 0, "no gradient on absent w1 synapses"
    if p["delayMode"] == "int":
        assert torch.all(t["d1"] == torch.round(t["d1"])) and torch.all(t["d2"] == torch.round(t["d2"]))
    assert RATE_LO <= info["rate"] <= RATE_HI, "hidden spike rate %.4f out of range" % info["rate"]
    assert info["margin"] >= MARGIN


# ---------------------------------------------------------------- self-check

def fd_grad(fn, tensors, names, h=1e-6):
    """Central finite differences of scalar fn() w.r.t. every entry of tensors[name]."""
    res = {}
    for k in names:
        base = tensors[k]
        g = torch.zeros_like(base)
        flat = base.view(-1)
        gf = g.view(-1)
        for idx in range(flat.numel()):
            old = float(flat[idx])
            flat[idx] = old + h
            fp = float(fn())
            flat[idx] = old - h
            fm = float(fn())
            flat[idx] = old
            gf[idx] = (fp - fm) / (2 * h)
        res[k] = g
    return res


def autograd_grad(fn, tensors, names):
    leaves = {k: tensors[k].clone().requires_grad_(True) for k in names}
    saved = {k: tensors[k] for k in names}
    tensors.update(leaves)
    fn().backward()
    tensors.update(saved)
    return {k: leaves[k].grad.detach() for k in names}


def compare(tag, ga, gf, tol=1e-6):
    worst = 0.0
    for k in ga:
        scale = max(1.0, float(gf[k].abs().max()))
        err = float((ga[k] - gf[k]).abs().max()) / scale
        worst = max(worst, err)
        if err > tol:
            raise AssertionError("self-check %s: %s autograd vs finite difference off by %.3g" % (tag, k, err))
    return worst


def naive_synapse(x, w, d, td, mode, sigma):
    """Loop form of the delayed synapse, used to check the vectorised indexing."""
    k = delay_kernels(d, td, mode, sigma)
    B, T, NJ = x.shape
    NI = w.shape[0]
    out = torch.zeros(B, T, NI, dtype=DT)
    for b in range(B):
        for t in range(T):
            for i in range(NI):
                acc = 0.0
                for j in range(NJ):
                    for n in range(td + 1):
                        if t - n >= 0:
                            acc += float(w[i, j]) * float(k[i, j, n]) * float(x[b, t - n, j])
                out[b, t, i] = acc
    return out


def self_check():
    base = dict(batch=2, steps=9, inputs=3, hidden=4, outputs=3, maxDelay=4, sigma=1.3,
                tau=10.05, threshold=1.0, alpha=5.0)
    worst = 0.0
    for mode in ("int", "linear", "gauss"):
        for ro in ("vsum", "softmaxsum"):
            for bn in (False, True):
                p = dict(base, delayMode=mode, readout=ro, batchNorm=bn, sparsity=0.3)
                t = calibrate(p, draw_case(p, 7))
                # 0. vectorised delayed synapse == explicit loops
                ref = naive_synapse(t["x"], t["w1"], t["d1"], p["maxDelay"], mode, p["sigma"])
                vec = synapse_layer(t["x"], t["w1"], t["d1"], p["maxDelay"], mode, p["sigma"])
                assert float((ref - vec).abs().max()) < 1e-12, "synapse indexing"
                # 1. readout layer alone, hidden spikes held fixed: exact loss, no surrogate involved
                _, s1 = hidden_rate(p, t)
                tensors = dict(t, s1=s1)

                def loss2():
                    i2 = synapse_layer(tensors["s1"], tensors["w2"], tensors["d2"], p["maxDelay"], mode, p["sigma"])
                    return F.cross_entropy(readout(i2, p["tau"], ro)[1], tensors["y"])
                names = ["w2"] + ([] if mode == "int" else ["d2"])
                worst = max(worst, compare("readout " + mode + "/" + ro,
                                           autograd_grad(loss2, tensors, names), fd_grad(loss2, tensors, names)))
                # 2. first synapse layer (+ batch norm) under a smooth scalar: grads of w1, d1, gamma, beta
                c = torch.randn(p["batch"], p["steps"], p["hidden"], generator=torch.Generator().manual_seed(3), dtype=DT)

                def loss1():
                    i1 = synapse_layer(tensors["x"], tensors["w1"], tensors["d1"], p["maxDelay"], mode, p["sigma"])
                    if bn:
                        i1 = batch_norm(i1, tensors["bn_gamma"], tensors["bn_beta"])
                    return (c * torch.tanh(i1)).sum()
                names = ["w1"] + ([] if mode == "int" else ["d1"]) + (["bn_gamma", "bn_beta"] if bn else [])
                worst = max(worst, compare("layer1 " + mode + ("/bn" if bn else ""),
                                           autograd_grad(loss1, tensors, names), fd_grad(loss1, tensors, names)))
                # 3. whole network end to end (BPTT plumbing): smooth step whose derivative is the
                #    surrogate, reset left differentiable, so the true derivative is what autograd gives
                def loss_all():
                    return forward(p, tensors, spike=smooth_spike, detach_reset=False)["loss"]
                names = ["w1", "w2"] + ([] if mode == "int" else ["d1", "d2"]) + (["bn_gamma", "bn_beta"] if bn else [])
                worst = max(worst, compare("network " + mode + "/" + ro + ("/bn" if bn else ""),
                                           autograd_grad(loss_all, tensors, names), fd_grad(loss_all, tensors, names)))
    # 4. the surrogate itself
    u = torch.linspace(-1, 3, 41, dtype=DT).requires_grad_(True)
    arctan_spike(u, 1.0, 5.0).sum().backward()
    expect = 2.5 / (1 + (math.pi / 2 * 5.0 * (u.detach() - 1.0)) ** 2)
    assert float((u.grad - expect).abs().max()) < 1e-15
    # 5. the reset really is detached: with S[0] = 1, u[1] = beta*u[0]*(1 - S[0]) + I[1], and the
    #    constant reset factor 0 leaves d u[1] / d I[0] = 0 (a differentiable reset would give
    #    -beta*u[0]*surrogate(u[0]) instead)
    i = torch.tensor([[[1.5], [0.2]]], dtype=DT, requires_grad=True)
    u1, _ = lif(i, 10.05, 1.0, 5.0)
    u1[0, 1, 0].backward()
    assert float(i.grad[0, 0, 0]) == 0.0
    print("self-check passed (worst relative autograd/finite-difference gap %.2e)" % worst)


# ---------------------------------------------------------------- case list

def P(**kw):
    p = dict(tau=10.05, threshold=1.0, alpha=5.0, sigma=1.0, sparsity=0.0)
    p.update(kw)
    return p


# name -> (params, seed, what it covers)
CASES = [
    ("int_vsum_dense", P(batch=4, steps=24, inputs=8, hidden=16, outputs=4, maxDelay=5, delayMode="int",
                         readout="vsum", batchNorm=False), 11, "int delays, vsum, no BN, dense"),
    ("int_softmaxsum_bn", P(batch=3, steps=20, inputs=6, hidden=12, outputs=5, maxDelay=6, delayMode="int",
                            readout="softmaxsum", batchNorm=True), 12, "int delays, softmaxsum, BN"),
    ("linear_vsum_dense", P(batch=4, steps=24, inputs=8, hidden=16, outputs=4, maxDelay=5, delayMode="linear",
                            readout="vsum", batchNorm=False), 13, "linear delays, vsum, no BN, dense"),
    ("linear_softmaxsum_bn", P(batch=3, steps=22, inputs=9, hidden=14, outputs=4, maxDelay=7, delayMode="linear",
                               readout="softmaxsum", batchNorm=True), 14, "linear delays, softmaxsum, BN"),
    ("gauss_vsum_bn", P(batch=4, steps=24, inputs=8, hidden=16, outputs=4, maxDelay=6, sigma=2.0,
                        delayMode="gauss", readout="vsum", batchNorm=True), 15, "gauss delays, vsum, BN"),
    ("gauss_softmaxsum_dense", P(batch=3, steps=20, inputs=8, hidden=12, outputs=5, maxDelay=8, sigma=3.0,
                                 delayMode="gauss", readout="softmaxsum", batchNorm=False), 16,
     "gauss delays, softmaxsum, no BN"),
    ("gauss_small_sigma", P(batch=3, steps=20, inputs=6, hidden=10, outputs=4, maxDelay=8, sigma=0.5,
                            delayMode="gauss", readout="vsum", batchNorm=True), 17,
     "gauss with sigma 0.5 (end-of-schedule width, nearly one-hot kernels)"),
    ("sparse80_gauss_bn", P(batch=4, steps=24, inputs=12, hidden=24, outputs=5, maxDelay=6, sigma=1.5,
                            delayMode="gauss", readout="vsum", batchNorm=True, sparsity=0.8), 18,
     "80 % zero weights, gauss, BN: dense grad_w on absent pairs"),
    ("sparse90_int_vsum", P(batch=4, steps=24, inputs=16, hidden=32, outputs=4, maxDelay=5, delayMode="int",
                            readout="vsum", batchNorm=False, sparsity=0.9, rate=0.2), 19,
     "90 % zero weights, int, no BN"),
    ("sparse75_linear_softmaxsum", P(batch=3, steps=20, inputs=10, hidden=20, outputs=4, maxDelay=6,
                                     delayMode="linear", readout="softmaxsum", batchNorm=False, sparsity=0.75), 20,
     "75 % zero weights, linear, softmaxsum"),
    ("td0_int", P(batch=3, steps=16, inputs=6, hidden=10, outputs=3, maxDelay=0, delayMode="int",
                  readout="vsum", batchNorm=False), 21, "Td = 0 (single tap), int"),
    ("td0_gauss_bn", P(batch=3, steps=16, inputs=6, hidden=10, outputs=3, maxDelay=0, sigma=1.0,
                       delayMode="gauss", readout="softmaxsum", batchNorm=True), 22,
     "Td = 0, gauss (kernel is 1, grad_d = 0), BN"),
    ("batch1_gauss", P(batch=1, steps=30, inputs=8, hidden=16, outputs=4, maxDelay=6, sigma=2.0,
                       delayMode="gauss", readout="vsum", batchNorm=True, rate=0.2), 23, "batch of 1 (BN statistics over T only)"),
    ("odd_7_13_3", P(batch=2, steps=19, inputs=7, hidden=13, outputs=3, maxDelay=4, delayMode="linear",
                     readout="vsum", batchNorm=True, rate=0.05), 24, "awkward sizes 7/13/3"),
    ("primes_11_29_5", P(batch=3, steps=23, inputs=11, hidden=29, outputs=5, maxDelay=7, sigma=2.5,
                         delayMode="gauss", readout="softmaxsum", batchNorm=False, rate=0.25), 25, "prime sizes"),
    ("lanes_15_17_int", P(batch=2, steps=21, inputs=15, hidden=17, outputs=7, maxDelay=9, delayMode="int",
                          readout="vsum", batchNorm=True, sparsity=0.5), 26, "lanes-1 / lanes+1 sizes 15/17, 50 % sparse"),
    ("lanes_33_31_gauss", P(batch=2, steps=25, inputs=33, hidden=31, outputs=17, maxDelay=10, sigma=3.0,
                            delayMode="gauss", readout="vsum", batchNorm=False, rate=0.04), 27, "sizes 33/31/17 (lanes+1/-1)"),
    ("td_exceeds_t_int", P(batch=2, steps=8, inputs=5, hidden=9, outputs=3, maxDelay=12, delayMode="int",
                           readout="vsum", batchNorm=False), 28,
     "Td > T: taps that reach before t = 0 (zero input)"),
    ("gauss_wide_sparse_softmaxsum_bn", P(batch=3, steps=30, inputs=10, hidden=20, outputs=6, maxDelay=10,
                                          sigma=5.0, delayMode="gauss", readout="softmaxsum", batchNorm=True,
                                          sparsity=0.6, rate=0.15), 31,
     "gauss with sigma = Td/2 (start-of-training width), 60 % sparse, softmaxsum, BN"),
    ("paper_full_gauss_bn", P(batch=2, steps=80, inputs=40, hidden=256, outputs=20, maxDelay=25, sigma=6.0,
                              delayMode="gauss", readout="vsum", batchNorm=True), 29,
     "paper size 40-256-20, T 80, Td 25, gauss, BN"),
    ("paper_sparse875_int", P(batch=2, steps=80, inputs=40, hidden=256, outputs=20, maxDelay=25,
                              delayMode="int", readout="vsum", batchNorm=False, sparsity=0.875), 30,
     "paper size, 87.5 % zero weights, int delays (deployment form), no BN"),
]

# GOLDEN.md's multi-layer naming: l{L}_... with L hidden layers
DEEP_CASES = [
    ("l2_int_vsum_dense", P(batch=4, steps=24, inputs=8, hidden=[16, 12], outputs=4, maxDelay=5, delayMode="int",
                            readout="vsum", batchNorm=False), 41, "2 layers, int, no BN, dense"),
    ("l2_linear_softmaxsum_bn", P(batch=3, steps=22, inputs=9, hidden=[14, 11], outputs=4, maxDelay=6,
                                  delayMode="linear", readout="softmaxsum", batchNorm=True), 42,
     "2 layers, linear, softmaxsum, BN"),
    ("l2_gauss_vsum_bn", P(batch=4, steps=24, inputs=8, hidden=[16, 16], outputs=4, maxDelay=6, sigma=2.0,
                           delayMode="gauss", readout="vsum", batchNorm=True), 43, "2 layers, gauss, BN"),
    ("l2_sparse70_gauss", P(batch=3, steps=20, inputs=10, hidden=[20, 18], outputs=5, maxDelay=6,
                                          sigma=1.5, delayMode="gauss", readout="vsum", batchNorm=False,
                                          sparsity=0.7), 44, "2 layers, 70 % zero weights, gauss, no BN"),
    ("l2_sparse80_int_bn", P(batch=4, steps=24, inputs=12, hidden=[24, 20], outputs=5, maxDelay=5,
                             delayMode="int", readout="vsum", batchNorm=True, sparsity=0.8, rate=0.15), 45,
     "2 layers, 80 % zero weights, int, BN"),
    ("l3_int_softmaxsum_bn", P(batch=3, steps=20, inputs=6, hidden=[12, 10, 9], outputs=4, maxDelay=6,
                               delayMode="int", readout="softmaxsum", batchNorm=True), 46, "3 layers, int, BN"),
    ("l3_linear_vsum_dense", P(batch=3, steps=22, inputs=8, hidden=[13, 11, 12], outputs=4, maxDelay=5,
                               delayMode="linear", readout="vsum", batchNorm=False), 47,
     "3 layers, linear, no BN, dense"),
    ("l3_sparse60_gauss_bn", P(batch=3, steps=24, inputs=10, hidden=[17, 15, 16], outputs=5, maxDelay=7,
                               sigma=2.5, delayMode="gauss", readout="softmaxsum", batchNorm=True, sparsity=0.6,
                               rate=0.15), 48, "3 layers, 60 % zero weights, gauss, softmaxsum, BN"),
]


def run_case(root, name, p, seed, what=""):
    t, out, grads, info = make_case(p, seed)
    check_case(p, t, out, grads, info)
    write_case(root, name, p, t, out, grads)
    nz1 = float((t["w1"] == 0).double().mean())
    nz2 = float((t["w2"] == 0).double().mean())
    print("%-28s rate %.3f  min|u-thr| %.2e  loss %.4f  zero w1 %.2f w2 %.2f  attempts %d  %s"
          % (name, info["rate"], info["margin"], float(out["loss"]), nz1, nz2, info["attempt"] + 1, what))
    sys.stdout.flush()
    return info


def str2bool(s):
    if s.lower() in ("true", "1", "yes"):
        return True
    if s.lower() in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError("expected true or false")


def main():
    torch.set_num_threads(1)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to write case folders into")
    ap.add_argument("--single", metavar="NAME", help="write only one case with the parameters below")
    ap.add_argument("--only", metavar="NAME", help="regenerate only this built-in case")
    ap.add_argument("--skip-self-check", action="store_true")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--inputs", type=int, default=8)
    ap.add_argument("--hidden", default="16", help="hidden widths, e.g. 16 or 16,12 (L >= 2 layers)")
    ap.add_argument("--outputs", type=int, default=4)
    ap.add_argument("--max-delay", type=int, default=5)
    ap.add_argument("--delay-mode", choices=["int", "linear", "gauss"], default="gauss")
    ap.add_argument("--sigma", type=float, default=2.0)
    ap.add_argument("--tau", type=float, default=10.05)
    ap.add_argument("--threshold", type=float, default=1.0)
    ap.add_argument("--alpha", type=float, default=5.0)
    ap.add_argument("--readout", choices=["vsum", "softmaxsum"], default="vsum")
    ap.add_argument("--batch-norm", type=str2bool, default=True)
    ap.add_argument("--sparsity", type=float, default=0.0, help="fraction of weights set to exactly 0")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=RATE_TARGET, help="target hidden spike rate (0.02..0.30)")
    a = ap.parse_args()

    try:
        hidden = [int(h) for h in a.hidden.split(",")]
    except ValueError:
        ap.error("--hidden: expected widths such as 16 or 16,12, got " + a.hidden)
    if not a.skip_self_check:
        self_check()
        self_check_deep()
    os.makedirs(a.out, exist_ok=True)
    if a.single:
        p = P(batch=a.batch, steps=a.steps, inputs=a.inputs, hidden=hidden[0] if len(hidden) == 1 else hidden, outputs=a.outputs,
              maxDelay=a.max_delay, delayMode=a.delay_mode, sigma=a.sigma, tau=a.tau,
              threshold=a.threshold, alpha=a.alpha, readout=a.readout, batchNorm=a.batch_norm,
              sparsity=a.sparsity, rate=a.rate)
        (run_case if len(hidden) == 1 else run_case_deep)(a.out, a.single, p, a.seed)
        return
    for name, p, seed, what in CASES:
        if a.only and name != a.only:
            continue
        run_case(a.out, name, p, seed, what)
    for name, p, seed, what in DEEP_CASES:
        if a.only and name != a.only:
            continue
        run_case_deep(a.out, name, p, seed, what)


if __name__ == "__main__":
    main()
