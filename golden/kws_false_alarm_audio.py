"""Non-keyword audio for `eval --false-alarms`: synthetic speech without digits, and noise.

  /usr/bin/python3 golden/kws_false_alarm_audio.py OUT [MINUTES]     # default 60 minutes

Needs espeak-ng, flite and sox on the PATH (Debian: apt-get install espeak-ng flite sox); writes
OUT/speech_NN.wav and OUT/noise_NN.wav, 8 kHz 16-bit mono, about one minute each, and
OUT/manifest.json (what each file holds). Two thirds of the time is speech, one third noise.

Speech: sentences of 3-12 words drawn from WORDS below (common English words; no digit names,
though near-homophones such as "to", "for", "ate" and "won" are in, as they are in real speech),
each spoken by one of 7 espeak-ng voices (random variant and speed 120-200 words/minute) or 4 flite
voices, joined by pauses of 0.2-1.5 s, with white noise 50 dB below full scale throughout.
Noise: white, pink and brown noise at 20-45 dB below full scale, steady or in bursts of
0.1-0.6 s (coughs, clicks, doors) with pauses of 0.3-3 s. Seeded (seed 23, and sox in its
repeatable mode, -R): the same files on the same tool versions. The audio is generated, never
committed. For each speech file the manifest lists every sentence ("said": its start and end in
the file, voice, speed and text), so a false alarm's time says what was spoken there.

  /usr/bin/python3 golden/kws_false_alarm_audio.py OUT --homophones

writes instead OUT/homophones_VOICE.wav, one file per voice of the hour (its 7 espeak-ng voices
at 160 words a minute and 4 flite voices): the exact homophones of digit names in the hour's word
list (HOMOPHONES: won, to, too, for, fore, ate), each alone between 1 s pauses, with the hour's
noise floor, and OUT/manifest.json (each word's start and end). A keyword spotter cannot tell "won"
from "one" by sound: streamed through `eval --false-alarms`, the words reported as their digit
measure how often the keyword set itself makes a false alarm of ordinary speech.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import os
import random
import subprocess
import sys
import tempfile

WORDS = """the a an and or but if then when where what who why how this that these those here there
is are was were be been have has had do does did will would can could should may might must shall
I you he she it we they me him her us them my your his its our their mine yours
time day night week year morning evening today tomorrow yesterday home house room door window
table chair bed kitchen garden street road city town country world water fire air earth light
dark sun moon star sky rain snow wind cloud tree flower grass river sea mountain stone
man woman child boy girl friend family mother father brother sister people person name word
go come see look hear listen speak say tell ask answer call bring take give make find keep
open close start stop turn run walk sit stand wait stay leave move help work play learn teach
read write sing dance laugh cry sleep wake eat drink cook buy sell pay send receive carry
good bad big small long short high low new old young hot cold warm cool happy sad quick slow
red blue green yellow white black brown orange purple grey bright quiet loud soft hard easy
very really just only also still already again always never often sometimes maybe perhaps
please thank thanks sorry hello goodbye yes no okay sure right left up down in out on off
over under before after between around through about with without from into onto upon
music song story book letter paper picture phone computer machine car train bus plane ship
dog cat bird horse cow fish mouse bread milk coffee tea apple cheese sugar salt soup rice
doctor teacher driver farmer artist student police market shop bank school office hospital
weather question problem reason idea plan way place thing part side end beginning middle
to for ate won too fore tan""".split()

ESPEAK = ["en-gb", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
VARIANTS = ["", "+m1", "+m2", "+m3", "+m4", "+f1", "+f2", "+f3", "+f4"]
FLITE = ["kal", "awb", "rms", "slt"]
RATE = 8000


def run(cmd):
    if cmd[0] == "sox":  # repeatable mode: sox seeds its noise and dither generators with a fixed number
        cmd = ["sox", "-R"] + cmd[1:]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def sentence(r):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(3, 12)))


def speak(r, text, out):
    """One sentence to out (8 kHz mono 16-bit); returns the voice used and its speed (words a minute; None: flite's own)."""
    raw = out + ".raw.wav"
    if r.random() < 0.7:
        voice = r.choice(ESPEAK) + r.choice(VARIANTS)
        wpm = r.randint(120, 200)
        run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", raw, text])
    else:
        voice, wpm = "flite:" + r.choice(FLITE), None
        run(["flite", "-voice", voice[6:], "-t", text, "-o", raw])
    run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", out])
    os.remove(raw)
    return voice, wpm


def seconds(path):
    return float(subprocess.run(["soxi", "-D", path], check=True, capture_output=True, text=True).stdout)


def speech_file(r, tmp, out, target):
    parts, total, voices, said = [], 0.0, [], []
    k = 0
    while total < target:
        s = os.path.join(tmp, "s%03d.wav" % k)
        text = sentence(r)
        voice, wpm = speak(r, text, s)
        voices.append(voice)
        # where the sentence sits in the file (no random draw: the audio is what it was before this was recorded)
        said.append({"start": round(total, 3), "end": round(total + seconds(s), 3), "voice": voice, "wpm": wpm, "text": text})
        pause = round(r.uniform(0.2, 1.5), 3)
        p = os.path.join(tmp, "p%03d.wav" % k)
        run(["sox", s, p, "pad", "0", str(pause)])
        parts.append(p)
        total += seconds(p)
        k += 1
    joined = os.path.join(tmp, "joined.wav")
    run(["sox"] + parts + [joined])
    n = os.path.join(tmp, "floor.wav")
    run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", n, "synth", str(seconds(joined)), "whitenoise", "vol", "0.00316"])
    run(["sox", "-m", joined, n, out])
    return {"kind": "speech", "sentences": k, "voices": sorted(set(voices)), "seconds": seconds(out), "said": said}


def noise_file(r, tmp, out, target):
    colour = r.choice(["whitenoise", "pinknoise", "brownnoise"])
    level = 10 ** (-r.uniform(20, 45) / 20)
    if r.random() < 0.5:
        run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", out, "synth", str(target), colour, "vol", "%.5f" % level])
        return {"kind": "noise", "colour": colour, "level_dbfs": round(20 * __import__("math").log10(level), 1), "seconds": target}
    parts, total, k = [], 0.0, 0
    while total < target:
        b = os.path.join(tmp, "b%03d.wav" % k)
        burst, pause = r.uniform(0.1, 0.6), r.uniform(0.3, 3.0)
        run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", b, "synth", "%.3f" % burst, colour, "vol", "%.5f" % level,
             "fade", "q", "0.02", "%.3f" % burst, "0.05", "pad", "0", "%.3f" % pause])
        parts.append(b)
        total += burst + pause
        k += 1
    run(["sox"] + parts + [out])
    return {"kind": "noise bursts", "colour": colour, "bursts": k, "seconds": seconds(out)}


HOMOPHONES = {"won": "one", "to": "two", "too": "two", "for": "four", "fore": "four", "ate": "eight"}


def homophones(out):
    """One file per voice of the hour: each homophone of a digit name alone, 1 s pauses, the noise floor."""
    manifest = {}
    for v in ESPEAK + ["flite:" + f for f in FLITE]:
        name = "homophones_%s.wav" % v.replace(":", "-")
        with tempfile.TemporaryDirectory() as tmp:
            parts, said, t = [os.path.join(tmp, "lead.wav")], [], 1.0
            run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", parts[0], "trim", "0", "1.0"])
            for k, w in enumerate(HOMOPHONES):
                s, raw = os.path.join(tmp, "w%d.wav" % k), os.path.join(tmp, "w%d.raw.wav" % k)
                if v.startswith("flite:"):
                    run(["flite", "-voice", v[6:], "-t", w, "-o", raw])
                else:
                    run(["espeak-ng", "-v", v, "-s", "160", "-w", raw, w])
                run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", s, "pad", "0", "1.0"])
                said.append({"word": w, "digit": HOMOPHONES[w], "start": round(t, 3), "end": round(t + seconds(s) - 1.0, 3)})
                t += seconds(s)
                parts.append(s)
            joined, floor = os.path.join(tmp, "joined.wav"), os.path.join(tmp, "floor.wav")
            run(["sox"] + parts + [joined])
            run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", floor, "synth", str(seconds(joined)), "whitenoise", "vol", "0.00316"])
            run(["sox", "-m", joined, floor, os.path.join(out, name)])
        manifest[name] = {"voice": v, "said": said, "seconds": seconds(os.path.join(out, name))}
        print(name, "%d words" % len(said), file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == "--homophones":
        os.makedirs(out, exist_ok=True)
        homophones(out)
        return
    minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    os.makedirs(out, exist_ok=True)
    r = random.Random(23)
    files = int(round(minutes))
    manifest = {}
    for i in range(files):
        name = ("speech_%02d.wav" if i % 3 != 2 else "noise_%02d.wav") % i
        with tempfile.TemporaryDirectory() as tmp:
            if i % 3 != 2:
                manifest[name] = speech_file(r, tmp, os.path.join(out, name), 60.0)
            else:
                manifest[name] = noise_file(r, tmp, os.path.join(out, name), 60.0)
        print(name, manifest[name]["kind"], "%.1f s" % manifest[name]["seconds"], file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("%.1f minutes in %d files" % (sum(m["seconds"] for m in manifest.values()) / 60, files), file=sys.stderr)


if __name__ == "__main__":
    main()
