"""Golden cases of the band-limited resampler (org.myelin.data.Resampler) from SciPy's resample_poly.

For each pair of rates, writes resample/<src>_<dst>.x.npy (the float32 input, 0.3 s of a test signal)
and resample/<src>_<dst>.y.npy (scipy.signal.resample_poly(x, up, down) in float64 of that float32
input, stored as float32). The Java test reads these; it never runs Python.

Run: python3 golden/make_resample.py   (needs numpy and scipy)
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import math
import os
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

PAIRS = [(16000, 8000), (48000, 8000), (44100, 8000), (22050, 8000), (8000, 16000), (11025, 8000), (8000, 44100)]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resample")


def signal(rate, seconds=0.3):
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    # tones below and above 4 kHz (the 8 kHz Nyquist), a chirp across the band and deterministic noise
    x = 0.3 * np.sin(2 * math.pi * 440 * t) + 0.2 * np.sin(2 * math.pi * 3000 * t + 0.5)
    x += 0.1 * np.sin(2 * math.pi * (200 * t + 0.5 * (rate / 2.2) / seconds * t * t))
    if rate > 12000:
        x += 0.15 * np.sin(2 * math.pi * 5500 * t)
    state = 12345
    noise = np.empty(n)
    for i in range(n):
        state = (1103515245 * state + 12345) % (1 << 31)
        noise[i] = state / (1 << 31) - 0.5
    x += 0.05 * noise
    return x.astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    for src, dst in PAIRS:
        f = Fraction(dst, src)
        x = signal(src)
        y = resample_poly(x.astype(np.float64), f.numerator, f.denominator)
        np.save(os.path.join(OUT, "%d_%d.x.npy" % (src, dst)), x)
        np.save(os.path.join(OUT, "%d_%d.y.npy" % (src, dst)), y.astype(np.float32))
        print(src, dst, f.numerator, f.denominator, len(x), len(y))


if __name__ == "__main__":
    main()
