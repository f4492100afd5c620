#!/usr/bin/env python3
"""Builds a variable-block-size FLAC file from single-frame FLAC files made by `flac`.

usage: make_variable_blocksize.py OUT.flac SOURCE.wav PIECE1.flac PIECE2.flac ...
Each PIECE is a FLAC file holding exactly one frame (its input was no longer than the block size).
The frames are concatenated; each frame header is rewritten to the variable-blocksize form
(blocking-strategy bit set, coded number = first sample number), its CRC-8 and CRC-16 recomputed,
and a STREAMINFO with the combined sample count, block size range and MD5 is written in front.
SOURCE.wav is the full audio (the pieces are consecutive slices of it), used for the MD5.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import hashlib
import struct
import sys


def crc8(data):
    c = 0
    for b in data:
        c ^= b
        for _ in range(8):
            c = ((c << 1) ^ 0x07) & 0xff if c & 0x80 else (c << 1) & 0xff
    return c


def crc16(data):
    c = 0
    for b in data:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x8005) & 0xffff if c & 0x8000 else (c << 1) & 0xffff
    return c


def utf8_number(v):
    if v < 0x80:
        return bytes([v])
    n = 2
    while v >= 1 << (5 * n + 1):
        n += 1
    out = []
    for _ in range(n - 1):
        out.append(0x80 | (v & 0x3f))
        v >>= 6
    lead = (0xff << (8 - n)) & 0xff
    out.append(lead | v)
    return bytes(reversed(out))


def split_flac(data):
    assert data[:4] == b'fLaC'
    p = 4
    info = None
    while True:
        hdr = data[p]
        length = int.from_bytes(data[p + 1:p + 4], 'big')
        if hdr & 0x7f == 0:
            info = data[p + 4:p + 4 + length]
        p += 4 + length
        if hdr & 0x80:
            break
    return info, data[p:]


def read_wav_pcm(path):
    d = open(path, 'rb').read()
    p = 12
    while True:
        cid, size = d[p:p + 4], struct.unpack('<I', d[p + 4:p + 8])[0]
        if cid == b'fmt ':
            channels, bits = struct.unpack('<H', d[p + 10:p + 12])[0], struct.unpack('<H', d[p + 22:p + 24])[0]
        if cid == b'data':
            return d[p + 8:p + 8 + size], channels, bits
        p += 8 + size + (size & 1)


def main():
    out, source, pieces = sys.argv[1], sys.argv[2], sys.argv[3:]
    frames = []
    info = None
    sample = 0
    sizes = []
    for path in pieces:
        si, frame = split_flac(open(path, 'rb').read())
        info = info or si
        nsamples = int.from_bytes(si[13:18], 'big') & ((1 << 36) - 1)
        # header: sync(2) codes(2) coded number(1: frame 0) [blocksize] [rate] crc8
        assert frame[4] == 0, 'piece must hold frame 0 only'
        bs_code, sr_code = frame[2] >> 4, frame[2] & 0x0f
        extra = {6: 1, 7: 2}.get(bs_code, 0) + {12: 1, 13: 2, 14: 2}.get(sr_code, 0)
        tail = frame[5:5 + extra]
        body = frame[5 + extra + 1:-2]
        head = bytes([0xff, 0xf9, frame[2], frame[3]]) + utf8_number(sample) + tail
        head += bytes([crc8(head)])
        whole = head + body
        whole += crc16(whole).to_bytes(2, 'big')
        frames.append(whole)
        sizes.append(nsamples)
        sample += nsamples
    pcm, channels, bits = read_wav_pcm(source)
    if bits == 8:  # FLAC's MD5 is over signed samples
        pcm = bytes((b - 128) & 0xff for b in pcm)
    md5 = hashlib.md5(pcm).digest()
    # STREAMINFO: min/max block size, min/max frame size, rate/channels/bps/total, md5
    fields = int.from_bytes(info[10:18], 'big')
    fields = (fields & ~((1 << 36) - 1)) | sample
    si = struct.pack('>HH', min(sizes), max(sizes)) + (0).to_bytes(3, 'big') + (0).to_bytes(3, 'big')
    si += fields.to_bytes(8, 'big') + md5
    with open(out, 'wb') as f:
        f.write(b'fLaC' + bytes([0x80]) + len(si).to_bytes(3, 'big') + si + b''.join(frames))


if __name__ == '__main__':
    main()
