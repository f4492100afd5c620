"""Continuous recordings from FSDD test digits, and how the streaming `infer` segments them.

  python3 golden/kws_long_recordings.py build OUT [FSDD]     # OUT/long00.wav .. long19.wav + OUT/truth.json
  java ... infer --model M --input FSDD_TEST_DIR --json > offline.jsonl       # one utterance per file
  java ... infer --model M --input OUT --stream --json > stream.jsonl         # words cut by voice activity
  python3 golden/kws_long_recordings.py score OUT offline.jsonl stream.jsonl

Each recording: 5 digits drawn from the test list of the FSDD folder FSDD (default ~/data/fsdd),
pauses of 0.3-1 s before,
between and after, white noise 45-60 dB below full scale throughout, 8 kHz 16-bit (seed 31; the
Java SegmentationTest builds its own with other seeds). A detection belongs to the digit it
overlaps most; a digit is found when exactly one detection belongs to it.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import os
import random
import sys

import numpy as np
import scipy.io.wavfile as wavfile

FSDD = os.path.join(os.path.expanduser("~"), "data", "fsdd")


def build(out, fsdd=FSDD):
    global FSDD
    FSDD = fsdd
    random.seed(31)
    rng = np.random.default_rng(31)
    names = [l.strip() for l in open(os.path.join(FSDD, "test_filenames.txt")) if l.strip()]
    os.makedirs(out, exist_ok=True)
    truth = {}
    for k in range(20):
        pauses = [0.3 + 0.7 * random.random() for _ in range(6)]
        parts, files = [], []
        for _ in range(5):
            n = random.choice(names)
            rate, x = wavfile.read(os.path.join(FSDD, "recordings", n))
            assert rate == 8000, n
            parts.append(x.astype(np.float64) / 32768)
            files.append(n)
        total = sum(int(p * 8000) for p in pauses) + sum(len(p) for p in parts)
        noise = 10 ** (-(45 + 15 * random.random()) / 20)
        y = noise * rng.standard_normal(total)
        at, spans = 0, []
        for i in range(5):
            at += int(pauses[i] * 8000)
            y[at:at + len(parts[i])] += parts[i]
            spans.append([at / 8000, (at + len(parts[i])) / 8000])
            at += len(parts[i])
        name = "long%02d.wav" % k
        wavfile.write(os.path.join(out, name), 8000, np.clip(np.round(y * 32768), -32768, 32767).astype(np.int16))
        truth[name] = {"files": files, "spans": spans}
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f)


def score(out, offline, stream):
    truth = json.load(open(os.path.join(out, "truth.json")))
    off = {}
    for line in open(offline):
        o = json.loads(line)
        off[os.path.basename(o["file"])] = o["class"]
    dets = {}
    for line in open(stream):
        o = json.loads(line)
        dets.setdefault(os.path.basename(o["file"]), []).append(o)
    digits = found = agree = correct = detections = 0
    for name, t in truth.items():
        ds = dets.get(name, [])
        detections += len(ds)
        hits = [[] for _ in t["spans"]]
        for d in ds:
            best, most = -1, 0.0
            for i, (s, e) in enumerate(t["spans"]):
                overlap = min(e, d["end"]) - max(s, d["start"])
                if overlap > most:
                    best, most = i, overlap
            if best >= 0:
                hits[best].append(d)
        for i, h in enumerate(hits):
            digits += 1
            if len(h) == 1:
                found += 1
                f = t["files"][i]
                agree += h[0]["class"] == off[f]
                correct += h[0]["class"] == int(f[0])
    print("recordings %d, digits %d, detections %d, digits found exactly once %d, "
          "classified as offline infer classifies the file %d, correct %d" % (len(truth), digits, detections, found, agree, correct))


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2], *sys.argv[3:4])
    else:
        score(sys.argv[2], sys.argv[3], sys.argv[4])
