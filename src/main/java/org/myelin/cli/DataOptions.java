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
import org.myelin.data.SyntheticDataset;
import org.myelin.model.FeatureRecipe;

/** The data options shared by train, eval and ablation: a folder, or the built-in task. */
final class DataOptions {
    static final String HELP =
            "  --data DIR          a data folder: precomputed features (x.npy, y.npy, split.npy or train/ and test/)\n"
          + "                      or an audio dataset (see 'features --help'); omitted: the built-in synthetic task\n"
          + "  --format F          audio layout: hd, fsdd or folders (default: detected)\n"
          + "  --skip-bad          skip unreadable audio files (counted in the summary) instead of failing\n"
          + "  --normalize N       train: utterance (each utterance standardised alone, the paper's; default) or\n"
          + "                      global (each Mel channel by the training set's statistics, stored in the model,\n"
          + "                      so a stream can normalise each frame at once); eval takes the model's\n"
          + "  --data-seed N       seed of the built-in task (default 1)\n"
          + "  --train-size N      built-in training samples (default 2000)\n"
          + "  --test-size N       built-in test samples (default 1000)\n";

    final Path dir;
    final String format;
    final boolean skipBad;
    final long dataSeed;
    final int trainSize, testSize;
    final FeatureRecipe.Normalization normalize;
    private final boolean normalizeGiven;

    DataOptions(Args a) {
        this.dir = a.path("data", null);
        this.format = a.string("format", null);
        this.skipBad = a.flag("skip-bad", false);
        this.dataSeed = a.longValue("data-seed", 1);
        this.trainSize = a.integer("train-size", 2000);
        this.testSize = a.integer("test-size", 1000);
        String n = a.string("normalize", null);
        this.normalizeGiven = n != null;
        try {
            this.normalize = n == null ? FeatureRecipe.Normalization.UTTERANCE : FeatureRecipe.Normalization.parse(n);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--normalize must be utterance or global, got '" + n + "'");
        }
        if (trainSize < 1 || testSize < 1) throw new UsageException("--train-size and --test-size must be at least 1");
    }

    boolean builtIn() {
        return dir == null;
    }

    /** The data for training: normalised as --normalize says (the recipe attached to the split). */
    Dataset.Split load() throws IOException {
        if (dir == null) {
            if (normalize != FeatureRecipe.Normalization.UTTERANCE) throw new UsageException("--normalize applies to audio data (--data), not the built-in task");
            return SyntheticDataset.generate(dataSeed, trainSize, testSize);
        }
        return features().normalised(normalize);
    }

    /** The data as a model with this recipe (null: none) takes it; --normalize is not used. */
    Dataset.Split loadFor(FeatureRecipe recipe, String modelName) throws IOException {
        if (normalizeGiven) throw new UsageException("--normalize is a training option; " + modelName + " normalises as it was trained");
        if (dir == null) return SyntheticDataset.generate(dataSeed, trainSize, testSize);
        return features().normalisedFor(recipe, modelName);
    }

    private org.myelin.data.FeaturesFolder.Features features() throws IOException {
        if (!Files.isDirectory(dir)) throw new UsageException("--data " + dir + ": no such folder");
        return AudioDatasets.features(dir, new AudioDatasets.Options().format(format).skipBad(skipBad));
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
