#!/usr/bin/env python3
"""Synthesises the short deterministic test signals behind the committed FLAC/WAV fixtures.

usage: make_signals.py OUTDIR
Writes integer PCM WAV files (8-bit unsigned, 16/24-bit signed, little-endian) named
{m|s}{bits}_{rate}.wav. Everything is seeded, so the files are the same on every run.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import struct
import sys

import numpy as np


def write_wav(path, rate, bits, data):
    """data: int array, shape (frames, channels), values within the signed range of `bits`."""
    frames, channels = data.shape
    width = bits // 8
    if bits == 8:
        raw = (data + 128).astype(np.uint8).tobytes()
    elif bits == 16:
        raw = data.astype('<i2').tobytes()
    elif bits == 24:
        v = data.astype('<i4').reshape(-1)
        b = v.view(np.uint8).reshape(-1, 4)[:, :3]
        raw = b.tobytes()
    else:
        raise ValueError(bits)
    fmt = struct.pack('<HHIIHH', 1, channels, rate, rate * channels * width, channels * width, bits)
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(raw)) + raw
    if len(raw) % 2:
        body += b'\0'
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)


def write_wav_extensible(path, rate, container, valid, data):
    frames, channels = data.shape
    width = container // 8
    fmt = struct.pack('<HHIIHH', 0xFFFE, channels, rate, rate * channels * width, channels * width, container)
    fmt += struct.pack('<HHI', 22, valid, (1 << channels) - 1) + struct.pack('<H', 1)
    fmt += bytes.fromhex('000000001000800000aa00389b71')
    if container == 16:
        raw = data.astype('<i2').tobytes()
    else:
        raw = data.astype('<i4').reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(raw)) + raw
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)


def voice(rng, n, rate, f0):
    """A crude voiced sound: harmonics of a gliding f0 with an envelope, plus a little noise."""
    t = np.arange(n) / rate
    f = f0 * (1 + 0.3 * t / max(t[-1], 1e-9))
    phase = 2 * np.pi * np.cumsum(f) / rate
    s = sum(np.sin(k * phase) / k for k in range(1, 8))
    env = np.sin(np.pi * np.arange(n) / n) ** 2
    return env * s / 2.5 + 0.01 * rng.standard_normal(n)


def segments(rng, n, rate, stereo):
    """Mono or stereo test audio with segments that exercise different subframe and stereo modes."""
    q = n // 5
    a = voice(rng, n, rate, 150.0)
    b = voice(rng, n, rate, 233.0)
    left = a.copy()
    right = a.copy()
    # segment 0: silence (CONSTANT subframes)
    left[:q] = 0
    right[:q] = 0
    # segment 1: identical channels, then channels differing a little (side channel is cheap)
    right[2 * q:3 * q] = a[2 * q:3 * q] + 0.02 * rng.standard_normal(q)
    # segment 3: right is quiet and unrelated (independent or left/side), then left is quiet
    right[3 * q:4 * q] = 0.05 * b[3 * q:4 * q]
    left[4 * q:] = 0.03 * rng.standard_normal(n - 4 * q)
    right[4 * q:] = b[4 * q:]
    return np.stack([left, right], axis=1) if stereo else left[:, None]


def quantise(x, bits, wasted=0):
    full = 2 ** (bits - 1)
    v = np.clip(np.round(x * (full - 1)), -full, full - 1).astype(np.int64)
    if wasted:
        v = (v >> wasted) << wasted
    return v


def main():
    out = sys.argv[1]
    specs = [  # name, rate, bits, stereo, seconds
        ('m8_8000', 8000, 8, False, 0.40),
        ('s8_22050', 22050, 8, True, 0.20),
        ('m16_16000', 16000, 16, False, 0.45),
        ('s16_44100', 44100, 16, True, 0.25),
        ('m24_48000', 48000, 24, False, 0.15),
        ('s24_32000', 32000, 24, True, 0.15),
        ('m16w_48000', 48000, 16, False, 0.15),  # samples multiple of 8: wasted bits
    ]
    for i, (name, rate, bits, stereo, secs) in enumerate(specs):
        rng = np.random.RandomState(1234 + i)
        n = int(rate * secs)
        x = segments(rng, n, rate, stereo)
        if bits == 24:
            x = x + 0.2 * rng.standard_normal(x.shape)  # noisy: large residuals, Rice2 partitions
            x = np.clip(x, -1, 1)
        write_wav(f'{out}/{name}.wav', rate, bits, quantise(x, bits, 3 if 'w' in name else 0))
    # 12 and 20 bits: WAVE_FORMAT_EXTENSIBLE input with fewer valid bits than the container; the
    # expected samples (the valid-bit values) are stored as int32 .npy of shape (frames, channels),
    # and the .wav is deleted after encoding (make_flac_fixtures.sh)
    for name, rate, valid, container, stereo, secs, seed in [('m12_16000', 16000, 12, 16, False, 0.2, 7),
                                                             ('s20_48000', 48000, 20, 24, True, 0.05, 8)]:
        rng = np.random.RandomState(seed)
        n = int(rate * secs)
        v = quantise(segments(rng, n, rate, stereo), valid)
        write_wav_extensible(f'{out}/{name}.wav', rate, container, valid, v << (container - valid))
        np.save(f'{out}/{name}.npy', v.astype('<i4'))
    # full-scale white noise: no predictor beats raw samples, so the encoder emits VERBATIM subframes
    rng = np.random.RandomState(99)
    write_wav(f'{out}/m8n_8000.wav', 8000, 8, rng.randint(-128, 128, size=(800, 1)))


if __name__ == '__main__':
    main()
