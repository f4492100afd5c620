package org.myelin.cli;

import java.nio.file.Path;
import org.myelin.run.DataSpec;

/** The data flags shared by train, eval, ablation and experiment: a folder, or the built-in task. */
final class DataOptions {
    private DataOptions() {}

    static final String HELP =
            "  --data DIR          a data folder: precomputed features (x.npy, y.npy, split.npy or train/\n"
          + "                      and test/) or an audio dataset (see 'features --help'); omitted: the\n"
          + "                      built-in synthetic task\n"
          + "  --format F          layout: hd, fsdd, folders, gsc, shd or ssc (default: detected)\n"
          + "  --gsc-task N        gsc: 35 words (default) or 12 (10 words, unknown, silence)\n"
          + "  --skip-bad          skip unreadable audio files (counted in the summary) instead of failing\n"
          + "  --split speaker     fsdd: test speakers instead of the dataset's own split (its split files, or\n"
          + "                      FSDD's rule: takes 0-4 of every speaker and digit are test)\n"
          + "  --split speaker:NAME fsdd: the named speaker(s) (comma-separated) are the test set\n"
          + "  --cache DIR         feature cache root (default $XDG_CACHE_HOME/myelin, else ~/.cache/myelin)\n"
          + "  --no-cache          compute audio features in memory, write no cache\n"
          + "  --bin-ms MS         shd/ssc: frame width in ms (default 10)\n"
          + "  --pool N            shd/ssc: channels summed per group (default 5: 700 -> 140)\n"
          + "  --steps N           shd/ssc: frames (default the longest sample's; pad or crop)\n"
          + "  --data-seed N       seed of the built-in task (default 1)\n"
          + "  --train-size N      built-in training samples (default 2000)\n"
          + "  --test-size N       built-in test samples (default 1000)\n";

    /** The data flags, for "was any given?" checks. */
    static final String[] FLAGS = {"data", "format", "skip-bad", "data-seed", "train-size", "test-size", "split", "cache", "no-cache",
        "bin-ms", "pool", "steps", "gsc-task"};

    /** Whether any data flag is given. */
    static boolean given(Args a) {
        for (String f : FLAGS) if (a.has(f) || a.has("no-" + f)) return true;
        return false;
    }

    /** The data flags on top of a base (null: the defaults). */
    static DataSpec parse(TrainFlags.Reader r, DataSpec base) {
        DataSpec b = base != null ? base : DataSpec.builtInDefault();
        Path dir = r.path("data", b.dir());
        String format = r.string("format", b.format());
        int task = r.integer("gsc-task", "gsc12".equals(format) ? 12 : 35);
        if (task != 12 && task != 35) throw new UsageException("--gsc-task takes 35 or 12, got " + task);
        if (task == 12) {
            if (format != null && !format.equals("gsc") && !format.equals("gsc12")) {
                throw new UsageException("--gsc-task 12 is for the gsc layout, not --format " + format);
            }
            format = "gsc12"; // the 12-class task is its own layout name, recorded with the run
        } else if ("gsc12".equals(format) && r.a.has("gsc-task")) {
            format = "gsc";
        }
        boolean skipBad = r.flag("skip-bad", b.skipBad());
        long seed = r.longValue("data-seed", b.seed());
        int train = r.integer("train-size", b.trainSize());
        int test = r.integer("test-size", b.testSize());
        if (train < 1 || test < 1) throw new UsageException("--train-size and --test-size must be at least 1");
        String split = r.string("split", b.split());
        try {
            DataSpec.checkSplit(split);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        boolean noCache = r.flag("no-cache", b.noCache());
        Path cache = r.path("cache", noCache ? null : b.cache());
        if (noCache && cache != null) throw new UsageException("--cache DIR and --no-cache contradict each other");
        double binMs = r.number("bin-ms", b.binMs());
        int pool = r.integer("pool", b.pool());
        int steps = r.integer("steps", b.steps());
        try {
            return new DataSpec(dir, format, skipBad, seed, train, test, split, cache, noCache, binMs, pool, steps);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
