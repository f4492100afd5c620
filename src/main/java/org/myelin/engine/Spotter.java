package org.myelin.engine;

import java.util.List;
import java.io.IOException;
import java.nio.file.Path;
import org.myelin.data.LogMel;
import org.myelin.data.Resampler;
import org.myelin.model.Calibration;
import org.myelin.network.Readout;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;

/**
 * A keyword spotter: a compiled network together with the front end it was trained with, loaded
 * from nothing but the model file. Immutable and shareable between threads; each audio stream gets
 * its own {@link KeywordStream} ({@link #newStream}).
 *
 * <p>{@link #classify} is the offline path (one recording = one utterance): resample to the
 * recipe's rate when needed ({@link Resampler}), log-Mel frames ({@link LogMel}), padded or cropped
 * to the model's frame count, normalised as the recipe says, run through the
 * {@link CompiledNetwork}; probabilities are the softmax of the scores divided by the model's
 * calibration temperature ({@link Calibration}; T = 1 for a model without one), and a word is
 * accepted when its class is a keyword and its probability reaches the model's threshold: a
 * prediction of a rejection class ({@code _unknown_}, {@code _silence_}:
 * {@link Model#isRejectionClass}) is a rejected segment ({@link #accepts}).
 *
 * <p>Models without a recipe: one trained on audio before recipes were stored
 * ({@link Model#legacyAudio()}) runs with the recipe it was made with — the paper's at each
 * recording's own rate, per-utterance normalisation, never resampled — and says so in one log
 * line; any other is refused for audio with a message naming the model file.
 */
public final class Spotter {
    private static final System.Logger LOG = System.getLogger("org.myelin.engine");

    private final CompiledNetwork net;
    private final FeatureRecipe recipe;
    private final boolean legacy;
    private final String name;
    private final Calibration cal;
    private final List<String> classNames;
    /** Whether each class is a rejection class ("none of these"). */
    private final boolean[] rejection;

    private Spotter(CompiledNetwork net, FeatureRecipe recipe, boolean legacy, String name, Calibration cal, List<String> classNames) {
        this.cal = cal;
        this.classNames = classNames;
        this.rejection = new boolean[classNames.size()];
        for (int k = 0; k < rejection.length; k++) rejection[k] = Model.isRejectionClass(classNames.get(k));
        this.net = net;
        this.recipe = recipe;
        this.legacy = legacy;
        this.name = name;
    }

    /**
     * Loads and compiles a model file.
     *
     * @throws IllegalArgumentException naming the file when it is not a usable model, or has no
     *         recipe and was not trained on audio
     */
    public static Spotter load(Path modelFile) throws IOException {
        return load(modelFile, false);
    }

    /**
     * {@link #load(Path)}; with {@code warmUp} compiled for a fast start, as
     * {@link #of(Model, String, boolean)}.
     */
    public static Spotter load(Path modelFile, boolean warmUp) throws IOException {
        return of(Model.load(modelFile), modelFile.toString(), warmUp);
    }

    /** A spotter for a model in memory; {@code name} names it in messages. */
    public static Spotter of(Model m, String name) {
        return of(m, name, false);
    }

    /**
     * {@link #of(Model, String)}; with {@code warmUp} the network is compiled for a fast start: its
     * streams start on the scalar kernels while the vector ones warm up in the background
     * ({@link CompiledNetwork#compile(Model, boolean)}).
     */
    public static Spotter of(Model m, String name, boolean warmUp) {
        if (m.recipe == null && !m.legacyAudio()) {
            throw new IllegalArgumentException(name + ": the model has no feature recipe (it was trained on precomputed features or the "
                    + "built-in task), so it cannot classify audio");
        }
        if (m.recipe == null) {
            LOG.log(System.Logger.Level.INFO, name + ": model from before feature recipes; running it with the recipe it was made with: "
                    + FeatureRecipe.KIND + " at each recording's own sample rate, per-utterance normalisation");
        }
        return new Spotter(CompiledNetwork.compile(m, warmUp), m.recipe, m.recipe == null, name, Calibration.of(m), m.classNames());
    }

    /** This spotter with another calibration (the same compiled network), e.g. a threshold under test. */
    public Spotter withCalibration(Calibration c) {
        return new Spotter(net, recipe, legacy, name, c, classNames);
    }

    /** The model's calibration ({@link Calibration#NONE} when it has none). */
    public Calibration calibration() {
        return cal;
    }

    /** The compiled network. */
    public CompiledNetwork network() {
        return net;
    }

    /** The model's recipe, or null for a model from before recipes (see the class comment). */
    public FeatureRecipe recipe() {
        return recipe;
    }

    /** The name of each class as the model's training data named it (its number when it named none), index = class. */
    public List<String> classNames() {
        return classNames;
    }

    /** Whether class {@code label} is a rejection class: a segment predicted as it is never accepted. */
    public boolean rejects(int label) {
        return rejection[label];
    }

    /** Whether a prediction of class {@code label} with calibrated probability p is accepted: a keyword class and p ≥ the threshold. */
    public boolean accepts(int label, float p) {
        return !rejection[label] && p >= cal.threshold;
    }

    /** Number of classes. */
    public int classes() {
        return net.outputs();
    }

    /**
     * The recipe applied to audio at {@code rate}: the model's (the audio is resampled to it), or
     * for a legacy model the paper's at that rate.
     *
     * @param resample false: a rate other than the model's is an error
     * @param what names the recording in messages
     * @throws IllegalArgumentException naming the recording, its rate and the model's
     */
    public FeatureRecipe recipeFor(int rate, boolean resample, String what) {
        if (rate < 1 || rate > FeatureRecipe.MAX_RATE) {
            throw new IllegalArgumentException(what + ": sample rate " + rate + " Hz is not usable (need 1 .. " + FeatureRecipe.MAX_RATE + " Hz)");
        }
        if (legacy) {
            try {
                return FeatureRecipe.paper(rate);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage());
            }
        }
        if (rate != recipe.sampleRate && !resample) {
            throw new IllegalArgumentException(what + ": sample rate " + rate + " Hz, but " + name + " was trained at " + recipe.sampleRate
                    + " Hz (resampling is turned off)");
        }
        return recipe;
    }

    /** What {@link #classify} found. */
    public static final class Result {
        /** Predicted class (argmax of the scores, the first on ties). */
        public final int label;
        /** The network's scores (logits) and their calibrated softmax. */
        public final float[] scores, probs;
        /** Whether the class is a keyword and p reaches the model's threshold ({@link Spotter#accepts}). */
        public final boolean accepted;

        Result(float[] scores, Spotter sp) {
            this.scores = scores;
            this.probs = new float[scores.length];
            sp.cal.probabilities(scores, probs, new double[scores.length]);
            this.label = Readout.argmax(scores);
            this.accepted = sp.accepts(label, probs[label]);
        }

        /** Probability of the predicted class. */
        public float p() {
            return probs[label];
        }
    }

    /**
     * Classifies one recording as one utterance (mono samples in [-1, 1] at {@code rate}).
     *
     * @param what names the recording in messages
     * @throws IllegalArgumentException on a non-finite or far out-of-range sample
     *         ({@link KeywordStream#MAX_SAMPLE}), an unusable rate, or a rate mismatch
     *         with {@code resample} false
     */
    public Result classify(float[] samples, int rate, boolean resample, String what) {
        return classify(samples, rate, resample, true, what);
    }

    /**
     * {@link #classify(float[], int, boolean, String)}; {@code warmUp} false: on a network with a
     * background warm-up, run the vector kernels from the first step ({@link CompiledNetwork#newStream(boolean)}).
     */
    public Result classify(float[] samples, int rate, boolean resample, boolean warmUp, String what) {
        FeatureRecipe r = recipeFor(rate, resample, what);
        KeywordStream.checkSamples(samples, 0, samples.length, what);
        float[] x = rate == r.sampleRate ? samples : Resampler.resample(samples, rate, r.sampleRate);
        return new Result(net.classify(LogMel.features(x, r), warmUp), this);
    }

    /** A new stream of audio at {@code rate}, cut into words by {@code segmentation} (null: consecutive utterances of the model's length). */
    public KeywordStream newStream(int rate, Segmentation segmentation, boolean resample) {
        return newStream(rate, segmentation, resample, true);
    }

    /**
     * {@link #newStream(int, Segmentation, boolean)}; {@code warmUp} false: on a network with a
     * background warm-up, the stream runs the vector kernels from its first step
     * ({@link CompiledNetwork#newStream(boolean)}).
     */
    public KeywordStream newStream(int rate, Segmentation segmentation, boolean resample, boolean warmUp) {
        return new KeywordStream(this, rate, segmentation, resample, warmUp);
    }
}
