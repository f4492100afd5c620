"""Reference numbers for the trainer's optimiser and schedules, computed with PyTorch itself.

Run from the repository root with Debian's python (torch 1.13):
    /usr/bin/python3 golden/train_ref.py
Writes golden/train/adam.json, onecycle.json, cosine.json and sigma.json, read by
src/test/java/org/myelin/train/ScheduleGoldenTest.java. Nothing here imports Myelin code.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train")
MAX_LR, PCT, BASE_M, MAX_M = 5e-3, 0.3, 0.85, 0.95
DELAY_LR = 0.1
EPOCHS = [1, 2, 3, 4, 7, 10, 150]


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def adam_case(name, n, steps, lrs, beta1s, gen):
    """torch.optim.Adam on float32 parameters; lr and beta1 may change between steps."""
    p0 = (torch.randn(n, generator=gen) * 0.5).float()
    p = torch.nn.Parameter(p0.clone())
    opt = torch.optim.Adam([p], lr=lrs[0], betas=(beta1s[0], 0.999), eps=1e-8)
    grads, after = [], []
    for s in range(steps):
        # gradients of very different magnitudes, some exactly zero, some tiny (eps matters)
        scale = torch.tensor([10.0 ** (-(k % 9)) for k in range(n)])
        g = (torch.randn(n, generator=gen) * scale).float()
        g[(torch.arange(n) + s) % 7 == 0] = 0.0
        opt.param_groups[0]["lr"] = lrs[s]
        opt.param_groups[0]["betas"] = (beta1s[s], 0.999)
        p.grad = g.clone()
        opt.step()
        grads.append([float(v) for v in g])
        after.append([float(v) for v in p.detach()])
    return {"name": name, "n": n, "p0": [float(v) for v in p0], "lr": lrs, "beta1": beta1s,
            "beta2": 0.999, "eps": 1e-8, "grads": grads, "params": after}


def onecycle(E):
    """OneCycleLR stepped once per epoch: lr and beta1 in effect during each epoch 0..E-1."""
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=1e-3)
    sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=MAX_LR, total_steps=E, pct_start=PCT,
                                              base_momentum=BASE_M, max_momentum=MAX_M, cycle_momentum=True)
    lrs, b1s = [], []
    for e in range(E):
        lrs.append(opt.param_groups[0]["lr"])
        b1s.append(opt.param_groups[0]["betas"][0])
        opt.step()
        sch.step()
    return {"epochs": E, "lr": lrs, "beta1": b1s}


def cosine(E):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=DELAY_LR)
    sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=E)
    lrs = []
    for e in range(E):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sch.step()
    return {"epochs": E, "lr": lrs}


def sigma(E, td):
    """docs/MODEL.md: sigma0 = floor(Td/2); multiply by (0.23/sigma0)^(1/E4) after each of the first
    E4 = floor(E/4) epochs; used with 0.27 added. Computed by repeated multiplication, as the
    authors' code does. E4 = 0 (fewer than 4 epochs) is taken as 1 (documented choice of Myelin)."""
    s = float(td // 2)
    e4 = max(1, E // 4)
    factor = (0.23 / s) ** (1.0 / e4)
    out = []
    for e in range(E):
        out.append(s + 0.27)
        if e < e4:
            s *= factor
    return {"epochs": E, "max_delay": td, "sigma": out}


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20261128)
    cases = []
    steps = 12
    cases.append(adam_case("constant", 37, steps, [1e-3] * steps, [0.9] * steps, gen))
    # beta1 changing every step (as OneCycle's cycle_momentum does), lr changing too
    lrs = [2e-4 + 4.8e-3 * math.sin(math.pi * s / (steps - 1)) for s in range(steps)]
    b1s = [0.95 - 0.1 * math.sin(math.pi * s / (steps - 1)) for s in range(steps)]
    cases.append(adam_case("cycled", 37, steps, lrs, b1s, gen))
    # the trainer's actual schedule: OneCycle over 10 epochs, 3 steps per epoch
    oc = onecycle(10)
    lrs = [oc["lr"][s // 3] for s in range(30)]
    b1s = [oc["beta1"][s // 3] for s in range(30)]
    cases.append(adam_case("onecycle10x3", 19, 30, lrs, b1s, gen))
    # delay-style: lr 0.1
    cases.append(adam_case("delay_lr", 19, 8, [0.1] * 8, [0.9] * 8, gen))
    dump("adam.json", {"torch": torch.__version__, "cases": cases})
    dump("onecycle.json", {"torch": torch.__version__, "max_lr": MAX_LR, "pct_start": PCT, "base_momentum": BASE_M,
                           "max_momentum": MAX_M, "runs": [onecycle(E) for E in EPOCHS]})
    dump("cosine.json", {"torch": torch.__version__, "lr0": DELAY_LR, "runs": [cosine(E) for E in EPOCHS]})
    dump("sigma.json", {"runs": [sigma(E, td) for E in EPOCHS for td in (3, 4, 25)]})


if __name__ == "__main__":
    main()
