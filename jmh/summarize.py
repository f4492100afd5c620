#!/usr/bin/python3
"""Prints a Markdown table of JMH JSON result files (score ± 99.9 % error, as JMH reports it).

    /usr/bin/python3 jmh/summarize.py jmh/results/<stamp>/*.json
    /usr/bin/python3 jmh/summarize.py --edge jmh/results/<stamp>   # run-benchmarks.sh's edge group

--edge reads the edge group's files (edge17*.json, edge25*.json, their logs, probe-before.log and
probe-after.log) and prints the engine step against the C probe's cells+lif at density 1 in the
same run, and density 0.125 against dense, with the allocation per step and the kernel log line.
"""
import glob
import json
import os
import re
import sys


def rows(path):
    try:
        results = json.load(open(path))
    except ValueError:          # a run still in progress leaves an empty file
        return
    if not isinstance(results, list):   # not a JMH file (e.g. peer.json)
        return
    for r in results:
        m = r["primaryMetric"]
        params = r.get("params", {})
        name = r["benchmark"].rsplit(".", 2)
        yield {
            "bench": name[-2] + "." + name[-1],
            "params": " ".join("%s=%s" % (k, v) for k, v in params.items()),
            "score": m["score"],
            "error": m["scoreError"],
            "unit": m["scoreUnit"],
            "n": len([x for f in m["rawData"] for x in f]),
            "min": min(x for f in m["rawData"] for x in f),
            "max": max(x for f in m["rawData"] for x in f),
            "forks": r["forks"],
            "threads": r["threads"],
        }


PROBE = re.compile(r"^(AVX-512|AVX2), density ([0-9.]+): scalar ([0-9.]+) us/step, cells ([0-9.]+) us/step, "
                   r"cells\+lif ([0-9.]+) us/step")


def probe_readings(d):
    """{density: [cells+lif µs, …]} from the probe logs, and the instruction set the probe used."""
    got, isa = {}, None
    for name in ("probe-before.log", "probe-after.log"):
        path = os.path.join(d, name)
        if not os.path.exists(path):
            continue
        for line in open(path):
            m = PROBE.match(line.strip())
            if m:
                isa = m.group(1)
                got.setdefault(float(m.group(2)), []).append(float(m.group(5)))
    return got, isa


def edge_runs(d):
    """Per edge run (edge17, edge17-w128, …): {density: {mode: metrics}} and the log's kernel lines."""
    runs = []
    for path in sorted(glob.glob(os.path.join(d, "edge*.json"))):
        name = os.path.basename(path)[:-5]
        try:
            results = json.load(open(path))
        except ValueError:
            continue
        by = {}
        for r in results:
            dens = float(r["params"]["density"])
            m = r["primaryMetric"]
            e = by.setdefault(dens, {})
            if r["mode"] == "avgt":
                raw = [x for f in m["rawData"] for x in f]
                e["mean"], e["err"], e["best"] = m["score"], m["scoreError"], min(raw)
                sec = r.get("secondaryMetrics", {})
                alloc = sec.get("gc.alloc.rate.norm", sec.get("\u00b7gc.alloc.rate.norm"))   # JMH 1.37, older
                if alloc is not None:   # the median iteration: one still JIT-compiling does not hide a steady 0
                    per = sorted(x for f in alloc["rawData"] for x in f)
                    e["alloc"] = per[len(per) // 2] if per else alloc["score"]
            elif r["mode"] == "sample":
                pc = m["scorePercentiles"]
                e["p50"], e["p99"] = pc["50.0"], pc["99.0"]
        log = os.path.join(d, name + ".log")
        kern, window = [], []
        if os.path.exists(log):
            for line in open(log):
                line = line.strip()
                if "myelin kernels:" in line and line not in kern:
                    kern.append(line)
                m = re.match(r"density ([0-9.]+), .*?; (.*)$", line)
                w = m and "density %s: %s" % (m.group(1), m.group(2))
                if w and w not in window:
                    window.append(w)
        runs.append((name, by, kern, window))
    return runs


def edge(d):
    probe, isa = probe_readings(d)
    dense = probe.get(1.0, [])
    ref = sum(dense) / len(dense) if dense else None
    if ref:
        print("C probe (%s, cells+lif, density 1, before / after the engine): %s µs; reference %.3f µs (their mean)" % (
            isa, " / ".join("%.3f" % x for x in dense), ref))
    else:
        print("C probe: not run (no probe-before.log / probe-after.log in %s): no ratios to the probe" % d)
    print()
    print("| run | dense mean ± 99.9 % | best iter. | p50 | p99 | 0.125 mean ± 99.9 % | best iter. | p50 "
          "| B/op, median iter. (dense, 0.125) | dense / probe (mean, best, p50) | 0.125 / dense (mean, best, p50) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    notes = []
    for name, by, kern, window in edge_runs(d):
        a, b = by.get(1.0, {}), by.get(0.125, {})

        def f(e, k, fmt="%.3f"):
            try:
                return fmt % float(e[k])
            except (KeyError, ValueError):   # absent, or "NaN" (too few iterations for an interval)
                return "–"

        def ratio(x, y):
            keys = (("mean", "mean"), ("best", "best"), ("p50", "p50"))
            if isinstance(y, float):
                return ", ".join("%.2f" % (x[k] / y) if k in x else "–" for k, _ in keys)
            return ", ".join("%.2f" % (x[k] / y[j]) if k in x and j in y else "–" for k, j in keys)

        print("| %s | %s ± %s | %s | %s | %s | %s ± %s | %s | %s | %s, %s | %s | %s |" % (
            name, f(a, "mean"), f(a, "err"), f(a, "best"), f(a, "p50"), f(a, "p99"),
            f(b, "mean"), f(b, "err"), f(b, "best"), f(b, "p50"), f(a, "alloc", "%.2g"), f(b, "alloc", "%.2g"),
            ratio(a, ref) if ref else "–", ratio(b, a)))
        notes.append("- %s: %s" % (name, "; ".join(kern + window) or "no kernel log line in %s.log" % name))
    print()
    print("µs per step. Targets (issue 26): dense ≤ 1.5× the probe; density 0.125 ≤ 0.5× dense; 0 B/op. "
          "best iter. = the fastest measured iteration (the probe reports its best repetition).")
    print()
    print("\n".join(notes))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--edge":
        edge(sys.argv[2])
        return
    print("| benchmark | params | score | ± error (99.9 %) | min | max | unit | samples (forks) | threads |")
    print("|---|---|---:|---:|---:|---:|---|---|---|")
    for p in sys.argv[1:]:
        for r in rows(p):
            err = r["error"]
            err = "n/a" if err != err else "%.4g" % err
            print("| %s | %s | %.4g | %s | %.4g | %.4g | %s | %d (%d) | %d |" % (
                r["bench"], r["params"], r["score"], err, r["min"], r["max"], r["unit"], r["n"], r["forks"], r["threads"]))


if __name__ == "__main__":
    main()
