#!/usr/bin/python3
"""Prints a Markdown table of JMH JSON result files (score ± 99.9 % error, as JMH reports it).

    /usr/bin/python3 jmh/summarize.py jmh/results/<stamp>/*.json
"""
import json
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


def main():
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
