"""Non-keyword speech to train rejection on (`train --reject-dir`), disjoint from the evaluation hour.

  /usr/bin/python3 golden/kws_reject_training_audio.py OUT [MINUTES]     # default 40 minutes

Needs espeak-ng and sox on the PATH; writes OUT/train_NN.wav, 8 kHz 16-bit mono, about one minute
each, and OUT/manifest.json (voices and words of each file). Speech only: the generated
non-keywords of `train --reject` already hold noise.

Disjoint from what kws_false_alarm_audio.py makes for `eval --false-alarms` (checked below, the
script stops if not):
- words: TRAIN_WORDS (222 nouns) share no word with that script's WORDS and hold no digit name or
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

  /usr/bin/python3 golden/kws_reject_training_audio.py OUT MINUTES --wide     # session 10's set

The wider set (seed 48; OUT/wide_NNN.wav), still disjoint from the evaluation hour and checked:
- words: half the words of a sentence are real (TRAIN_WORDS and the one-syllable SHORT_WORDS,
  none in the evaluation's list or DIGITISH), half pseudo-words of 1-3 random syllables; a
  pseudo-word is dropped when espeak-ng's phonemes for it (en-us and en-gb) are within one edit of
  a digit name's or a DIGITISH word's, or its spelling is an evaluation word;
- voices: the espeak-ng voices of 40 languages reading English (WIDE_VOICES; no en-* voice but
  en-us-nyc) with every espeak-ng variant but the evaluation's m1-m4/f1-f4; speeds 80-115 or
  205-280 words a minute, pitch 0-40 or 60-99;
- what the evaluation never does to a voice, one per sentence, half of them: a pitch shift of
  200-500 cents up or down (the formants move: another vocal tract), a telephone band
  (300-3400 Hz), a low or high pass, a room (reverb), overdrive;
- one file in eight is not speech: babble (4-7 of the set's speech files at once, 15-30 dB below
  full scale), mains hum (50 or 60 Hz and harmonics) or clicks (plucks) over a band of noise, none of
  them the evaluation's white, pink or brown noise.
"""
import usage  # golden/usage.py: -h/--help prints the description above, and nothing runs
usage.on_help(__name__, __file__)
import json
import os
import random
import subprocess
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


SHORT_WORDS = """art bag ball band bark barn beam bean bell belt bike bit blade block bloom boat bolt
bone boot bowl box brick bridge bulb cake calf camp cane cape card cart cave chalk chart chin chip
club coal coat coin comb cord corn crab crow cube cup curl dart deck desk dish dock doll dot drum
duck dust egg elk fan farm fern fig film fist flame flask flute foam fog fork fox frame fudge gem
glass globe glue goat gold golf grape gull gum hat hawk hedge hill hive hook hoop horn hut ink jam
jar jeep jug kite knob lamp lane lawn leaf lid lock loom lump mask mast mat maze mill mint mole
moss moth mud mug nail nest net nut oak owl pad palm pan park path peach pear peg pen pig pill pin
pipe plum pond pot pub pump quilt rack raft rag rake ram rat reef ring robe rock roof rope rose
rug sack sail sand scale seal shawl shelf shell shirt shoe silk sink skirt sled slope smock sock
sponge spoon stamp steam stem stool stork storm strap straw swan tank tap tent thorn thumb tile
toad toast tool torch tray trunk tub tube van vase vest vine wasp wax web wheel whip wig wool
yard yarn""".split()

WIDE_VOICES = ["af", "bg", "bs", "ca", "cs", "cy", "da", "de", "el", "eo", "es", "et", "eu", "fi", "fr-fr", "ga", "hr",
               "hu", "id", "is", "it", "lt", "lv", "mk", "ms", "nb", "nl", "pl", "pt", "pt-br", "ro", "sk", "sl", "sq", "sr",
               "sv", "sw", "tr", "vi", "en-us-nyc"]
SEED_WIDE = 48
ONSETS = ["", "", "b", "d", "g", "k", "l", "m", "p", "r", "sh", "th", "v", "w", "y", "z", "bl", "br", "cl", "dr", "gl",
          "gr", "pl", "pr", "sk", "sl", "sm", "sn", "sp", "st", "tr", "ch", "j", "h"]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ee", "oo", "ou", "oa", "au", "ie", "ea", "oi"]
CODAS = ["", "", "", "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "sh", "ng", "sk", "lt", "mp", "nd", "rk"]
MULTI = ["aI@", "aU@", "eI", "aI", "oU", "aU", "OI", "i@", "e@", "o@", "U@", "3:", "i:", "u:", "A:", "O:", "a#", "tS", "dZ",
         "I2", "I#", "@2", "@5", "@L", "aa"]


def phonemes(word, voice):
    out = subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", word], check=True, capture_output=True, text=True).stdout
    s = "".join(c for c in out if c not in "',% \n_:;" or c == ":")
    toks, i = [], 0
    while i < len(s):
        for m in MULTI:
            if s.startswith(m, i):
                toks.append(m)
                i += len(m)
                break
        else:
            toks.append(s[i])
            i += 1
    return tuple(toks)


def within_one(a, b):
    """Whether phoneme strings a and b are at most one insertion, deletion or substitution apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]


def pseudo_words(r, n):
    """n pseudo-words, none near a digit name (phonemes within one edit) nor an evaluation word."""
    near = [phonemes(w, v) for w in sorted(DIGITISH) for v in ("en-us", "en-gb")]
    taken, out = set(ev.WORDS) | DIGITISH, []
    while len(out) < n:
        w = "".join(r.choice(ONSETS) + r.choice(NUCLEI) + r.choice(CODAS) for _ in range(r.choice([1, 1, 2, 2, 3])))
        if w in taken or not w:
            continue
        ph = [phonemes(w, v) for v in ("en-us", "en-gb")]
        if any(within_one(p, q) for p in ph for q in near):
            continue
        taken.add(w)
        out.append(w)
    return out


def check_disjoint():
    clash = set(TRAIN_WORDS + SHORT_WORDS) & (set(ev.WORDS) | DIGITISH)
    if clash:
        sys.exit("training words also in the evaluation hour or digit-like: " + " ".join(sorted(clash)))
    used = {v.split("+")[0] for v in ev.ESPEAK} | {v[1:] for v in ev.VARIANTS if v}
    clash = (set(VOICES) | set(VARIANTS) | set(WIDE_VOICES) | set(wide_variants())) & used
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


def paused(r, s, tmp, k, parts):
    """Sentence k (file s) followed by a pause of 0.15-1.2 s, appended to parts; its length in s."""
    p = os.path.join(tmp, "p%03d.wav" % k)
    ev.run(["sox", s, p, "pad", "0", str(round(r.uniform(0.15, 1.2), 3))])
    parts.append(p)
    return ev.seconds(p)


def join_over_floor(parts, tmp, out):
    """The parts one after another, over a white-noise floor 50 dB below full scale, into out."""
    joined = os.path.join(tmp, "joined.wav")
    ev.run(["sox"] + parts + [joined])
    n = os.path.join(tmp, "floor.wav")
    ev.run(["sox", "-n", "-r", str(ev.RATE), "-c", "1", "-b", "16", n, "synth", str(ev.seconds(joined)), "whitenoise", "vol", "0.00316"])
    ev.run(["sox", "-m", joined, n, out])


def speech_file(r, tmp, out, target):
    parts, total, voices, words = [], 0.0, [], set()
    k = 0
    while total < target:
        s = os.path.join(tmp, "s%03d.wav" % k)
        ws = [r.choice(TRAIN_WORDS) for _ in range(r.randint(2, 8))]
        words.update(ws)
        voices.append(speak(r, " ".join(ws), s))
        total += paused(r, s, tmp, k, parts)
        k += 1
    join_over_floor(parts, tmp, out)
    return {"kind": "speech", "sentences": k, "voices": voices, "words": len(words), "seconds": ev.seconds(out)}


def wide_variants():
    """Every espeak-ng variant but the evaluation's m1-m4, f1-f4 (their file names, as +NAME takes them)."""
    out = subprocess.run(["espeak-ng", "--voices=variant"], check=True, capture_output=True, text=True).stdout.splitlines()[1:]
    names = sorted({line.split()[4].split("/")[-1] for line in out if len(line.split()) > 4})
    return [v for v in names if v not in {e[1:] for e in ev.VARIANTS if e}]


EFFECTS = [[], [], [], [], [], ["pitch", "+"], ["pitch", "-"], ["sinc", "300-3400"], ["lowpass", "1800"], ["highpass", "600"],
           ["reverb", "50"], ["overdrive", "8"]]


def speak_wide(r, text, out, variants):
    raw, fx = out + ".raw.wav", out + ".fx.wav"
    voice = r.choice(WIDE_VOICES) + "+" + r.choice(variants)
    speed = r.randint(80, 115) if r.random() < 0.5 else r.randint(205, 280)
    pitch = r.randint(0, 40) if r.random() < 0.5 else r.randint(60, 99)
    ev.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", raw, text])
    effect = list(r.choice(EFFECTS))
    if effect and effect[0] == "pitch":
        effect = ["pitch", "%s%d" % ("" if effect[1] == "+" else "-", r.randint(200, 500))]
    ev.run(["sox", raw, fx] + effect + (["gain", "-n", "-3"] if effect else []))
    ev.run(["sox", fx, "-r", str(ev.RATE), "-c", "1", "-b", "16", out])
    os.remove(raw)
    os.remove(fx)
    return "%s s%d p%d%s" % (voice, speed, pitch, (" " + " ".join(effect)) if effect else "")


def wide_sentence(r, pseudo):
    return " ".join(r.choice(pseudo) if r.random() < 0.5 else r.choice(TRAIN_WORDS + SHORT_WORDS) for _ in range(r.randint(1, 7)))


def wide_speech_file(r, tmp, out, target, pseudo, variants):
    parts, total, said = [], 0.0, []
    k = 0
    while total < target:
        s = os.path.join(tmp, "s%03d.wav" % k)
        text = wide_sentence(r, pseudo)
        voice = speak_wide(r, text, s, variants)
        said.append({"start": round(total, 3), "voice": voice, "text": text})
        total += paused(r, s, tmp, k, parts)
        k += 1
    join_over_floor(parts, tmp, out)
    return {"kind": "speech", "sentences": k, "said": said, "seconds": ev.seconds(out)}


def wide_noise_file(r, tmp, out, target, spoken):
    kind = r.choice(["babble", "hum", "clicks"])
    bed = os.path.join(tmp, "bed.wav")
    lo = r.randint(100, 2000)
    ev.run(["sox", "-n", "-r", str(ev.RATE), "-c", "1", "-b", "16", bed, "synth", str(target), "whitenoise", "sinc", "%d-%d" % (lo, lo + r.randint(200, 1500)),
            "vol", "%.5f" % (10 ** (-r.uniform(30, 50) / 20))])
    if kind == "babble":
        # 4-7 of this set's speech files at once, each from its own offset (looped), at its own level
        layers, used = [], r.sample(spoken, min(len(spoken), r.randint(4, 7)))
        for j, src in enumerate(used):
            f = os.path.join(tmp, "layer%d.wav" % j)
            cut = round(r.uniform(0, 30), 3)
            ev.run(["sox", src, src, f, "trim", str(cut), str(target), "vol", "%.4f" % (10 ** (-r.uniform(0, 10) / 20))])
            layers.append(f)
        ev.run(["sox", "-m"] + layers + [os.path.join(tmp, "mix.wav")])
        ev.run(["sox", os.path.join(tmp, "mix.wav"), os.path.join(tmp, "level.wav"), "norm", "-%d" % r.randint(15, 30)])
        ev.run(["sox", "-m", os.path.join(tmp, "level.wav"), bed, out])
        return {"kind": "babble", "layers": [os.path.basename(u) for u in used], "seconds": ev.seconds(out)}
    tone = os.path.join(tmp, "tone.wav")
    if kind == "hum":
        f0 = r.choice([50, 60])
        ev.run(["sox", "-n", "-r", str(ev.RATE), "-c", "1", "-b", "16", tone, "synth", str(target), "sine", str(f0), "sine", str(2 * f0),
                "sine", str(3 * f0), "remix", "-", "vol", "%.5f" % (10 ** (-r.uniform(20, 40) / 20))])
    else:
        parts, total, k = [], 0.0, 0
        while total < target:
            b = os.path.join(tmp, "c%03d.wav" % k)
            pause = r.uniform(0.2, 2.5)
            ev.run(["sox", "-n", "-r", str(ev.RATE), "-c", "1", "-b", "16", b, "synth", "0.08", "pluck", str(r.randint(100, 2000)), "vol",
                    "%.4f" % (10 ** (-r.uniform(10, 30) / 20)), "pad", "0", "%.3f" % pause])
            parts.append(b)
            total += 0.08 + pause
            k += 1
        ev.run(["sox"] + parts + [tone, "trim", "0", str(target)])
    ev.run(["sox", "-m", tone, bed, out])
    return {"kind": kind, "seconds": ev.seconds(out)}


def main_wide(out, minutes):
    r = random.Random(SEED_WIDE)
    variants = wide_variants()
    pseudo = pseudo_words(r, 1500)
    manifest, spoken = {"_pseudo_words": pseudo}, []
    for i in range(int(round(minutes))):
        name = "wide_%03d.wav" % i
        with tempfile.TemporaryDirectory() as tmp:
            if i % 8 == 7:
                manifest[name] = wide_noise_file(r, tmp, os.path.join(out, name), 60.0, spoken)
            else:
                manifest[name] = wide_speech_file(r, tmp, os.path.join(out, name), 60.0, pseudo, variants)
                spoken.append(os.path.join(out, name))
        print(name, manifest[name]["kind"], "%.1f s" % manifest[name]["seconds"], file=sys.stderr)
    return manifest


def main():
    args = [a for a in sys.argv[1:] if a != "--wide"]
    if not args:
        sys.exit(__doc__)
    check_disjoint()
    out = args[0]
    minutes = float(args[1]) if len(args) > 1 else 40
    os.makedirs(out, exist_ok=True)
    if "--wide" in sys.argv:
        manifest = main_wide(out, minutes)
    else:
        r = random.Random(47)
        manifest = {}
        for i in range(int(round(minutes))):
            name = "train_%02d.wav" % i
            with tempfile.TemporaryDirectory() as tmp:
                manifest[name] = speech_file(r, tmp, os.path.join(out, name), 60.0)
            print(name, "%.1f s" % manifest[name]["seconds"], file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    files = [m for k, m in manifest.items() if not k.startswith("_")]
    print("%.1f minutes in %d files" % (sum(m["seconds"] for m in files) / 60, len(files)), file=sys.stderr)


if __name__ == "__main__":
    main()
