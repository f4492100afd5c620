package org.myelin.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.myelin.data.AudioDatasets;
import org.myelin.data.Dataset;
import org.myelin.data.NpyDatasets;
import org.myelin.data.SyntheticDataset;

/** The data options shared by train, eval and ablation: a folder, or the built-in task. */
final class DataOptions {
    static final String HELP =
            "  --data DIR          a data folder: precomputed features (x.npy, y.npy, split.npy or train/ and test/)\n"
          + "                      or an audio dataset (see 'features --help'); omitted: the built-in synthetic task\n"
          + "  --format F          audio layout: hd, fsdd or folders (default: detected)\n"
          + "  --skip-bad          skip unreadable audio files (counted in the summary) instead of failing\n"
          + "  --split speaker     fsdd: test speakers instead of the dataset's own split (its split files, or\n"
          + "                      FSDD's rule: takes 0-4 of every speaker and digit are test)\n"
          + "  --cache DIR         feature cache root (default $XDG_CACHE_HOME/myelin, else ~/.cache/myelin)\n"
          + "  --no-cache          compute audio features in memory, write no cache\n"
          + "  --data-seed N       seed of the built-in task (default 1)\n"
          + "  --train-size N      built-in training samples (default 2000)\n"
          + "  --test-size N       built-in test samples (default 1000)\n";

    final Path dir;
    final String format;
    final boolean skipBad;
    final String split;
    final Path cache;
    final boolean noCache;
    final long dataSeed;
    final int trainSize, testSize;

    DataOptions(Args a) {
        this.dir = a.path("data", null);
        this.format = a.string("format", null);
        this.skipBad = a.flag("skip-bad", false);
        this.split = a.string("split", null);
        if (split != null && !split.equals("speaker") && !split.equals("default")) {
            throw new UsageException("--split takes speaker (or default), got '" + split + "'");
        }
        this.cache = a.path("cache", null);
        this.noCache = a.flag("no-cache", false);
        if (noCache && cache != null) throw new UsageException("--cache DIR and --no-cache contradict each other");
        this.dataSeed = a.longValue("data-seed", 1);
        this.trainSize = a.integer("train-size", 2000);
        this.testSize = a.integer("test-size", 1000);
        if (trainSize < 1 || testSize < 1) throw new UsageException("--train-size and --test-size must be at least 1");
    }

    boolean builtIn() {
        return dir == null;
    }

    Dataset.Split load() throws IOException {
        if (dir == null) return SyntheticDataset.generate(dataSeed, trainSize, testSize);
        if (!Files.isDirectory(dir)) throw new UsageException("--data " + dir + ": no such folder");
        if (NpyDatasets.accepts(dir)) return NpyDatasets.load(dir);
        return AudioDatasets.load(dir, new AudioDatasets.Options().format(format).skipBad(skipBad).split(split)
                .cacheRoot(cache).noCache(noCache));
    }

    /** A short fingerprint of the data (SHA-256 of every value and label), for checkpoints. */
    static String fingerprint(Dataset.Split s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Dataset d : new Dataset[] {s.train, s.test}) {
                ByteBuffer bb = ByteBuffer.allocate(4 * (d.x.length + d.y.length)).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(d.x);
                bb.position(4 * d.x.length);
                bb.asIntBuffer().put(d.y);
                md.update(bb.array());
            }
            byte[] h = md.digest();
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) sb.append(String.format("%02x", h[k]));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
