package org.myelin.cli;

import java.nio.file.Path;
import org.myelin.data.AudioDatasets;

/** {@code myelin features}: decodes an audio dataset into the cached 80 × 40 log-Mel features. */
final class FeaturesCommand implements Command {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "decode an audio dataset (hd, fsdd, folders) into 80x40 log-Mel frames";
    }

    @Override
    public String help() {
        return "usage: myelin features --data DIR [--out OUT | --cache ROOT] [--format F]\n"
                + "                       [--split speaker] [--skip-bad] [--threads N] [--test-fraction F]\n"
                + "\n"
                + "Decodes every recording of DIR (FLAC or WAV), computes its 80 x 40 log-Mel frames (at the rate\n"
                + "of the first file; others are resampled) and writes OUT/x.npy (N x 80 x 40 float32, before\n"
                + "normalisation: train/eval normalise them as the model says), OUT/y.npy (N int32 labels),\n"
                + "OUT/split.npy (N int32, 0 train, 1 test), OUT/files.txt (each row's source file relative to\n"
                + "DIR) and OUT/meta.json (format, recipe, classes, counts, skipped files and a key over recipe\n"
                + "and file list). If OUT already holds features with the same key nothing is recomputed.\n"
                + "meta.json is written last.\n"
                + "\n"
                + "options:\n"
                + "  --data DIR         the dataset folder (required)\n"
                + "  --out OUT          output folder (default: DIR's folder in the feature cache, see --cache)\n"
                + "  --cache ROOT       feature cache root (default $XDG_CACHE_HOME/myelin, else ~/.cache/myelin);\n"
                + "                     nothing is written inside DIR unless OUT or ROOT is there\n"
                + "  --split speaker    fsdd: test speakers instead of the split files or FSDD's rule\n"
                + "  --split speaker:N  fsdd: speaker N (or N1,N2,...) is the test set\n"
                + "  --format F         hd:      audio/lang-L_speaker-NN_trial-N_digit-D.flac (L english or german) with\n"
                + "                              train_filenames.txt and test_filenames.txt; labels English 0-9,\n"
                + "                              German 10-19\n"
                + "                     fsdd:    recordings/{digit}_{speaker}_{index}.wav, split by the two split\n"
                + "                              files, else by FSDD's rule (takes 0-4 of every speaker and\n"
                + "                              digit are test); labels 0-9\n"
                + "                     folders: one sub-folder per class, below train/ and test/ or split per\n"
                + "                              class by --test-fraction; labels in sorted class-name order\n"
                + "                     gsc:     Google Speech Commands: word folders, validation_list.txt and\n"
                + "                              testing_list.txt (validation files left out); 35 words\n"
                + "                     gsc12:   its 12-class task: 10 keywords, _unknown_, _silence_\n"
                + "                     (default: detected from the folder's contents)\n"
                + "  --skip-bad         leave out files that cannot be decoded (counted in the summary) instead\n"
                + "                     of stopping at the first one\n"
                + "  --threads N        worker threads (default: all processors); the output does not depend on N\n"
                + "  --test-fraction F  folders layout without train/ and test/: fraction of each class held out\n"
                + "                     for testing (default 0.2)\n"
                + "  --help             this text\n";
    }

    @Override
    public int run(Args args) throws Exception {
        Path data = Path.of(args.required("data"));
        Path out = args.path("out", null);
        AudioDatasets.Options o = new AudioDatasets.Options();
        o.format = args.string("format", null);
        if (o.format != null && !java.util.List.of("hd", "fsdd", "folders", "gsc", "gsc12").contains(o.format)) {
            throw new UsageException("features: --format must be hd, fsdd, folders, gsc or gsc12, got '" + o.format + "'");
        }
        o.skipBad = args.flag("skip-bad", false);
        o.split = args.string("split", null);
        Path cacheRoot = args.path("cache", null);
        o.threads = args.integer("threads", o.threads);
        if (o.threads < 1) throw new UsageException("features: --threads must be at least 1");
        o.testFraction = args.number("test-fraction", 0.2);
        if (!(o.testFraction >= 0 && o.testFraction < 1)) throw new UsageException("features: --test-fraction must be in [0, 1)");
        args.finish();
        if (out == null) out = AudioDatasets.cacheFolder(data, cacheRoot);
        AudioDatasets.Summary s = AudioDatasets.build(data, out, o);
        System.out.println(s);
        for (String bad : s.skippedFiles) System.err.println("skipped " + bad);
        return 0;
    }
}
