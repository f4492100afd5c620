package org.myelin.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.myelin.data.AudioDatasets;
import org.myelin.data.Dataset;
import org.myelin.data.Waveforms;
import org.myelin.data.audio.AudioFiles;
import org.myelin.engine.KeywordStream;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;

/**
 * The non-keyword recordings of {@code train --reject-dir DIR}: listed, split by file into the
 * part trained on and the part held out to choose the threshold on, and cut into word-like
 * segments as the engine would present them.
 *
 * <p>A recording longer than the model's window ({@link Waveforms#neededSamples}) is streamed
 * through the engine's voice detector ({@link Segmentation#defaults}, the one {@code infer
 * --stream} and {@code eval --false-alarms} use) at the data's rate, and each word it reports is
 * one segment (from the start of its first frame to the end of its last, pre-roll and hangover
 * included, at most the model's frame count). A shorter recording is one segment, whole. The
 * detector runs inside a stream, and a stream needs a network: a network without synapses stands
 * in (its reports' classes are not used; the detector depends on the audio alone).
 */
final class RejectFolder {
    /** The flag, for messages. */
    static final String FLAG = "reject-dir";
    /**
     * Share of the folder's files held out (at least one) to choose the threshold on when the run
     * calibrates: a quarter, so ten minutes of a 40-minute folder measure the rate per hour.
     */
    static final double HELD_SHARE = 0.25;

    private RejectFolder() {}

    /** The folder's files: those trained on and those held out (empty when {@code holdOut} is false). */
    record Files(List<Path> train, List<Path> held) {}

    /**
     * Lists the folder's recordings and, when {@code holdOut}, holds out max(1, round(HELD_SHARE·n))
     * of them, drawn by the seed; both parts keep path order.
     *
     * @throws IllegalArgumentException naming the flag and folder when it has no recordings, or
     *         fewer than two when some must be held out
     */
    static Files split(Path dir, boolean holdOut, long seed) throws IOException {
        List<Path> all = AudioFiles.list(dir, FLAG);
        if (!holdOut) return new Files(all, List.of());
        if (all.size() < 2) {
            throw new IllegalArgumentException("--" + FLAG + " " + dir + ": one recording; the threshold is chosen on held-out ones, so it needs at least two "
                    + "(or --calibrate 0)");
        }
        int h = Math.max(1, (int) Math.round(HELD_SHARE * all.size()));
        int[] perm = Dataset.permutation(new SplittableRandom(seed ^ 0x7265_6a65_6374_6469L), all.size()); // "rejectdi"
        boolean[] out = new boolean[all.size()];
        for (int i = 0; i < h; i++) out[perm[i]] = true;
        List<Path> train = new ArrayList<>(), held = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) (out[i] ? held : train).add(all.get(i));
        return new Files(train, held);
    }

    /**
     * The word-like segments of the files (see the class comment), in file order and time order
     * within a file, at the recipe's rate.
     *
     * @throws IllegalArgumentException naming the file that cannot be read, or the flag when no
     *         segment is found at all
     */
    static float[][] segments(List<Path> files, Path dir, FeatureRecipe recipe) throws IOException {
        int rate = recipe.sampleRate, window = Waveforms.neededSamples(recipe);
        Spotter detector = Spotter.of(silentModel(recipe), "--" + FLAG + " voice detector");
        List<float[]> out = new ArrayList<>();
        for (Path f : files) {
            float[] x = AudioDatasets.samplesOf(f, f.toString(), rate);
            if (x.length <= window) {
                out.add(x);
                continue;
            }
            KeywordStream ks = detector.newStream(rate, Segmentation.defaults(), false);
            List<double[]> words = new ArrayList<>();
            KeywordStream.Listener l = w -> words.add(new double[] {w.start, w.end});
            ks.push(x, 0, x.length, l);
            ks.close(l);
            for (double[] w : words) {
                int a = Math.max(0, (int) Math.round(w[0] * rate)), b = Math.min(x.length, (int) Math.round(w[1] * rate));
                if (b > a) out.add(java.util.Arrays.copyOfRange(x, a, b));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--" + FLAG + " " + dir + ": the voice detector found no word in its " + files.size() + " recordings");
        return out.toArray(new float[0][]);
    }

    /**
     * {@code n} of the segments drawn by the seed: rounds of a fresh permutation each, so every
     * segment is used ⌊n/size⌋ or ⌈n/size⌉ times.
     */
    static float[][] pick(float[][] segments, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x666f_6c64_6572_7365L); // "folderse"
        float[][] out = new float[n][];
        int[] perm = null;
        for (int i = 0; i < n; i++) {
            int k = i % segments.length;
            if (k == 0) perm = Dataset.permutation(r, segments.length);
            out[i] = segments[perm[k]];
        }
        return out;
    }

    /** A model of the recipe's shape without synapses: the detector's host (its classes mean nothing). */
    private static Model silentModel(FeatureRecipe r) {
        NetConfig cfg = NetConfig.builder().inputs(r.mels).hidden(1).outputs(2).steps(r.frames).maxDelay(1)
                .delayMode(DelayMode.INT).batchNorm(false).build();
        CsrSynapses l1 = CsrSynapses.fromList(r.mels, 1, 1, new int[0], new int[0], new float[0], new float[0]);
        CsrSynapses l2 = CsrSynapses.fromList(1, 2, 1, new int[0], new int[0], new float[0], new float[0]);
        return new Model(cfg, l1, l2, null, null, null, null, null, null, null, r);
    }
}
