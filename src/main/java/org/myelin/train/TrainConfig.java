package org.myelin.train;

import org.myelin.network.NetConfig;

/**
 * Every setting of a training run. Defaults are the authors' RawHD configuration (docs/MODEL.md):
 * batch 256, Adam with OneCycle (max lr 5e-3, 30 % warm-up, β1 0.85–0.95) for weights, Adam with
 * lr 0.1 and cosine annealing for delays, dropout 0.4, σ schedule on, 150 epochs.
 */
public final class TrainConfig {
    public NetConfig net = NetConfig.builder().build();
    public int epochs = 150;
    public int batch = 256;
    public long seed = 1;
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    public double maxLr = 5e-3;
    public double pctStart = 0.3;
    public double beta1Base = 0.85, beta1Max = 0.95;
    public double delayLr = 0.1;
    public double dropout = 0.4;
    public double inputScale = 1.0;
    public boolean learnDelays = true;
    public boolean sigmaSchedule = true;
    /** Fraction of absent pairs per layer, 0 = dense. */
    public double sparsity = 0;
    /** Fixed mask, DEEP R or RigL. */
    public StructureKind structure = StructureKind.FIXED;
    public boolean dale = true;
    public double l1 = 0.01;
    /**
     * The L1 penalty on every run, not only with learnt structure (the authors' training loop adds
     * λ·Σ|w| in dense and fixed-mask runs too): λ·sign(w) joins dL/dw of every present weight.
     */
    public boolean l1Always = false;
    /** RigL regrowth interval in steps (1 = every step, the paper's). */
    public int regrowEvery = 1;
    /** RigL's signal from this many sampled dormant pairs per layer (0 = the dense gradient, the paper's). */
    public int riglCandidates = 0;
    /** Which synapse-layer implementation trains. */
    public KernelChoice kernel = KernelChoice.AUTO;
    /** How audio features are normalised (the paper's per utterance, or per channel by training-set statistics). */
    public org.myelin.model.FeatureRecipe.Normalization normalize = org.myelin.model.FeatureRecipe.Normalization.UTTERANCE;
    /** Augmentation ({@link Augment}; 0 = off): time shift up to ± this many frames. */
    public int augShift = 0;
    /** Augmentation: probability of blending a sample with another of its class. */
    public double augBlend = 0;
    /** Augmentation: standard deviation of Gaussian noise added to the inputs. */
    public double augNoise = 0;
    /** Augmentation: widest channel (frequency) mask, in channels. */
    public int augFreqMask = 0;
    /** Augmentation: widest time mask, in frames. */
    public int augTimeMask = 0;
    /** Augmentation: shift each sample's channels by a random whole number in [−S, S] (empty channels moved in); 0 = off. */
    public int augChannelShift = 0;
    /** Augmentation: probability of a time-axis CutMix with another sample of the class (SNN-delays); 0 = off. */
    public double augCutmix = 0;
    /** Augmentation: probability that each spike of a spike-count sample is dropped (DelRec's thinning); 0 = off. */
    public double augThin = 0;
    /** Augmentation: noise mixed into the waveform at an SNR drawn uniformly from this range (dB), or null (off). */
    public SnrRange augSnr = null;
    /** Augmentation: probability that a sample gets waveform noise (with {@link #augSnr}). */
    public double augSnrProb = 1;
    /** Augmentation: folder of noise recordings for {@link #augSnr}, or null for generated white and pink noise. */
    public java.nio.file.Path augNoiseDir = null;
    /**
     * Fraction of the training set held out (seeded, before training) to fit the model's
     * calibration temperature on after training; 0: no calibration (the built-in task's default).
     */
    public double calibrate = 0;
    /**
     * Train as deployed ({@code --aug-lead N}, with {@link #augSnr}): each waveform starts 0..N
     * frames (uniform) into its window, after noise, as the voice detector's pre-roll places a word
     * in a stream; 0: off.
     */
    public int augLead = 0;
    /**
     * Rejection ({@code --reject F}): generated non-keyword examples ({@link org.myelin.data.NonKeywords})
     * make share F of the training set (and so, on average, of each batch), as one more class
     * {@code _unknown_}; 0: off. Audio data without a rejection class of their own only.
     */
    public double reject = 0;
    /**
     * With {@link #reject} and {@link #calibrate}: the threshold stored in the model is the lowest
     * calibrated p at which at most this share of the held-out non-keyword examples is accepted
     * as a keyword ({@code --fa-share R}).
     */
    public double faShare = DEFAULT_FA_SHARE;
    /** The default of {@link #faShare}. */
    public static final double DEFAULT_FA_SHARE = 0.01;
    /**
     * With {@link #reject}: a folder of non-keyword recordings ({@code --reject-dir DIR}) whose
     * word-like segments make share {@link #rejectDirShare} (half by default) of the rejection
     * class beside the generated non-keywords; with
     * {@link #calibrate}, some of its files are held out and the threshold is chosen on them for
     * {@link #faTarget} false alarms an hour. Null: generated non-keywords only.
     */
    public java.nio.file.Path rejectDir = null;
    /**
     * With {@link #rejectDir}: the share of the rejection class made of the folder's segments
     * (rounded up; the rest generated), {@code --reject-dir-share S}, default one half.
     */
    public double rejectDirShare = DEFAULT_REJECT_DIR_SHARE;
    /** The default of {@link #rejectDirShare}: half the rejection class from the folder, as before the flag existed. */
    public static final double DEFAULT_REJECT_DIR_SHARE = 0.5;
    /** With {@link #rejectDir} and {@link #calibrate}: false alarms an hour of the held-out recordings the stored threshold allows ({@code --fa-target R}). */
    public double faTarget = DEFAULT_FA_TARGET;
    /** The default of {@link #faTarget}: one false alarm an hour. */
    public static final double DEFAULT_FA_TARGET = 1;

    /** A field-for-field copy (the network configuration is immutable and shared). */
    public TrainConfig copy() {
        TrainConfig c = new TrainConfig();
        c.net = net;
        c.epochs = epochs;
        c.batch = batch;
        c.seed = seed;
        c.threads = threads;
        c.maxLr = maxLr;
        c.pctStart = pctStart;
        c.beta1Base = beta1Base;
        c.beta1Max = beta1Max;
        c.delayLr = delayLr;
        c.dropout = dropout;
        c.inputScale = inputScale;
        c.learnDelays = learnDelays;
        c.sigmaSchedule = sigmaSchedule;
        c.sparsity = sparsity;
        c.structure = structure;
        c.dale = dale;
        c.l1 = l1;
        c.l1Always = l1Always;
        c.regrowEvery = regrowEvery;
        c.riglCandidates = riglCandidates;
        c.kernel = kernel;
        c.normalize = normalize;
        c.augShift = augShift;
        c.augBlend = augBlend;
        c.augNoise = augNoise;
        c.augFreqMask = augFreqMask;
        c.augTimeMask = augTimeMask;
        c.augChannelShift = augChannelShift;
        c.augCutmix = augCutmix;
        c.augThin = augThin;
        c.augSnr = augSnr;
        c.augSnrProb = augSnrProb;
        c.augNoiseDir = augNoiseDir;
        c.calibrate = calibrate;
        c.augLead = augLead;
        c.reject = reject;
        c.faShare = faShare;
        c.rejectDir = rejectDir;
        c.rejectDirShare = rejectDirShare;
        c.faTarget = faTarget;
        return c;
    }

    /** Checks every value; throws IllegalArgumentException naming the setting. */
    public void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (!(maxLr > 0)) throw new IllegalArgumentException("--max-lr must be positive");
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("--pct-start must be in (0, 1)");
        if (!(delayLr >= 0)) throw new IllegalArgumentException("--delay-lr must be ≥ 0");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("--sparsity must be in [0, 1), got " + sparsity);
        if (structure == null) throw new IllegalArgumentException("--structure is not set");
        if (kernel == null) throw new IllegalArgumentException("--kernel is not set");
        if (normalize == null) throw new IllegalArgumentException("--normalize is not set");
        if (!(l1 >= 0)) throw new IllegalArgumentException("--l1 must be ≥ 0");
        if (regrowEvery < 1) throw new IllegalArgumentException("--regrow-every must be at least 1");
        if (riglCandidates < 0) throw new IllegalArgumentException("--rigl-candidates must be ≥ 0, got " + riglCandidates);
        if (riglCandidates > 0 && structure != StructureKind.RIGL) throw new IllegalArgumentException("--rigl-candidates needs --structure rigl");
        // augmentation: the bounds set by the data's shape are checked where the data are known (Augment)
        if (augShift < 0) throw new IllegalArgumentException("--aug-shift must be ≥ 0, got " + augShift);
        if (!(augBlend >= 0 && augBlend <= 1)) throw new IllegalArgumentException("--aug-blend must be in [0, 1], got " + augBlend);
        if (!(augNoise >= 0 && augNoise < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("--aug-noise must be finite and ≥ 0, got " + augNoise);
        if (augFreqMask < 0) throw new IllegalArgumentException("--aug-freq-mask must be ≥ 0, got " + augFreqMask);
        if (augTimeMask < 0) throw new IllegalArgumentException("--aug-time-mask must be ≥ 0, got " + augTimeMask);
        if (augChannelShift < 0) throw new IllegalArgumentException("--aug-channel-shift must be ≥ 0, got " + augChannelShift);
        if (!(augCutmix >= 0 && augCutmix <= 1)) throw new IllegalArgumentException("--aug-cutmix must be in [0, 1], got " + augCutmix);
        if (!(augThin >= 0 && augThin < 1)) throw new IllegalArgumentException("--aug-thin must be in [0, 1), got " + augThin);
        if (!(augSnrProb >= 0 && augSnrProb <= 1)) throw new IllegalArgumentException("--aug-snr-prob must be in [0, 1], got " + augSnrProb);
        if (augSnr == null && augSnrProb != 1) throw new IllegalArgumentException("--aug-snr-prob needs --aug-snr LO:HI");
        if (!(calibrate >= 0 && calibrate <= 0.5)) throw new IllegalArgumentException("--calibrate must be a fraction in [0, 0.5], got " + calibrate);
        if (augLead < 0 || augLead > 1000) throw new IllegalArgumentException("--aug-lead must be 0 .. 1000 frames, got " + augLead);
        if (augSnr == null && augLead != 0) throw new IllegalArgumentException("--aug-lead needs --aug-snr LO:HI (the noise before the word)");
        if (!(reject >= 0 && reject <= 0.5)) throw new IllegalArgumentException("--reject must be a share in [0, 0.5], got " + reject);
        if (!(faShare > 0 && faShare < 1)) throw new IllegalArgumentException("--fa-share must be in (0, 1), got " + faShare);
        if (reject == 0 && faShare != DEFAULT_FA_SHARE) {
            throw new IllegalArgumentException("--fa-share chooses the threshold on generated non-keywords: it needs --reject F");
        }
        if (rejectDir != null && reject == 0) throw new IllegalArgumentException("--reject-dir adds to the rejection class: it needs --reject F");
        if (!(rejectDirShare > 0 && rejectDirShare <= 1)) throw new IllegalArgumentException("--reject-dir-share must be a share in (0, 1], got " + rejectDirShare);
        if (rejectDir == null && rejectDirShare != DEFAULT_REJECT_DIR_SHARE) {
            throw new IllegalArgumentException("--reject-dir-share is the share of the rejection class from --reject-dir: it needs --reject-dir DIR");
        }
        if (!(faTarget >= 0 && faTarget < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("--fa-target must be finite and ≥ 0 false alarms an hour, got " + faTarget);
        if (rejectDir == null && faTarget != DEFAULT_FA_TARGET) {
            throw new IllegalArgumentException("--fa-target chooses the threshold on the held-out recordings of --reject-dir: it needs --reject-dir DIR");
        }
        if (augSnr == null && augNoiseDir != null) throw new IllegalArgumentException("--aug-noise-dir needs --aug-snr LO:HI");
        if (structure.learnt() && sparsity <= 0) {
            throw new IllegalArgumentException("--structure " + structure.id() + " needs --sparsity > 0 (a fixed budget of synapses)");
        }
    }
}
