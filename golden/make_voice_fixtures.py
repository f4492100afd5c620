#!/usr/bin/env python3
"""Makes the voice-like FLAC fixtures in src/test/resources/voice/: recordings that stand in for
the real-encoder files some tests also read from an optional folder of real encoders' files (a fresh clone has none).

usage: /usr/bin/python3 golden/make_voice_fixtures.py   (from the project root; needs numpy, scipy
       and Debian's `flac`)

For each NAME it synthesises a short utterance from a source-filter voice model (a glottal pulse
train with a falling pitch through four formant resonators, a fricative onset, a second syllable,
breath noise, digital silence before the word), writes it as 16-bit mono NAME.input.wav (a
temporary file), encodes NAME.flac with `flac` at the options below, decodes that with `flac -d`
into NAME.reference.wav (the reference decoder's samples, which the Java decoder must reproduce
exactly) and computes NAME.features.npy from the reference decode with features_ref.py (the NumPy
log-Mel reference). Seeded: every run writes the same samples; the FLAC bytes depend on the
`flac` version (1.4.2 made the committed ones).

  voice_48k  48 kHz, 0.40 s, flac -5 --blocksize=1152   (as a Heidelberg Digits recording)
  voice_44k  44.1 kHz, 0.50 s, flac -8 --blocksize=4096 (long blocks: LPC subframes)

Licence: the files are made here from nothing but this script; they are part of Myelin and under
its licence (Apache 2.0, LICENSE).
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import os
import subprocess
import sys

import numpy as np
from scipy.signal import lfilter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features_ref  # noqa: E402

OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'voice')

# name, rate, seconds, flac options, seed, formants (Hz) of the two syllables, pitch (Hz)
SPECS = [
    ('voice_48k', 48000, 0.40, ['-5', '--blocksize=1152'], 48, [(300, 870, 2240, 3300), (660, 1700, 2400, 3400)], 130),
    ('voice_44k', 44100, 0.50, ['-8', '--blocksize=4096'], 44, [(730, 1090, 2440, 3400), (270, 2290, 3010, 3700)], 210),
]


def resonator(x, f, bw, rate):
    """A two-pole resonance at f Hz with bandwidth bw Hz, unit gain at f."""
    r = np.exp(-np.pi * bw / rate)
    c = 2 * r * np.cos(2 * np.pi * f / rate)
    y = lfilter([1.0], [1.0, -c, r * r], x)
    return y * (1 - r)


def voice(rate, seconds, formants, f0, rng):
    n = int(round(rate * seconds))
    out = np.zeros(n)
    lead = int(0.04 * rate)                       # digital silence, then breath noise
    fric = int(0.05 * rate)                       # a fricative onset
    syl = (n - lead - fric) // 2
    # the fricative: high-passed noise with a rising then falling envelope
    noise = np.diff(rng.standard_normal(fric + 1))
    out[lead:lead + fric] = 0.08 * noise * np.hanning(fric)
    at = lead + fric
    for k, fs in enumerate(formants):
        m = syl if k == 0 else n - at
        # glottal pulses: a falling pitch with jitter, each pulse a short decaying spike
        pitch = f0 * (1.0 - 0.15 * np.arange(m) / m) * (1 + 0.01 * rng.standard_normal(m))
        phase = np.cumsum(pitch / rate)
        src = np.zeros(m)
        src[1:][np.diff(np.floor(phase)) > 0] = 1.0
        src = lfilter([1.0], [1.0, -0.97], src) - lfilter([1.0], [1.0, -0.6], src)
        src += 0.02 * rng.standard_normal(m)      # aspiration
        y = sum(resonator(src, f, 60 + 0.06 * f, rate) * (0.8 ** j) for j, f in enumerate(fs))
        env = np.ones(m)
        a, d = int(0.02 * rate), int(0.06 * rate)
        env[:a] = np.linspace(0, 1, a)
        env[-d:] = np.linspace(1, 0.15 if k == 0 else 0, d)   # a dip between the syllables
        out[at:at + m] += y * env
        at += m
    out[lead:] += 0.0015 * rng.standard_normal(n - lead)    # room noise after the silence
    return out / np.abs(out).max() * 0.7


def write_wav16(path, rate, q):
    import struct
    raw = q.astype('<i2').tobytes()
    fmt = struct.pack('<HHIIHH', 1, 1, rate, 2 * rate, 2, 16)
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(raw)) + raw
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, rate, seconds, opts, seed, formants, f0 in SPECS:
        x = voice(rate, seconds, formants, f0, np.random.RandomState(seed))
        q = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int64)
        src = os.path.join(OUT, name + '.input.wav')
        flac = os.path.join(OUT, name + '.flac')
        ref = os.path.join(OUT, name + '.reference.wav')
        write_wav16(src, rate, q)
        subprocess.run(['flac', '-s', '-f', '--no-padding', *opts, '-o', flac, src], check=True)
        subprocess.run(['flac', '-s', '-f', '-d', '-o', ref, flac], check=True)
        os.remove(src)
        sr, mono = features_ref.read_mono(ref)
        np.save(os.path.join(OUT, name + '.features.npy'), features_ref.features(mono, sr))
        print(name, rate, 'Hz', len(q), 'samples', os.path.getsize(flac), 'bytes of FLAC')


if __name__ == '__main__':
    main()
