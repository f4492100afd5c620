#!/usr/bin/env python3
"""Reference vectors for org.myelin.analysis (run with /usr/bin/python3: NumPy + SciPy 1.10).

Writes golden/analysis/*.json next to this script:
  mannwhitney.json  scipy.stats.mannwhitneyu(x, y) with its defaults, on many sample pairs
  normsf.json       scipy.stats.norm.sf on a grid of z (the tail function the test relies on)
  moran.json        Moran's I (paper eq. 5, queen's case, zero diagonal) from the NumPy code
                    below, on a few matrices, each also under a few fixed row orders
  receptive.json    a small receptive field computed by the plain loop below
Floats are written with repr(), so they round-trip exactly.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "analysis")


def moran_queen(m):
    """Moran's I of a 2-D array with 8-neighbour binary weights (eq. 5), dense and slow on purpose."""
    m = np.asarray(m, dtype=np.float64)
    r, c = m.shape
    n = r * c
    z = (m - m.mean()).ravel()
    wsum = 0.0
    num = 0.0
    for i in range(r):
        for j in range(c):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    if di == 0 and dj == 0:
                        continue
                    ii, jj = i + di, j + dj
                    if 0 <= ii < r and 0 <= jj < c:
                        wsum += 1.0
                        num += z[i * c + j] * z[ii * c + jj]
    den = float((z * z).sum())
    if den == 0.0:
        return None  # undefined for a constant matrix
    return float(n / wsum * num / den)


def receptive_field(w1, d1, w2, d2, td, k):
    nh, nin = w1.shape
    f = np.zeros((nin, 2 * td + 1))
    for h in range(nh):
        for j in range(nin):
            if w1[h, j] != 0:
                f[j, int(d1[h, j]) + int(d2[k, h])] += w2[k, h] * np.sign(w1[h, j])
    return f


def fl(a):
    """Floats as JSON numbers; the infinities as the strings "inf" / "-inf"."""
    out = []
    for v in np.asarray(a, dtype=np.float64).ravel():
        out.append(float(v) if np.isfinite(v) else ("inf" if v > 0 else "-inf"))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240531)

    # ---- Mann-Whitney U ----
    cases = []

    def add(name, x, y):
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        res = stats.mannwhitneyu(x, y)
        xy = np.concatenate([x, y])
        ties = len(np.unique(xy)) != len(xy)
        method = "asymptotic" if (len(x) > 8 and len(y) > 8) or ties else "exact"
        cases.append({"name": name, "x": fl(x), "y": fl(y), "U": float(res.statistic),
                      "p": float(res.pvalue), "method": method})

    add("textbook_exact", [19, 22, 16, 29, 24], [20, 11, 17, 12])
    add("tiny_1_1", [1.0], [2.0])
    add("tiny_1_3", [5.0], [1.0, 2.0, 3.0])
    add("tiny_2_2_tie", [1.0, 2.0], [2.0, 3.0])
    add("exact_8_30", rng.normal(size=8), rng.normal(0.7, 1, size=30))
    add("exact_3_200", rng.normal(size=3), rng.normal(size=200))
    add("exact_8_8", rng.normal(size=8), rng.normal(1.5, 1, size=8))
    add("exact_separated_6_7", np.arange(6) + 10.0, np.arange(7) * 1.0)
    add("exact_1_600", [0.5], rng.uniform(size=600))
    add("asym_9_9", rng.normal(size=9), rng.normal(size=9))
    add("asym_ties_small", [1, 1, 2, 2, 3], [2, 3, 3, 4, 4, 4])
    add("asym_ties_int", rng.integers(0, 5, size=40), rng.integers(1, 6, size=33))
    add("asym_unequal_60_25", rng.normal(size=60), rng.normal(0.3, 2, size=25))
    add("asym_large_500_700", rng.normal(size=500), rng.normal(0.1, 1, size=700))
    add("asym_separated_60_60", rng.uniform(0.05, 0.1, size=60), rng.uniform(0.0, 0.04, size=60))
    add("asym_near_separated_60_60",
        np.concatenate([rng.uniform(0.05, 0.1, size=58), [0.01, 0.02]]),
        rng.uniform(0.0, 0.045, size=60))
    add("asym_reversed_60_60", rng.uniform(0.0, 0.04, size=60), rng.uniform(0.05, 0.1, size=60))
    same = rng.normal(size=12)
    add("identical_samples", same, same.copy())
    add("all_equal", [3.0] * 10, [3.0] * 12)
    add("all_equal_small_exactsize", [3.0] * 3, [3.0] * 4)
    add("rounded_ties_60_60", np.round(rng.normal(0.06, 0.01, 60), 3), np.round(rng.normal(0.03, 0.01, 60), 3))
    write("mannwhitney.json", {"scipy": scipy.__version__, "cases": cases})

    # ---- normal survival function ----
    zs = [-40.0, -8.0, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.3, 0.5, 0.7071, 0.9, 1.0, 1.4142, 1.5, 2.0, 2.5,
          2.8284, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.35, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 37.0]
    write("normsf.json", {"z": zs, "sf": [float(stats.norm.sf(z)) for z in zs]})

    # ---- Moran's I ----
    mats = []

    def addm(name, m, n_orders=3):
        m = np.asarray(m, dtype=np.float64)
        r, c = m.shape
        orders = [list(range(r))] + [list(map(int, rng.permutation(r))) for _ in range(n_orders)]
        vals = [moran_queen(m[o, :]) for o in orders]
        mats.append({"name": name, "rows": r, "cols": c, "data": fl(m), "orders": orders, "moran": vals})

    addm("checkerboard_6x7", np.indices((6, 7)).sum(axis=0) % 2)
    addm("stripes_rows_5x8", (np.arange(5)[:, None] % 2) * np.ones((1, 8)))
    addm("gradient_cols_10x4", np.tile(np.arange(4.0), (10, 1)))
    addm("gradient_diag_8x12", np.add.outer(np.arange(8.0), np.arange(12.0) * 0.5))
    addm("smooth_blob_9x11", np.exp(-np.add.outer((np.arange(9) - 4.0) ** 2, (np.arange(11) - 5.0) ** 2) / 8.0))
    addm("random_7x5", rng.normal(size=(7, 5)))
    addm("random_int_40x51", rng.integers(-3, 4, size=(40, 51)).astype(float))
    addm("single_row_1x9", rng.normal(size=(1, 9)), n_orders=0)
    addm("single_col_9x1", rng.normal(size=(9, 1)))
    addm("two_by_two", [[1.0, 2.0], [3.0, 5.0]])
    addm("constant_4x4", np.full((4, 4), 2.5), n_orders=1)
    write("moran.json", {"matrices": mats})

    # ---- receptive field ----
    nin, nh, nout, td = 5, 4, 3, 3
    w1 = rng.normal(size=(nh, nin))
    w1[rng.uniform(size=w1.shape) < 0.3] = 0.0
    d1 = rng.integers(0, td + 1, size=(nh, nin)).astype(float)
    w2 = rng.normal(size=(nout, nh))
    w2[0, 1] = 0.0
    d2 = rng.integers(0, td + 1, size=(nout, nh)).astype(float)
    fields = [fl(receptive_field(w1, d1, w2, d2, td, k)) for k in range(nout)]
    write("receptive.json", {"nin": nin, "nh": nh, "nout": nout, "td": td, "w1": fl(w1), "d1": fl(d1),
                             "w2": fl(w2), "d2": fl(d2), "fields": fields})


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1, allow_nan=False, default=repr)
        f.write("\n")


if __name__ == "__main__":
    main()
