#!/usr/bin/env python3
"""NumPy reference of Myelin's log-Mel recipe (org.myelin.data.LogMel), step for step.

usage: features_ref.py AUDIO_DIR OUT_DIR
For every AUDIO_DIR/NAME.wav writes OUT_DIR/NAME.npy: float32, shape (80, 40), frame-major.

The recipe (docs/MODEL.md "Data", every open choice pinned; keep in sync with LogMel.java):
  input        mono float in [-1, 1): integer PCM / 2**(bits-1), channels averaged
  pre-emphasis y[0] = x[0], y[i] = x[i] - 0.95 x[i-1]  (float64 from here on)
  framing      L = round_half_up(0.025 sr), H = round_half_up(0.010 sr); whole frames only:
               T = 1 + (N - L) // H if N >= L, else 1 with the frame zero-padded
  window       symmetric Hamming (np.hamming(L))
  spectrum     |rfft(frame, n_fft)|**2, n_fft = smallest power of two >= L, no scaling
  mel          40 HTK triangles, 42 edges equally spaced in mel from 0 Hz to sr/2, peak 1
  log          ln(E + 1e-6), stored as float32
  length       first 80 frames, or pad by repeating the last frame
  standardise  per utterance over all 80 x 40 values: (v - mean) / max(std, 1e-6), population std
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import os
import sys

import numpy as np
from scipy.io import wavfile

FRAMES, MELS = 80, 40
PRE_EMPHASIS, LOG_FLOOR, STD_FLOOR = 0.95, 1e-6, 1e-6


def read_mono(path):
    sr, data = wavfile.read(path)
    if data.dtype == np.uint8:
        x = (data.astype(np.float64) - 128) / 128
    elif data.dtype == np.int16:
        x = data.astype(np.float64) / 2 ** 15
    elif data.dtype == np.int32:  # scipy left-justifies 24-bit samples into int32
        x = data.astype(np.float64) / 2 ** 31
    elif data.dtype == np.float32:
        x = data.astype(np.float64)
    else:
        raise ValueError(f'{path}: unsupported dtype {data.dtype}')
    if x.ndim == 2:
        if x.shape[1] == 1:
            x = x[:, 0]
        else:
            x = x.sum(axis=1) / x.shape[1]
    return sr, x.astype(np.float32)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def params(sr):
    L = (sr * 25 + 500) // 1000
    H = (sr * 10 + 500) // 1000
    n_fft = 1
    while n_fft < L:
        n_fft *= 2
    return L, H, n_fft


def filterbank(sr, n_fft):
    edges = np.array([mel_to_hz(hz_to_mel(sr / 2.0) * i / (MELS + 1)) for i in range(MELS + 2)])
    f = np.arange(n_fft // 2 + 1) * sr / n_fft
    fb = np.zeros((MELS, f.size))
    for m in range(MELS):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        fb[m] = np.maximum(0.0, np.minimum((f - lo) / (mid - lo), (hi - f) / (hi - mid)))
    return fb


def log_mel_frames(x, sr):
    """Unstandardised 80 x 40 float32 log-Mel frames of float32 mono samples x."""
    L, H, n_fft = params(sr)
    x = x.astype(np.float64)
    y = x.copy()
    y[1:] = x[1:] - PRE_EMPHASIS * x[:-1]
    T = 1 if len(y) <= L else 1 + (len(y) - L) // H
    T = min(T, FRAMES)
    need = (T - 1) * H + L
    if len(y) < need:
        y = np.concatenate([y, np.zeros(need - len(y))])
    idx = np.arange(L)[None, :] + H * np.arange(T)[:, None]
    frames = y[idx] * np.hamming(L)[None, :]
    power = np.abs(np.fft.rfft(frames, n=n_fft, axis=1)) ** 2
    e = power @ filterbank(sr, n_fft).T
    out = np.log(e + LOG_FLOOR).astype(np.float32)
    if T < FRAMES:
        out = np.concatenate([out, np.repeat(out[-1:], FRAMES - T, axis=0)])
    return out


def standardise(v):
    d = v.astype(np.float64)
    std = max(d.std(), STD_FLOOR)
    return ((d - d.mean()) / std).astype(np.float32)


def features(x, sr):
    return standardise(log_mel_frames(x, sr))


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name.endswith('.wav'):
            sr, x = read_mono(os.path.join(src, name))
            np.save(os.path.join(out, name[:-4] + '.npy'), features(x, sr))


if __name__ == '__main__':
    main()
