"""Non-keyword speech to train rejection on (`train --reject-dir`), disjoint from the evaluation hour.

  /usr/bin/python3 golden/kws_reject_training_audio.py OUT [MINUTES]     # default 40 minutes

Needs espeak-ng and sox on the PATH; writes OUT/train_NN.wav, 8 kHz 16-bit mono, about one minute
each, and OUT/manifest.json (voices and words of each file). Speech only: the generated
non-keywords of `train --reject` already hold noise.

Disjoint from what kws_false_alarm_audio.py makes for `eval --false-alarms` (checked below, the
script stops if not):
- words: TRAIN_WORDS share no word with that script's WORDS and hold no digit name or
  near-homophone (DIGITISH);
- voices: espeak-ng only (no flite), with voices and variants that script never uses: English
  read by the espeak-ng voices of other languages (an accent: de, nl, fr-fr, es, it, pl, sv, pt,
  cs, hu), and en-us-nyc, each with a named variant (Adam, Annie, grandpa, klatt, m5-m8, f5, ...)
  that the evaluation's +m1-m4/+f1-f4 exclude;
- speeds 90-115 or 205-250 words a minute (the evaluation's 120-200 excluded) and pitch 20-40 or
  60-85 (the evaluation keeps espeak-ng's 50).
Sentences of 2-8 words, pauses of 0.15-1.2 s, white noise 50 dB below full scale throughout.
Seeded (seed 47; sox in its repeatable mode, -R, through the evaluation script's run): the same
files on the same tool versions. Never committed.
"""
import json
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_false_alarm_audio as ev  # noqa: E402  the evaluation hour's words, voices and helpers

TRAIN_WORDS = """alarm album angle animal anchor apron arrow autumn avenue badge balloon bamboo banana
basket battle beach beard beauty belt bench berry blanket blossom bottle bottom bracket branch
bridge bucket budget buffalo bundle butter button cabin cable camera camel candle canvas carpet
castle cattle cellar cement channel chapter cherry chicken chimney circle clever climate clock
coast collar colour comet copper corner cotton county cousin cradle credit crystal cupboard
curtain cushion dancer danger desert diamond dinner dollar dragon drawer dream eagle echo editor
elbow engine envelope eyebrow fabric falcon feather fellow fiddle finger fishing flag flavour
forest fountain frog funnel gallery garage garlic ginger glacier glove grammar gravel guitar
hammer harbour harvest helmet honey hunger island jacket jelly jungle kettle kingdom kitten
ladder lantern laundry lemon lesson lizard lobster magnet mango marble meadow melon mirror
monkey motor muscle museum napkin needle nephew noodle novel number ocean olive onion orbit
oven oyster paddle palace pancake panther parrot pebble pencil pepper piano pillow pilot planet
pocket poem potato puzzle rabbit radio rattle ribbon rocket saddle salad sandal saucer scarf
shadow shelter shoulder silver singer soldier spider spirit spoon square squirrel statue stove
sugarcane summer supper sweater syrup tablet tailor teapot temple thunder ticket tiger timber
tomato tongue towel tower trumpet tunnel turtle umbrella valley velvet violin volcano wagon
walnut whistle winter wizard wolf wonder yogurt zebra""".split()

DIGITISH = set("""zero one two three four five six seven eight nine oh nought won to too for fore
ate tree free sex sick heaven seventy nein ten""".split())

VOICES = ["de", "nl", "fr-fr", "es", "it", "pl", "sv", "pt", "cs", "hu", "en-us-nyc"]
VARIANTS = ["Adam", "Annie", "Andy", "Alex", "Benjamin", "David", "Ed", "john", "linda", "max", "Michael", "paul",
            "rob", "steph", "grandpa", "grandma", "klatt", "klatt3", "m5", "m6", "m7", "m8", "f5", "norbert", "shelby", "travis"]


def check_disjoint():
    clash = set(TRAIN_WORDS) & (set(ev.WORDS) | DIGITISH)
    if clash:
        sys.exit("training words also in the evaluation hour or digit-like: " + " ".join(sorted(clash)))
    used = {v.split("+")[0] for v in ev.ESPEAK} | {v[1:] for v in ev.VARIANTS if v}
    clash = (set(VOICES) | set(VARIANTS)) & used
    if clash:
        sys.exit("training voices also in the evaluation hour: " + " ".join(sorted(clash)))


def speak(r, text, out):
    raw = out + ".raw.wav"
    voice = r.choice(VOICES) + "+" + r.choice(VARIANTS)
    speed = r.randint(90, 115) if r.random() < 0.5 else r.randint(205, 250)
    pitch = r.randint(20, 40) if r.random() < 0.5 else r.randint(60, 85)
    ev.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", raw, text])
    ev.run(["sox", raw, "-r", str(ev.RATE), "-c", "1", "-b", "16", out])
    os.remove(raw)
    return "%s s%d p%d" % (voice, speed, pitch)


def speech_file(r, tmp, out, target):
    parts, total, voices, words = [], 0.0, [], set()
    k = 0
    while total < target:
        s = os.path.join(tmp, "s%03d.wav" % k)
        ws = [r.choice(TRAIN_WORDS) for _ in range(r.randint(2, 8))]
        words.update(ws)
        voices.append(speak(r, " ".join(ws), s))
        p = os.path.join(tmp, "p%03d.wav" % k)
        ev.run(["sox", s, p, "pad", "0", str(round(r.uniform(0.15, 1.2), 3))])
        parts.append(p)
        total += ev.seconds(p)
        k += 1
    joined = os.path.join(tmp, "joined.wav")
    ev.run(["sox"] + parts + [joined])
    n = os.path.join(tmp, "floor.wav")
    ev.run(["sox", "-n", "-r", str(ev.RATE), "-c", "1", "-b", "16", n, "synth", str(ev.seconds(joined)), "whitenoise", "vol", "0.00316"])
    ev.run(["sox", "-m", joined, n, out])
    return {"kind": "speech", "sentences": k, "voices": voices, "words": len(words), "seconds": ev.seconds(out)}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    check_disjoint()
    out = sys.argv[1]
    minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 40
    os.makedirs(out, exist_ok=True)
    r = random.Random(47)
    manifest = {}
    for i in range(int(round(minutes))):
        name = "train_%02d.wav" % i
        with tempfile.TemporaryDirectory() as tmp:
            manifest[name] = speech_file(r, tmp, os.path.join(out, name), 60.0)
        print(name, "%.1f s" % manifest[name]["seconds"], file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("%.1f minutes in %d files" % (sum(m["seconds"] for m in manifest.values()) / 60, len(manifest)), file=sys.stderr)


if __name__ == "__main__":
    main()
