package org.myelin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.run.DataSpec;
import org.myelin.run.NetworkSpec;
import org.myelin.run.Outputs;
import org.myelin.run.RunSpec;
import org.myelin.train.KernelChoice;
import org.myelin.train.StructureKind;
import org.myelin.train.TrainConfig;

/**
 * The training flags of {@code train}, shared by {@code ablation} and {@code experiment}: one
 * parser from flags to a {@link RunSpec} (on top of a base: the defaults, or a checkpoint's
 * specification, noting every flag that changes it) and its inverse, {@link #argv}, the
 * {@code train} command line that reproduces a specification.
 */
final class TrainFlags {
    private TrainFlags() {}

    static final String RUN_HELP =
            "  --epochs N          epochs (default 150 with --data, " + RunSpec.BUILT_IN_EPOCHS + " on the built-in task)\n"
          + "  --batch N           batch size (default 256 with --data, " + RunSpec.BUILT_IN_BATCH + " on the built-in task)\n"
          + "  --seed N            seed of initialisation, shuffling and dropout (default 1)\n";

    /** The --learn-delays help lines (ablation sets delays itself and leaves them out). */
    static final String LEARN_DELAYS_HELP = "  --learn-delays      train delay positions (default on;\n"
            + "                      --no-learn-delays: fixed random integer delays)\n";

    static final String MODEL_HELP =
            "\nnetwork:\n"
          + "  --hidden N[,N…]     hidden LIF neurons per layer, e.g. 256,256 for two hidden\n"
          + "                      layers (at most 8; default 256: the paper's network)\n"
          + "  --max-delay N       Td, the largest delay in steps (default 25)\n"
          + "  --delay-mode M      gauss (paper), linear or int (default gauss)\n"
          + "  --sigma S           σ of gauss kernels when --no-sigma-schedule (default Td/2)\n"
          + "  --sigma-schedule    shrink σ as the authors' code does (default on; --no-sigma-schedule)\n"
          + "  --tau T             membrane time constant (default 10.05)\n"
          + "  --threshold V       spike threshold (default 1)\n"
          + "  --alpha A           surrogate slope (default 5)\n"
          + "  --readout R         vsum (paper) or softmaxsum (default vsum)\n"
          + "  --batch-norm        batch norm on the hidden input (default on; --no-batch-norm)\n"
          + "\noptimisation:\n"
          + "  --max-lr X          OneCycle peak learning rate of the weights (default 5e-3)\n"
          + "  --pct-start X       OneCycle warm-up fraction (default 0.3)\n"
          + "  --delay-lr X        Adam learning rate of the delays, cosine-annealed (default 0.1)\n"
          + "  --dropout P         dropout probability (default 0.4)\n"
          + "  --input-scale X     multiply inputs by X (the authors' code uses 20; default 1)\n"
          + LEARN_DELAYS_HELP
          + "\nstructure:\n"
          + "  --sparsity S        fraction of absent synapses per layer (default 0 = dense)\n"
          + "  --structure K       fixed (random mask), deepr or rigl (default fixed)\n"
          + "  --dale              Dale's law for learnt structure (default on; --no-dale)\n"
          + "  --l1 X              L1 penalty on synapse magnitudes with learnt structure (default 0.01)\n"
          + "  --l1-always         the L1 penalty in dense and fixed-mask runs too, as the authors' code\n"
          + "                      does (λ·sign(w) added to dL/dw; default off, the paper's)\n"
          + "  --regrow-every N    RigL regrowth interval in steps (default 1, the paper's)\n"
          + "  --rigl-candidates N RigL scores N random dormant pairs per layer\n"
          + "                      (default 0: every pair, dense cost)\n"
          + "  --kernel K          auto, csr or dense (default auto: dense for dense gauss training)\n"
          + "\naudio features:\n"
          + "  --normalize N       utterance (each utterance standardised alone, the\n"
          + "                      paper's) or global (each Mel channel by the training\n"
          + "                      set's statistics, stored in the model, so a stream can\n"
          + "                      normalise each frame at once; default for recordings)\n"
          + "  --calibrate F       hold out fraction F of the training set (seeded) and fit\n"
          + "                      the model's probability temperature on it after\n"
          + "                      training (default 0.1 for a data folder; 0 = off, the\n"
          + "                      built-in task's default)\n"
          + "  --reject F          rejection: one more class, _unknown_, of generated\n"
          + "                      non-keywords (noise, reversed words, word onsets and\n"
          + "                      tails, splices of two words), share F of the training\n"
          + "                      set (default 0 = off; 0.15 is measured in\n"
          + "                      docs/KWS-IN-THE-FIELD.md; recordings only)\n"
          + "  --fa-share R        with --reject and --calibrate: store the threshold at\n"
          + "                      which at most share R of held-out non-keywords are\n"
          + "                      accepted as keywords (default 0.01)\n"
          + "  --reject-dir DIR    with --reject: non-keyword recordings (.wav/.flac,\n"
          + "                      any rate), cut into words by the voice detector; they\n"
          + "                      make half of _unknown_, generated the other half\n"
          + "  --reject-dir-share S  with --reject-dir: the share of _unknown_ made of its\n"
          + "                      words (0 < S ≤ 1; default 0.5)\n"
          + "  --fa-target R       with --reject-dir and --calibrate: store the threshold\n"
          + "                      for at most R false alarms an hour on the folder's\n"
          + "                      held-out files (default 1)\n"
          + "\naugmentation (training only; each off at 0, the default):\n"
          + "  --aug-shift S       shift each sample by a random whole number of frames in [-S, S],\n"
          + "                      edge frames repeated (spike counts: empty frames)\n"
          + "  --aug-channel-shift S  spike counts: shift the channels by a random whole\n"
          + "                      number in [-S, S], empty channels moved in\n"
          + "  --aug-cutmix P      with probability P replace a random run of frames by the\n"
          + "                      same frames of another sample of the class (time CutMix)\n"
          + "  --aug-thin P        spike counts: drop each spike with probability P\n"
          + "  --aug-blend P       with probability P mix a sample with another of its class\n"
          + "                      (random proportion, frame-aligned)\n"
          + "  --aug-noise L       add Gaussian noise of standard deviation L to the (standardised) inputs\n"
          + "  --aug-freq-mask F   zero a random band of 0..F channels (SpecAugment frequency mask)\n"
          + "  --aug-time-mask W   zero a random run of 0..W frames (SpecAugment time mask)\n"
          + "  --aug-snr LO:HI     audio data: mix noise into each waveform at an SNR uniform in [LO, HI] dB\n"
          + "                      (mean power of the utterance, up to the 80 frames the front end reads,\n"
          + "                      vs the noise's), before the front end (default off)\n"
          + "                      (recordings: default 5:40; off turns it off)\n"
          + "  --aug-snr-prob P    probability that a sample gets that noise (default 1)\n"
          + "  --aug-lead N        with --aug-snr: start each word 0..N frames (uniform)\n"
          + "                      into its window after noise, as the voice detector's\n"
          + "                      pre-roll puts it (recordings: default 12; 0 = off)\n"
          + "  --aug-noise-dir DIR noise recordings (.wav/.flac, resampled to the data's rate) for --aug-snr;\n"
          + "                      default: generated white and pink noise\n";

    /** The flags that set outputs (train only; ablation and experiment choose their own files). */
    static final Set<String> OUTPUT_FLAGS = Set.of("out", "report", "checkpoint", "save-initial");

    /**
     * Reads flags on top of base values. When {@code noting}, every flag given with a value other
     * than its base value is noted in {@link #changed} (a resumed run refuses them).
     */
    static final class Reader {
        final Args a;
        final Set<String> skip;
        final List<String> changed = new ArrayList<>();

        /** @param skip flags not read here (the calling command reads them, or refuses them) */
        Reader(Args a, Set<String> skip) {
            this.a = a;
            this.skip = skip;
        }

        private boolean given(String name) {
            return !skip.contains(name) && (a.has(name) || a.has("no-" + name));
        }

        private void note(String name, Object v, Object base) {
            if (given(name) && !Objects.equals(v, base)) {
                changed.add("--" + name + " " + show(v) + " (the checkpoint's run has " + show(base) + ")");
            }
        }

        private static String show(Object v) {
            if (v instanceof Boolean) return (Boolean) v ? "on" : "off";
            return String.valueOf(v);
        }

        /** Reads one option through {@code get} unless skipped, noting a change from {@code base}. */
        private <T> T read(String name, T base, java.util.function.Supplier<T> get) {
            if (skip.contains(name)) return base;
            T v = get.get();
            note(name, v, base);
            return v;
        }

        int integer(String name, int base) {
            return read(name, base, () -> a.integer(name, base));
        }

        long longValue(String name, long base) {
            return read(name, base, () -> a.longValue(name, base));
        }

        double number(String name, double base) {
            return read(name, base, () -> a.number(name, base));
        }

        float real(String name, float base) {
            return read(name, base, () -> (float) a.number(name, base));
        }

        boolean flag(String name, boolean base) {
            return read(name, base, () -> a.flag(name, base));
        }

        String string(String name, String base) {
            return read(name, base, () -> a.string(name, base));
        }

        /** A path option; compared with the base as absolute paths. */
        Path path(String name, Path base) {
            if (skip.contains(name)) return base;
            Path v = a.path(name, base);
            if (given(name) && !Objects.equals(abs(v), abs(base))) {
                changed.add("--" + name + " " + v + " (the checkpoint's run has " + (base == null ? "none" : base) + ")");
            }
            return v;
        }

        private static Path abs(Path p) {
            return p == null ? null : p.toAbsolutePath().normalize();
        }

        /** {@link #choice} of an option whose base may be null (off); given, it is parsed, naming the flag on failure. */
        <T> T choiceOrNull(String name, T base, java.util.function.Function<String, T> parse, java.util.function.Function<T, String> id) {
            if (skip.contains(name) || !a.has(name)) return base;
            String s = a.string(name, null);
            T v;
            if (s != null && s.strip().equals("off")) {
                note(name, "off", base == null ? "off" : id.apply(base));
                return null;
            }
            try {
                v = parse.apply(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage().startsWith("--") ? e.getMessage() : "--" + name + ": " + e.getMessage());
            }
            note(name, id.apply(v), base == null ? "off" : id.apply(base));
            return v;
        }

        /** Fails naming the flag when a value is not one of the choices. */
        <T> T choice(String name, T base, java.util.function.Function<String, T> parse, java.util.function.Function<T, String> id) {
            if (skip.contains(name)) return base;
            String s = a.string(name, id.apply(base));
            T v;
            try {
                v = parse.apply(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage().startsWith("--") ? e.getMessage() : "--" + name + ": " + e.getMessage());
            }
            note(name, id.apply(v), id.apply(base));
            return v;
        }
    }

    /** Network, training and output flags on top of {@code base} (whose data are already parsed). */
    static RunSpec rest(Reader r, RunSpec base) {
        NetworkSpec n = base.network();
        List<Integer> hidden = r.choice("hidden", n.hidden(), NetworkSpec::parseHidden, NetworkSpec::hiddenText);
        int td = r.integer("max-delay", n.maxDelay());
        DelayMode mode = r.choice("delay-mode", n.delayMode(), DelayMode::parse, DelayMode::id);
        // σ follows Td unless given (or, on resume, unless the base's σ was not its Td's default)
        float baseSigma = n.sigma() == NetworkSpec.defaultSigma(n.maxDelay()) ? NetworkSpec.defaultSigma(td) : n.sigma();
        float sigma = r.real("sigma", baseSigma);
        float tau = r.real("tau", n.tau()), threshold = r.real("threshold", n.threshold()), alpha = r.real("alpha", n.alpha());
        Readout readout = r.choice("readout", n.readout(), Readout::parse, Readout::id);
        boolean bn = r.flag("batch-norm", n.batchNorm());
        if (td < 0) throw new UsageException("--max-delay must be ≥ 0, got " + td);
        NetworkSpec net = new NetworkSpec(hidden, td, mode, sigma, tau, threshold, alpha, readout, bn);

        TrainConfig b = base.training(), tc = base.training();
        tc.epochs = r.integer("epochs", b.epochs);
        tc.batch = r.integer("batch", b.batch);
        tc.seed = r.longValue("seed", b.seed);
        tc.maxLr = r.number("max-lr", b.maxLr);
        tc.pctStart = r.number("pct-start", b.pctStart);
        tc.delayLr = r.number("delay-lr", b.delayLr);
        tc.dropout = r.number("dropout", b.dropout);
        tc.inputScale = r.number("input-scale", b.inputScale);
        tc.learnDelays = r.flag("learn-delays", b.learnDelays);
        tc.sigmaSchedule = r.flag("sigma-schedule", b.sigmaSchedule);
        tc.sparsity = r.number("sparsity", b.sparsity);
        tc.structure = r.choice("structure", b.structure, StructureKind::parse, StructureKind::id);
        tc.dale = r.flag("dale", b.dale);
        tc.l1 = r.number("l1", b.l1);
        tc.l1Always = r.flag("l1-always", b.l1Always);
        tc.regrowEvery = r.integer("regrow-every", b.regrowEvery);
        tc.riglCandidates = r.integer("rigl-candidates", b.riglCandidates);
        tc.kernel = r.choice("kernel", b.kernel, KernelChoice::parse, KernelChoice::id);
        tc.normalize = r.choice("normalize", b.normalize, org.myelin.model.FeatureRecipe.Normalization::parse,
                org.myelin.model.FeatureRecipe.Normalization::id);
        tc.calibrate = r.number("calibrate", b.calibrate);
        tc.reject = r.number("reject", b.reject);
        tc.faShare = r.number("fa-share", b.faShare);
        tc.rejectDir = r.path("reject-dir", b.rejectDir);
        tc.rejectDirShare = r.number("reject-dir-share", b.rejectDirShare);
        tc.faTarget = r.number("fa-target", b.faTarget);
        tc.augShift = r.integer("aug-shift", b.augShift);
        tc.augBlend = r.number("aug-blend", b.augBlend);
        tc.augNoise = r.number("aug-noise", b.augNoise);
        tc.augFreqMask = r.integer("aug-freq-mask", b.augFreqMask);
        tc.augTimeMask = r.integer("aug-time-mask", b.augTimeMask);
        tc.augChannelShift = r.integer("aug-channel-shift", b.augChannelShift);
        tc.augCutmix = r.number("aug-cutmix", b.augCutmix);
        tc.augThin = r.number("aug-thin", b.augThin);
        tc.augSnr = r.choiceOrNull("aug-snr", b.augSnr, org.myelin.train.SnrRange::parse, org.myelin.train.SnrRange::id);
        tc.augSnrProb = r.number("aug-snr-prob", b.augSnrProb);
        // the lead places a word after noise: with the noise turned off it goes too, unless given
        tc.augLead = r.integer("aug-lead", tc.augSnr == null ? 0 : b.augLead);
        tc.augNoiseDir = r.path("aug-noise-dir", b.augNoiseDir);
        tc.validate();

        Outputs o = base.outputs();
        Path model = r.path("out", o.model());
        Path report = r.path("report", o.report());
        Path initial = r.path("save-initial", o.initial());
        // the checkpoint follows the model file unless given (or unless the base's did not)
        Path baseCk = o.checkpoint().equals(Outputs.defaultCheckpoint(o.model())) ? Outputs.defaultCheckpoint(model) : o.checkpoint();
        Path ck = r.path("checkpoint", baseCk);
        return new RunSpec(base.data(), net, tc, new Outputs(model, report, ck, initial));
    }

    /** A whole specification from flags: data first (they decide the defaults), then the rest. */
    static RunSpec parse(Args a, Set<String> skip) {
        Reader r = new Reader(a, skip);
        DataSpec d = DataOptions.parse(r, null);
        return rest(r, RunSpec.defaults(d));
    }

    // ---------------------------------------------------------------- specification → command line

    /**
     * The {@code train} arguments that reproduce {@code spec}: the data, {@code --epochs} and
     * {@code --seed} always, every other setting where it differs from the default, then the
     * output files. {@code parse(argv(spec))} equals {@code spec}.
     */
    static List<String> argv(RunSpec spec) {
        List<String> c = new ArrayList<>();
        DataSpec d = spec.data(), dd = DataSpec.builtInDefault();
        if (d.dir() != null) add(c, "data", d.dir().toString());
        if (d.format() != null) add(c, "format", d.format());
        if (d.skipBad()) c.add("--skip-bad");
        if (d.split() != null) add(c, "split", d.split());
        if (d.cache() != null) add(c, "cache", d.cache().toString());
        if (d.noCache()) c.add("--no-cache");
        if (d.seed() != dd.seed()) add(c, "data-seed", Long.toString(d.seed()));
        if (d.trainSize() != dd.trainSize()) add(c, "train-size", Integer.toString(d.trainSize()));
        if (d.testSize() != dd.testSize()) add(c, "test-size", Integer.toString(d.testSize()));
        if (d.binMs() != dd.binMs()) add(c, "bin-ms", Text.plain(d.binMs()));
        if (d.pool() != dd.pool()) add(c, "pool", Integer.toString(d.pool()));
        if (d.steps() != dd.steps()) add(c, "steps", Integer.toString(d.steps()));

        RunSpec def = RunSpec.defaults(d);
        TrainConfig t = spec.training(), td = def.training();
        add(c, "epochs", Integer.toString(t.epochs));
        if (t.batch != td.batch) add(c, "batch", Integer.toString(t.batch));
        add(c, "seed", Long.toString(t.seed));

        NetworkSpec n = spec.network(), nd = def.network();
        if (!n.hidden().equals(nd.hidden())) add(c, "hidden", NetworkSpec.hiddenText(n.hidden()));
        if (n.maxDelay() != nd.maxDelay()) add(c, "max-delay", Integer.toString(n.maxDelay()));
        if (n.delayMode() != nd.delayMode()) add(c, "delay-mode", n.delayMode().id());
        if (n.sigma() != NetworkSpec.defaultSigma(n.maxDelay())) add(c, "sigma", Text.plain(n.sigma()));
        if (t.sigmaSchedule != td.sigmaSchedule) c.add(t.sigmaSchedule ? "--sigma-schedule" : "--no-sigma-schedule");
        if (n.tau() != nd.tau()) add(c, "tau", Text.plain(n.tau()));
        if (n.threshold() != nd.threshold()) add(c, "threshold", Text.plain(n.threshold()));
        if (n.alpha() != nd.alpha()) add(c, "alpha", Text.plain(n.alpha()));
        if (n.readout() != nd.readout()) add(c, "readout", n.readout().id());
        if (n.batchNorm() != nd.batchNorm()) c.add(n.batchNorm() ? "--batch-norm" : "--no-batch-norm");

        if (t.maxLr != td.maxLr) add(c, "max-lr", Text.plain(t.maxLr));
        if (t.pctStart != td.pctStart) add(c, "pct-start", Text.plain(t.pctStart));
        if (t.delayLr != td.delayLr) add(c, "delay-lr", Text.plain(t.delayLr));
        if (t.dropout != td.dropout) add(c, "dropout", Text.plain(t.dropout));
        if (t.inputScale != td.inputScale) add(c, "input-scale", Text.plain(t.inputScale));
        if (t.learnDelays != td.learnDelays) c.add(t.learnDelays ? "--learn-delays" : "--no-learn-delays");
        if (t.sparsity != td.sparsity) add(c, "sparsity", Text.plain(t.sparsity));
        if (t.structure != td.structure) add(c, "structure", t.structure.id());
        if (t.dale != td.dale) c.add(t.dale ? "--dale" : "--no-dale");
        if (t.l1 != td.l1) add(c, "l1", Text.plain(t.l1));
        if (t.l1Always != td.l1Always) c.add(t.l1Always ? "--l1-always" : "--no-l1-always");
        if (t.regrowEvery != td.regrowEvery) add(c, "regrow-every", Integer.toString(t.regrowEvery));
        if (t.riglCandidates != td.riglCandidates) add(c, "rigl-candidates", Integer.toString(t.riglCandidates));
        if (t.kernel != td.kernel) add(c, "kernel", t.kernel.id());
        if (t.normalize != td.normalize) add(c, "normalize", t.normalize.id());
        if (t.calibrate != td.calibrate) add(c, "calibrate", Text.plain(t.calibrate));
        if (t.reject != td.reject) add(c, "reject", Text.plain(t.reject));
        if (t.faShare != td.faShare) add(c, "fa-share", Text.plain(t.faShare));
        if (t.rejectDir != null) add(c, "reject-dir", t.rejectDir.toString());
        if (t.rejectDirShare != td.rejectDirShare) add(c, "reject-dir-share", Text.plain(t.rejectDirShare));
        if (t.faTarget != td.faTarget) add(c, "fa-target", Text.plain(t.faTarget));
        if (t.augShift != td.augShift) add(c, "aug-shift", Integer.toString(t.augShift));
        if (t.augBlend != td.augBlend) add(c, "aug-blend", Text.plain(t.augBlend));
        if (t.augNoise != td.augNoise) add(c, "aug-noise", Text.plain(t.augNoise));
        if (t.augFreqMask != td.augFreqMask) add(c, "aug-freq-mask", Integer.toString(t.augFreqMask));
        if (t.augTimeMask != td.augTimeMask) add(c, "aug-time-mask", Integer.toString(t.augTimeMask));
        if (t.augChannelShift != td.augChannelShift) add(c, "aug-channel-shift", Integer.toString(t.augChannelShift));
        if (t.augCutmix != td.augCutmix) add(c, "aug-cutmix", Text.plain(t.augCutmix));
        if (t.augThin != td.augThin) add(c, "aug-thin", Text.plain(t.augThin));
        if (!java.util.Objects.equals(t.augSnr, td.augSnr)) add(c, "aug-snr", t.augSnr == null ? "off" : t.augSnr.id());
        if (t.augLead != (t.augSnr == null ? 0 : td.augLead)) add(c, "aug-lead", Integer.toString(t.augLead));
        if (t.augSnrProb != td.augSnrProb) add(c, "aug-snr-prob", Text.plain(t.augSnrProb));
        if (t.augNoiseDir != null) add(c, "aug-noise-dir", t.augNoiseDir.toString());

        Outputs o = spec.outputs();
        if (!o.model().equals(Outputs.defaultModel())) add(c, "out", o.model().toString());
        if (o.initial() != null) add(c, "save-initial", o.initial().toString());
        if (o.report() != null) add(c, "report", o.report().toString());
        if (!o.checkpoint().equals(Outputs.defaultCheckpoint(o.model()))) add(c, "checkpoint", o.checkpoint().toString());
        return c;
    }

    /**
     * The settings of {@code spec} that differ from the defaults, as flags, leaving out those named
     * in {@code omit} (the calling command sets them) and every output.
     */
    static List<String> differing(RunSpec spec, Set<String> omit) {
        List<String> all = argv(spec.withOutputs(RunSpec.defaults(spec.data()).outputs())), out = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            String w = all.get(k);
            boolean hasValue = k + 1 < all.size() && !all.get(k + 1).startsWith("--");
            String name = w.substring(2).startsWith("no-") ? w.substring(5) : w.substring(2);
            if (!omit.contains(name) && !OUTPUT_FLAGS.contains(name)) {
                out.add(w);
                if (hasValue) out.add(all.get(k + 1));
            }
            if (hasValue) k++;
        }
        return out;
    }

    private static void add(List<String> c, String name, String value) {
        c.add("--" + name);
        c.add(value);
    }

    static String describe(RunSpec s) {
        return String.format(Locale.ROOT, "%s", String.join(" ", argv(s)));
    }
}
