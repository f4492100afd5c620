#!/usr/bin/env python3
"""Synthesises the golden feature inputs (golden/audio/*.wav and, for integer PCM, *.flac) and
computes golden/features/*.npy with features_ref.py. Deterministic (seeded). Run from the project
root: python3 golden/make_golden.py   (needs numpy, scipy and Debian's `flac`).

Besides plain files, some WAVs use odd layouts on purpose: a LIST chunk and an odd-sized chunk
(with its pad byte) before the data, and WAVE_FORMAT_EXTENSIBLE.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import os
import struct
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import features_ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
AUDIO = os.path.join(HERE, 'audio')
FEATURES = os.path.join(HERE, 'features')


def pcm_bytes(q, bits, fmt_float):
    if fmt_float:
        return q.astype('<f4').tobytes()
    if bits == 8:
        return (q + 128).astype(np.uint8).tobytes()
    if bits == 16:
        return q.astype('<i2').tobytes()
    if bits == 24:
        return q.astype('<i4').reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    return q.astype('<i4').tobytes()


def chunk(cid, body):
    out = cid + struct.pack('<I', len(body)) + body
    return out + (b'\0' if len(body) % 2 else b'')


def write_wav(path, rate, bits, q, fmt_float=False, extensible=False, extra_chunks=False):
    channels = q.shape[1]
    width = bits // 8
    tag = 3 if fmt_float else 1
    fmt = struct.pack('<HHIIHH', 0xFFFE if extensible else tag, channels, rate, rate * channels * width,
                      channels * width, bits)
    if extensible:
        guid_tail = bytes.fromhex('000000001000800000aa00389b71')
        fmt += struct.pack('<HHI', 22, bits, (1 << channels) - 1) + struct.pack('<H', tag) + guid_tail
    body = b'WAVE'
    if extra_chunks:
        body += chunk(b'LIST', b'INFO' + chunk(b'INAM', b'golden\0'))
    body += chunk(b'fmt ', fmt)
    if extra_chunks:
        body += chunk(b'junk', b'odd')  # 3 bytes + pad byte
    body += chunk(b'data', pcm_bytes(q.reshape(-1) if channels == 1 else q.reshape(-1), bits, fmt_float))
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)


def signal(rng, n, rate, channels):
    t = np.arange(n) / rate
    out = []
    for c in range(channels):
        f0 = 120 + 60 * c + 40 * rng.rand()
        glide = f0 * (1 + 0.5 * t)
        phase = 2 * np.pi * np.cumsum(glide) / rate
        s = sum(np.sin(k * phase) * (0.6 ** k) for k in range(1, 12))
        burst = np.zeros(n)
        a, b = int(0.6 * n), int(0.75 * n)
        burst[a:b] = rng.standard_normal(b - a) * 0.3  # a fricative-like noise burst
        env = np.minimum(1, 4 * np.sin(np.pi * np.arange(n) / n))
        out.append(0.5 * env * s + burst + 0.003 * rng.standard_normal(n))
    x = np.stack(out, axis=1)
    x[: int(0.05 * n)] = 0  # leading digital silence
    return np.clip(x / np.abs(x).max() * 0.8, -1, 1)


def quantise(x, bits):
    full = 2 ** (bits - 1)
    return np.clip(np.round(x * full), -full, full - 1).astype(np.int64)


def main():
    os.makedirs(AUDIO, exist_ok=True)
    for f in os.listdir(AUDIO):
        os.remove(os.path.join(AUDIO, f))
    specs = [  # name, rate, bits, channels, seconds, float, extensible, extra chunks
        ('g1_8000_m16', 8000, 16, 1, 0.50, False, False, False),     # padded (48 frames)
        ('g2_16000_m16', 16000, 16, 1, 1.00, False, False, True),    # cropped (98 frames), LIST + odd chunk
        ('g3_48000_m16', 48000, 16, 1, 0.45, False, False, False),   # HD rate
        ('g4_44100_s24', 44100, 24, 2, 0.20, False, True, False),    # stereo 24-bit, extensible
        ('g5_22050_f32', 22050, 32, 1, 0.40, True, False, True),     # IEEE float
        ('g6_11025_s8', 11025, 8, 2, 0.30, False, False, False),     # stereo 8-bit
        ('g7_16000_short', 16000, 16, 1, 0.02, False, False, False),  # shorter than one frame
    ]
    for i, (name, rate, bits, ch, secs, fl, ext, extra) in enumerate(specs):
        rng = np.random.RandomState(77 + i)
        x = signal(rng, int(round(rate * secs)), rate, ch)
        q = x.astype(np.float32) if fl else quantise(x, bits)
        path = os.path.join(AUDIO, name + '.wav')
        write_wav(path, rate, bits, q, fl, ext, extra)
        if not fl:
            subprocess.run(['flac', '-s', '-f', '-8', '--no-padding', '-o', os.path.join(AUDIO, name + '.flac'), path], check=True)
    features_ref.main.__globals__['sys'].argv = ['features_ref.py', AUDIO, FEATURES]
    features_ref.main()


if __name__ == '__main__':
    main()
