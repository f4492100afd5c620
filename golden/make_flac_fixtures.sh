#!/bin/sh
# Regenerates the FLAC decoder fixtures in src/test/resources/flac/ from synthetic signals.
# Needs Debian's `flac` and `sox` and python3 with numpy. Run from the project root:
#   sh golden/make_flac_fixtures.sh
# Naming: SIGNAL.wav (or SIGNAL.npy, int32 frames x channels, for 12/20-bit) is the expected decode
# (the encoder's input, lossless); SIGNAL.VARIANT.flac
# is that signal encoded with the options named by VARIANT (l5 = -5, b1152 = --blocksize=1152,
# vbs = variable block size, ...). The test decodes every *.flac and compares it with SIGNAL.wav.
set -eu
out=src/test/resources/flac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
rm -f "$out"/*.flac "$out"/*.wav
python3 golden/make_signals.py "$out"

enc() { # enc SIGNAL VARIANT flac-options...
    sig=$1; var=$2; shift 2
    flac -s -f --no-padding "$@" -o "$out/$sig.$var.flac" "$out/$sig.wav"
}

# every compression level, mono and stereo 16-bit
for l in 0 1 2 3 4 5 6 7 8; do
    enc m16_16000 l$l -$l
    enc s16_44100 l$l -$l
done
# block sizes (fixed), including sizes that need an explicit 8- or 16-bit block size field
enc m16_16000 b192 -5 --blocksize=192
enc m16_16000 b576 -5 --blocksize=576
enc s16_44100 b1152 -8 --blocksize=1152
enc s16_44100 b2304 -8 --blocksize=2304
enc s16_44100 b1000 -8 --blocksize=1000 --lax
enc m16_16000 b100 -5 --blocksize=100 --lax
# 8 and 24 bits, mono and stereo
enc m8_8000 l5 -5
enc m8_8000 l8 -8 --blocksize=256
enc s8_22050 l8 -8
enc s8_22050 l1 -1
enc m8n_8000 l5 -5
# 12 and 20 bits per sample (expected samples in SIGNAL.npy; the extensible input WAV is dropped)
enc m12_16000 l5 -5
enc m12_16000 l8 -8
enc s20_48000 l8 -8
rm -f "$out/m12_16000.wav" "$out/s20_48000.wav"
enc m24_48000 l5 -5
enc m24_48000 l8 -8
enc s24_32000 l8 -8
enc s24_32000 l2 -2
# wasted bits, high LPC order and partition order (non-subset), extra metadata blocks
enc m16w_48000 l8 -8
enc m16w_48000 lpc32 --lax -l 32 -b 8192 -r 0,8 -e
enc m16_16000 tags -5 -T TITLE=fixture -T ARTIST=myelin --padding=1000 -S 0.1s
# ... plus PICTURE (a 1x1 PNG made here) and CUESHEET blocks
python3 -c "
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
sys.stdout.buffer.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0))
                        + chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + chunk(b'IEND', b''))" > "$tmp/px.png"
metaflac --import-picture-from="3|image/png|cover|1x1x24|$tmp/px.png" "$out/m16_16000.tags.flac"
printf 'FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' > "$tmp/c.cue"
metaflac --import-cuesheet-from="$tmp/c.cue" "$out/m16_16000.tags.flac"
enc s16_44100 nomd5 -3 --no-md5-sum
# variable block size: single-frame pieces of different lengths joined by a script
for spec in "0 1000" "1000 4096" "5096 300" "5396 1804"; do
    set -- $spec
    sox "$out/m16_16000.wav" "$tmp/piece$1.wav" trim "$1s" "$2s"
    flac -s -f -8 --lax --blocksize=4608 -o "$tmp/piece$1.flac" "$tmp/piece$1.wav"
done
sox "$out/m16_16000.wav" "$tmp/vbs.wav" trim 0s 7200s
python3 golden/make_variable_blocksize.py "$out/m16v_16000.vbs.flac" "$tmp/vbs.wav" \
    "$tmp/piece0.flac" "$tmp/piece1000.flac" "$tmp/piece5096.flac" "$tmp/piece5396.flac"
cp "$tmp/vbs.wav" "$out/m16v_16000.wav"
# a byte-exact WAV for the vbs fixture (sox may add a header extension; normalise with flac -d)
flac -s -f -d -o "$out/m16v_16000.wav" "$out/m16v_16000.vbs.flac"
du -sh "$out"
