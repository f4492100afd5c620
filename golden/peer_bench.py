#!/usr/bin/python3
"""Peer benchmark for Myelin: the paper's own formulation in PyTorch (float32, CPU).

Dense delayed synapses are a conv1d whose kernel (N_post x N_pre x (Td+1)) is built from
weights w, delay positions d and width sigma with Gaussian (DCLS-style) delay kernels; the
input is left-padded by Td. Then batch norm, a LIF loop over time (arctan surrogate, reset
detached), dropout, a second delayed conv1d, a leaky-integrator readout, sum-over-time logits,
cross-entropy, Adam (weights lr 1e-3, delays lr 0.1, delays clamped to [0, Td]).

    /usr/bin/python3 golden/peer_bench.py --mode train          # 2 threads, batch 256, one step
    /usr/bin/python3 golden/peer_bench.py --mode infer          # 1 thread, batch 1, int delays
    /usr/bin/python3 golden/peer_bench.py --mode both --json peer.json
    /usr/bin/python3 golden/peer_bench.py --mode train --shape shd2x256 --delay-mode int
                                                                # 140-256-256-20, T=100 (issue 24)

--shape shd2x256 is SNN-delays' SHD network of two hidden layers (each delayed synapses, batch norm,
LIF, dropout; the last one's spikes feed the readout), the shape of TrainStepBenchmark
-p shape=shd2x256. --delay-mode int trains with one-hot (rounded) delay kernels: the conv1d does the
same dense work, the delays get no gradient.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import argparse
import json
import math
import os
import platform
import statistics
import time

import torch
import torch.nn.functional as F

N_IN, N_H, N_OUT, T, TD = 40, 256, 20, 80, 25
# widths and steps of each --shape: the paper's network and SNN-delays' SHD network
SHAPES = {"paper": ([40, 256, 20], 80), "shd2x256": ([140, 256, 256, 20], 100)}
TAU, THR, ALPHA = 10.05, 1.0, 5.0


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, u):
        ctx.save_for_backward(u)
        return (u > THR).to(u.dtype)

    @staticmethod
    def backward(ctx, g):
        (u,) = ctx.saved_tensors
        return g * (ALPHA / 2) / (1 + (math.pi / 2 * ALPHA * (u - THR)) ** 2)


def conv_weight_gauss(w, d, sigma, td):
    """Kernel for conv1d: W[i, j, m] = w_ij * k_ij[td - m] (conv1d correlates, taps run backwards)."""
    n = torch.arange(td + 1, dtype=w.dtype)
    e = torch.exp(-0.5 * ((n - d.unsqueeze(-1)) / sigma) ** 2)
    k = e / e.sum(-1, keepdim=True)
    return (w.unsqueeze(-1) * k).flip(-1)


def conv_weight_int(w, d, td):
    k = F.one_hot(torch.round(d).clamp(0, td).long(), td + 1).to(w.dtype)
    return (w.unsqueeze(-1) * k).flip(-1)


def delayed(x, weight, td):
    """x: (B, N_pre, T) -> (B, N_post, T); I[t] = sum_j sum_n W.. x[t - n], x[t<0] = 0."""
    return F.conv1d(F.pad(x, (td, 0)), weight)


def lif(i):
    beta = 1 - 1 / TAU
    u = torch.zeros_like(i[:, :, 0])
    s = torch.zeros_like(u)
    out = []
    for t in range(i.shape[2]):
        u = beta * u * (1 - s.detach()) + i[:, :, t]
        s = Spike.apply(u)
        out.append(s)
    return torch.stack(out, 2)


def readout_vsum(i2):
    beta = 1 - 1 / TAU
    v = torch.zeros_like(i2[:, :, 0])
    total = torch.zeros_like(v)
    for t in range(i2.shape[2]):
        v = beta * v + i2[:, :, t]
        total = total + v
    return total


class Net(torch.nn.Module):
    """A stack of hidden layers of the given widths (input, hidden..., output). Parameters are drawn
    all weights first, then all delays (for one hidden layer: w1, w2, d1, d2, as before)."""

    def __init__(self, sigma, dropout, gen, widths=None):
        super().__init__()
        widths = widths or [N_IN, N_H, N_OUT]
        pairs = list(zip(widths[:-1], widths[1:]))
        self.w = torch.nn.ParameterList(
            [torch.nn.Parameter((torch.rand(post, pre, generator=gen) * 2 - 1) * math.sqrt(6 / pre)) for pre, post in pairs])
        self.d = torch.nn.ParameterList([torch.nn.Parameter(torch.rand(post, pre, generator=gen) * TD) for pre, post in pairs])
        self.bn = torch.nn.ModuleList([torch.nn.BatchNorm1d(n, eps=1e-5, momentum=0.1) for n in widths[1:-1]])
        self.sigma = sigma
        self.dropout = dropout

    def forward(self, x, int_delays=False, masks=None):
        s = x
        last = len(self.w) - 1
        for k, (w, d) in enumerate(zip(self.w, self.d)):
            if masks is not None:
                w = w * masks[k]
            kern = conv_weight_int(w, d, TD) if int_delays else conv_weight_gauss(w, d, self.sigma, TD)
            i = delayed(s, kern, TD)
            if k == last:
                return readout_vsum(i)
            s = lif(self.bn[k](i))
            if self.training and self.dropout > 0:
                keep = (torch.rand(s.shape[0], s.shape[1], 1) >= self.dropout).to(s.dtype) / (1 - self.dropout)
                s = s * keep          # one mask per (sample, neuron), fixed over time


def summary(times_s):
    ms = [t * 1e3 for t in times_s]
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms),
            "n": len(ms), "all_ms": [round(v, 3) for v in ms]}


def bench_train(args):
    torch.set_num_threads(2)
    widths, steps = SHAPES[args.shape]
    gen = torch.Generator().manual_seed(1)
    net = Net(args.sigma, args.dropout, gen, widths).train()
    x = torch.randn(args.batch, widths[0], steps, generator=gen)
    y = torch.randint(0, widths[-1], (args.batch,), generator=gen)
    bn = [p for m in net.bn for p in (m.weight, m.bias)]
    opt = torch.optim.Adam([{"params": list(net.w) + bn, "lr": 1e-3},
                            {"params": list(net.d), "lr": 0.1}])
    int_delays = args.delay_mode == "int"
    times = []
    for step in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x, int_delays=int_delays), y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for d in net.d:
                d.clamp_(0, TD)
        dt = time.perf_counter() - t0
        if step >= args.warmup:
            times.append(dt)
    r = summary(times)
    r.update(batch=args.batch, threads=torch.get_num_threads(), sigma=args.sigma, dropout=args.dropout,
             warmup=args.warmup, samples_per_s=args.batch / (r["median_ms"] / 1e3), final_loss=float(loss),
             shape=args.shape, widths=widths, steps=steps, delay_mode=args.delay_mode)
    print("train  %s %s  batch %d  threads %d  step median %.1f ms  (min %.1f, max %.1f, n %d)  %.0f samples/s"
          % (args.shape, args.delay_mode, args.batch, r["threads"], r["median_ms"], r["min_ms"], r["max_ms"], r["n"],
             r["samples_per_s"]))
    return r


def bench_infer(args):
    torch.set_num_threads(1)
    res = {}
    for density in (1.0, 0.125):
        gen = torch.Generator().manual_seed(2)
        net = Net(args.sigma, 0.0, gen).eval()
        with torch.no_grad():
            for d in net.d:
                d.copy_(torch.round(d))
            m1 = (torch.rand(N_H, N_IN, generator=gen) < density).float()
            m2 = (torch.rand(N_OUT, N_H, generator=gen) < density).float()
            # deployment: int kernels and masked weights are built once, outside the timed loop
            k1 = conv_weight_int(net.w[0] * m1, net.d[0], TD)
            k2 = conv_weight_int(net.w[1] * m2, net.d[1], TD)
            xs = [torch.randn(1, N_IN, T, generator=gen) for _ in range(args.samples + args.warmup)]
            times = []
            for n, x in enumerate(xs):
                t0 = time.perf_counter()
                i1 = net.bn[0](delayed(x, k1, TD))     # eval: running statistics
                s1 = lif(i1)
                logits = readout_vsum(delayed(s1, k2, TD))
                int(torch.argmax(logits))
                dt = time.perf_counter() - t0
                if n >= args.warmup:
                    times.append(dt)
        r = summary(times)
        r.update(density=density, threads=torch.get_num_threads(), us_per_step=r["median_ms"] * 1e3 / T,
                 nonzero_w1=int(m1.sum()), nonzero_w2=int(m2.sum()))
        r.pop("all_ms")
        print("infer  density %.3f  threads %d  batch 1  %.3f ms/sample median (min %.3f, max %.3f, n %d)  %.1f us/step"
              % (density, r["threads"], r["median_ms"], r["min_ms"], r["max_ms"], r["n"], r["us_per_step"]))
        res["density_%g" % density] = r
    return res


def verify(case_dir):
    """Run the peer's formulation in float64 on a golden case (vsum readout) and compare logits, loss
    and gradients: the peer computes the same function as the golden reference."""
    import numpy as np
    global N_IN, N_H, N_OUT, TD
    props = dict(l.strip().split("=", 1) for l in open(os.path.join(case_dir, "case.properties")) if l.strip())
    if props["readout"] != "vsum" or props["delayMode"] == "linear" or props["batchNorm"] != "true":
        raise SystemExit("verify needs a vsum, int/gauss, batchNorm=true case")
    if float(props["tau"]) != TAU or float(props["threshold"]) != THR or float(props["alpha"]) != ALPHA:
        raise SystemExit("verify needs tau/threshold/alpha = %g/%g/%g" % (TAU, THR, ALPHA))
    torch.set_default_dtype(torch.float64)
    load = lambda k: torch.from_numpy(np.load(os.path.join(case_dir, k + ".npy")).astype(np.float64))
    w1, d1, w2, d2 = load("w1"), load("d1"), load("w2"), load("d2")
    N_IN, N_H, N_OUT, TD = w1.shape[1], w1.shape[0], w2.shape[0], int(props["maxDelay"])
    net = Net(float(props["sigma"]), 0.0, torch.Generator().manual_seed(0)).train()
    with torch.no_grad():
        for p, v in ((net.w[0], w1), (net.d[0], d1), (net.w[1], w2), (net.d[1], d2),
                     (net.bn[0].weight, load("bn_gamma")), (net.bn[0].bias, load("bn_beta"))):
            p.copy_(v)
    logits = net(load("x").permute(0, 2, 1), int_delays=props["delayMode"] == "int")
    loss = F.cross_entropy(logits, load("y").long())
    loss.backward()
    gaps = {"logits": float((logits - load("logits")).abs().max() / load("logits").abs().max()),
            "loss": abs(float(loss) - float(load("loss")))}
    for k, p in (("w1", net.w[0]), ("w2", net.w[1])) + ((("d1", net.d[0]), ("d2", net.d[1])) if props["delayMode"] != "int" else ()):
        ref = load("grad_" + k)
        gaps["grad_" + k] = float((p.grad - ref).abs().max() / ref.abs().max())
    for k, v in gaps.items():
        print("verify %s  %-8s relative gap %.2e" % (os.path.basename(case_dir.rstrip("/")), k, v))
    if max(gaps.values()) > 1e-5:
        raise SystemExit("peer and golden case disagree")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["train", "infer", "both"], default="both")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=5, help="timed training steps")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--samples", type=int, default=50, help="timed inference samples")
    ap.add_argument("--sigma", type=float, default=TD / 2, help="Gaussian delay-kernel width (paper starts at Td/2)")
    ap.add_argument("--dropout", type=float, default=0.4)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="paper",
                    help="train: paper (40-256-20, T=80) or shd2x256 (140-256-256-20, T=100)")
    ap.add_argument("--delay-mode", choices=["gauss", "int"], default="gauss",
                    help="train: Gaussian delay kernels (default) or rounded one-hot ones")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--verify", metavar="CASE_DIR", help="only check the peer against a golden case and exit")
    args = ap.parse_args()
    if args.verify:
        verify(args.verify)
        return
    info = {"torch": torch.__version__, "python": platform.python_version(), "machine": platform.machine(),
            "cpu_count": os.cpu_count(), "loadavg_start": os.getloadavg(),
            "network": "%s T=%d Td=%d" % ("-".join(map(str, SHAPES[args.shape][0])), SHAPES[args.shape][1], TD)}
    print("peer: PyTorch %s, %s, %d cpus, load average %.2f" % (info["torch"], info["network"],
                                                               info["cpu_count"], info["loadavg_start"][0]))
    out = {"info": info}
    if args.mode in ("train", "both"):
        out["train"] = bench_train(args)
    if args.mode in ("infer", "both"):
        out["infer"] = bench_infer(args)
    info["loadavg_end"] = os.getloadavg()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
        print("wrote " + args.json)


if __name__ == "__main__":
    main()
