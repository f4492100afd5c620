package org.myelin.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.myelin.data.Dataset;
import org.myelin.io.Container;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayKernels;
import org.myelin.network.DelayMode;
import org.myelin.network.DenseSynapses;
import org.myelin.network.Gradients;
import org.myelin.network.HiddenLayer;
import org.myelin.kernel.KernelOps;
import org.myelin.network.NetConfig;
import org.myelin.network.Network;
import org.myelin.kernel.Parallel;
import org.myelin.network.SynapseLayer;
import org.myelin.model.Model;

/**
 * The paper's training loop (docs/MODEL.md, "Optimisation"): per epoch, a seeded shuffle, mini-batches
 * through the fused kernel with dropout, Adam on weights (OneCycle) and on delay positions (cosine),
 * delays clamped to [0, Td], σ shrinking, then an evaluation with delays rounded to integers.
 *
 * <p>Determinism: every random draw is a pure function of (seed, epoch, batch), the kernels are
 * bit-identical for any thread count, and a checkpoint holds every piece of state (parameters,
 * Adam moments and step, batch-norm running statistics, history), so a resumed run ends with
 * exactly the bits of an uninterrupted one. {@link #writeState} and {@link #fromState} put that
 * state into a {@link Container} and take it back; the file around it (the run specification, the
 * data fingerprint) is the run layer's.
 *
 * <p>A non-finite loss ends training with a {@link DivergedException}.
 */
public final class Trainer implements AutoCloseable {
    /** Observer of a run: after every batch (progress) and every epoch (records, checkpoints). */
    public interface EpochListener {
        /** Called after each epoch, with its record (already in {@link #history()}). */
        void epochDone(Trainer t, EpochRecord epoch) throws IOException;

        /**
         * Called after each optimiser step.
         *
         * @param epoch    1-based epoch
         * @param batch    1-based batch of {@code batches}
         * @param meanLoss mean training loss of the epoch's batches so far
         * @param accuracy training accuracy of the epoch's batches so far
         */
        default void batchDone(int epoch, int batch, int batches, double meanLoss, double accuracy) {}
    }

    private final TrainConfig tc;
    private final Dataset.Split data;
    private final KernelOps ops;
    private final Parallel par;
    private final NetConfig trainCfg;
    /** Synapse layers s = 0 … L: s feeds hidden layer s, s = L the readout. */
    private final List<SynapseLayer> layers = new ArrayList<>();
    /** Batch norm of each hidden layer (present whether batch norm is on or not: checkpoints hold them). */
    private final List<Model.BatchNorm> norms = new ArrayList<>();
    private final OptimiserState adam;
    private final Network net;
    private final Gradients grads;
    /** Gradients with dL/dw for every pair (RigL's signal), used on RigL steps only. */
    private final Gradients gradsDense;
    private final Structure structure;
    /** Training-time augmentation of the batch buffer, or null when off. */
    private final Augment augment;
    private int epochsDone;
    private final List<EpochRecord> history = new ArrayList<>();
    private double trainSeconds;
    private long trainSamples;

    /** A fresh run: parameters initialised from the seed. */
    public Trainer(TrainConfig tc, Dataset.Split data, KernelOps ops) {
        this(tc, data, ops, null, null, null, null);
    }

    /**
     * A fresh run with the training set's waveforms and the noise for {@code --aug-snr}
     * ({@link Augment}); both may be null when it is off.
     */
    public Trainer(TrainConfig tc, Dataset.Split data, KernelOps ops, org.myelin.data.Waveforms waves, org.myelin.data.NoiseBank noise) {
        this(tc, data, ops, null, null, waves, noise);
    }

    private Trainer(TrainConfig tc, Dataset.Split data, KernelOps ops, Container ckpt, Path ckptFile,
                    org.myelin.data.Waveforms waves, org.myelin.data.NoiseBank noise) {
        tc.validate();
        this.tc = tc;
        this.data = data;
        this.ops = ops;
        NetConfig c = tc.net;
        if (data.train.steps != c.steps || data.train.channels != c.inputs) {
            throw new IllegalArgumentException("data samples are " + data.train.steps + " steps × " + data.train.channels
                    + " channels but the network expects " + c.steps + " × " + c.inputs);
        }
        if (data.train.classes > c.outputs) {
            throw new IllegalArgumentException("data has " + data.train.classes + " classes but the network has " + c.outputs + " outputs");
        }
        this.trainCfg = tc.learnDelays ? c : c.toBuilder().delayMode(DelayMode.INT).build();
        this.par = new Parallel(tc.threads);
        int L = c.depth(), Td = c.maxDelay;
        boolean sparse = tc.sparsity > 0;
        boolean dense = ckpt != null ? "dense".equals(ckpt.header.get("layer_kind"))
                : tc.kernel == KernelChoice.DENSE || (tc.kernel == KernelChoice.AUTO && !sparse && trainCfg.delayMode == DelayMode.GAUSS);
        if (dense && (sparse || Structure.learnt(tc))) throw new IllegalArgumentException("--kernel dense cannot train a sparse network (--sparsity " + tc.sparsity + ")");
        boolean learnt = Structure.learnt(tc);
        if (learnt) dense = false;
        if (ckpt == null) {
            // every layer's weights then delays, input side first (L = 1: w1, d1, w2, d2)
            SplittableRandom r = new SplittableRandom(mix(tc.seed, -7, -7));
            float[][] w = new float[L + 1][], d = new float[L + 1][];
            for (int s = 0; s <= L; s++) {
                int pre = c.width(s), post = c.width(s + 1);
                w[s] = kaiming(r, post * pre, pre);
                d[s] = delays(r, post * pre, Td, !tc.learnDelays);
            }
            if (learnt) {
                this.structure = Structure.create(tc, w, d, c);
                layers.addAll(structure.layers);
            } else {
                if (sparse) {
                    for (int s = 0; s <= L; s++) Structure.mask(r, w[s], Structure.budget(tc.sparsity, c.width(s), c.width(s + 1)));
                }
                this.structure = null;
                for (int s = 0; s <= L; s++) {
                    int pre = c.width(s), post = c.width(s + 1);
                    layers.add(dense ? new DenseSynapses(pre, post, Td, w[s], d[s]) : CsrSynapses.fromDense(pre, post, Td, w[s], d[s]));
                }
            }
            for (int k = 0; k < L; k++) {
                int n = c.hidden(k);
                float[] gamma = new float[n], var = new float[n];
                Arrays.fill(gamma, 1f);
                Arrays.fill(var, 1f);
                norms.add(new Model.BatchNorm(gamma, new float[n], new float[n], var));
            }
            this.adam = new OptimiserState(layerSizes(), c.hiddenSizes(), OptimiserState.Source.ZERO);
        } else {
            for (int s = 0; s <= L; s++) {
                int pre = c.width(s), post = c.width(s + 1);
                String p = Model.layerName(s);
                layers.add(dense ? readDense(ckpt, p, pre, post, Td, ckptFile) : Model.readLayer(ckpt, p, pre, post, Td, ckptFile));
            }
            for (int k = 0; k < L; k++) {
                String p = Model.normName(k, L);
                int n = c.hidden(k);
                norms.add(new Model.BatchNorm(ckpt.floats(p + ".gamma", n, ckptFile).clone(), ckpt.floats(p + ".beta", n, ckptFile).clone(),
                        ckpt.floats(p + ".mean", n, ckptFile).clone(), ckpt.floats(p + ".var", n, ckptFile).clone()));
            }
            this.adam = new OptimiserState(layerSizes(), c.hiddenSizes(), (name, n) ->
                    new Moments(ckpt.floats("adam." + name + ".m", n, ckptFile).clone(), ckpt.floats("adam." + name + ".v", n, ckptFile).clone()));
            // learnt structure is never dense
            if (learnt) {
                List<CsrSynapses> csr = new ArrayList<>();
                for (SynapseLayer l : layers) csr.add((CsrSynapses) l);
                this.structure = Structure.restore(tc, ckpt, ckptFile, csr);
            } else {
                this.structure = null;
            }
        }
        if (structure != null) structure.attach(adam);
        List<HiddenLayer> hidden = new ArrayList<>();
        for (int k = 0; k < L; k++) {
            Model.BatchNorm n = norms.get(k);
            hidden.add(c.batchNorm ? new HiddenLayer(layers.get(k), n.gamma(), n.beta(), n.mean(), n.var())
                    : new HiddenLayer(layers.get(k), null, null, null, null));
        }
        this.net = new Network(trainCfg, hidden, layers.get(L), ops, par);
        this.grads = new Gradients(net, false);
        this.gradsDense = structure != null && structure.mayNeedDenseGradient() ? new Gradients(net, true) : null;
        this.augment = Augment.of(tc, data.train, waves, noise, par);
    }

    /** Parameters per synapse layer. */
    private int[] layerSizes() {
        int[] n = new int[layers.size()];
        for (int s = 0; s < n.length; s++) n[s] = layers.get(s).size();
        return n;
    }

    static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 29);
    }

    /** Kaiming-uniform weights, bound √(6/fan_in) (docs/MODEL.md). */
    static float[] kaiming(SplittableRandom r, int n, int fanIn) {
        double bound = Math.sqrt(6.0 / fanIn);
        float[] w = new float[n];
        for (int q = 0; q < n; q++) {
            float v;
            do {
                v = (float) ((r.nextDouble() * 2 - 1) * bound);
            } while (v == 0f);
            w[q] = v;
        }
        return w;
    }

    /** Delay positions uniform over [0, Td]; rounded to integers when delays are fixed. */
    static float[] delays(SplittableRandom r, int n, int maxDelay, boolean integer) {
        float[] d = new float[n];
        for (int q = 0; q < n; q++) {
            double v = r.nextDouble() * maxDelay;
            d[q] = integer ? DelayKernels.intTap((float) v) : (float) v;
        }
        return d;
    }

    public TrainConfig config() { return tc; }
    public int epochsDone() { return epochsDone; }
    /** The epochs done so far, in order (a read-only view). */
    public List<EpochRecord> history() { return java.util.Collections.unmodifiableList(history); }
    public double trainSamplesPerSecond() { return trainSeconds > 0 ? trainSamples / trainSeconds : 0; }

    /** Active synapses per layer. */
    public int[] activeSynapses() {
        int[] a = new int[layers.size()];
        for (int s = 0; s < a.length; s++) a[s] = countActive(layers.get(s));
        return a;
    }

    private static int countActive(SynapseLayer l) {
        float[] w = l.weights();
        int c = 0;
        for (int q = 0; q < l.size(); q++) if (w[q] != 0f) c++;
        return c;
    }

    /** Trains until {@code tc.epochs} epochs are done. */
    public void run(EpochListener listener) throws IOException {
        while (epochsDone < tc.epochs) {
            EpochRecord rep = epoch(epochsDone, listener);
            epochsDone++;
            history.add(rep);
            if (listener != null) listener.epochDone(this, rep);
        }
    }

    /** The effective σ for an epoch (constant σ when the schedule is off). */
    double sigmaFor(int epoch) {
        return tc.sigmaSchedule ? Schedules.sigma(epoch, tc.epochs, trainCfg.maxDelay) : trainCfg.sigma;
    }

    private EpochRecord epoch(int epoch, EpochListener listener) {
        Dataset tr = data.train;
        int B = Math.min(tc.batch, tr.size);
        int batches = tr.size / B;
        int T = trainCfg.steps, C = trainCfg.inputs, nH = trainCfg.hiddenTotal();
        double lrW = Schedules.oneCycleLr(epoch, tc.epochs, tc.maxLr, tc.pctStart);
        double b1 = Schedules.oneCycleBeta1(epoch, tc.epochs, tc.pctStart, tc.beta1Base, tc.beta1Max);
        double lrD = Schedules.cosineLr(epoch, tc.epochs, tc.delayLr);
        double sigma = sigmaFor(epoch);
        net.setSigma((float) sigma);
        if (structure != null) structure.beginEpoch(epoch);
        int[] perm = Dataset.permutation(new SplittableRandom(mix(tc.seed, epoch, -1)), tr.size);
        float[] x = new float[B * T * C];
        int[] y = new int[B];
        // CutMix's soft targets: each sample's second label and its share (null: hard labels)
        int[] mix = augment != null && augment.mixesLabels() ? new int[B] : null;
        double[] share = mix != null ? new double[B] : null;
        float[] mask = tc.dropout > 0 ? new float[nH * B] : null;
        double lossSum = 0;
        long correct = 0;
        long t0 = System.nanoTime();
        for (int bi = 0; bi < batches; bi++) {
            fillBatch(tr, perm, bi, B, epoch, x, y, mix, share);
            if (mask != null) {
                SplittableRandom r = new SplittableRandom(mix(tc.seed, epoch, bi));
                float keep = (float) (1.0 / (1.0 - tc.dropout));
                for (int q = 0; q < mask.length; q++) mask[q] = r.nextDouble() < tc.dropout ? 0f : keep;
            }
            net.forward(x, B, true, mask);
            double loss = net.loss(y, mix, share);
            if (!Double.isFinite(loss)) throw new DivergedException(epoch + 1, bi + 1, "the training loss is " + loss);
            lossSum += loss;
            correct += net.correct(y);
            Gradients g = gradsDense != null && structure.needsDenseGradientNow() ? gradsDense : grads;
            net.backward(y, mix, share, g);
            optimiserStep(g, lrW, b1, lrD);
            if (listener != null) listener.batchDone(epoch + 1, bi + 1, batches, lossSum / (bi + 1), correct / (double) ((bi + 1) * B));
        }
        double epochTrainSecs = (System.nanoTime() - t0) / 1e9;
        trainSeconds += epochTrainSecs;
        trainSamples += (long) batches * B;
        double[] score = scoreEpoch(epoch);
        double[] test = data.valid == null ? score : new double[] {Double.NaN, Double.NaN};
        double[] valid = data.valid == null ? new double[] {Double.NaN, Double.NaN} : score;
        return new EpochRecord(epoch + 1, lossSum / batches, correct / (double) (batches * B), test[0], test[1], lrW, b1, lrD,
                trainCfg.delayMode == DelayMode.GAUSS ? sigma : Double.NaN, epochTrainSecs, batches * B / epochTrainSecs,
                activeSynapses(), structure != null ? structure.rewiredAndReset() : null, valid[0], valid[1]);
    }

    /**
     * Batch {@code bi} of an epoch's order into the batch buffers: samples {@code perm[bi·B ..]}
     * read from the dataset's store (floats or spike counts, {@link Dataset#read}) times the input
     * scale, augmented when asked, and their labels (with CutMix also the second labels and shares
     * of their soft targets; accuracy counts the labels {@code y}).
     */
    private void fillBatch(Dataset tr, int[] perm, int bi, int B, int epoch, float[] x, int[] y, int[] mix, double[] share) {
        float scale = (float) tc.inputScale;
        int n = tr.steps * tr.channels;
        for (int b = 0; b < B; b++) {
            int s = perm[bi * B + b];
            if (augment == null) tr.read(s, x, b * n, scale);
            y[b] = tr.y[s];
        }
        if (augment != null) augment.fill(tr, perm, bi * B, B, epoch, bi, scale, x, mix, share);
    }

    /**
     * The epoch's {loss, accuracy} on the validation part when the data have one (the test part is
     * then left for one scoring after training, of the epoch chosen here), else on the test part.
     */
    private double[] scoreEpoch(int epoch) {
        boolean valid = data.valid != null;
        double[] r = evaluate(valid ? data.valid : data.test);
        if (!Double.isFinite(r[0])) throw new DivergedException(epoch + 1, 0, "the " + (valid ? "validation" : "test") + " loss is " + r[0]);
        return r;
    }

    private void optimiserStep(Gradients grads, double lrW, double b1, double lrD) {
        long t = ++adam.step;
        if (structure != null) {
            structure.step(grads, lrW, b1, t);
        } else {
            if (tc.l1Always && tc.l1 > 0) {
                for (int s = 0; s < layers.size(); s++) addL1(layers.get(s).weights(), grads.synapses(s).w, layers.get(s).size(), (float) tc.l1);
            }
            for (int s = 0; s < layers.size(); s++) {
                SynapseLayer l = layers.get(s);
                Moments m = adam.weights.get(s);
                Adam.step(l.weights(), grads.synapses(s).w, m.m, m.v, l.size(), t, lrW, b1, Adam.BETA2, Adam.EPS);
            }
        }
        if (tc.learnDelays && trainCfg.delayMode != DelayMode.INT) {
            for (int s = 0; s < layers.size(); s++) {
                SynapseLayer l = layers.get(s);
                Moments m = adam.delays.get(s);
                Adam.step(l.delays(), grads.synapses(s).d, m.m, m.v, l.size(), t, lrD, 0.9, Adam.BETA2, Adam.EPS);
                clamp(l.delays(), l.size(), trainCfg.maxDelay);
            }
        }
        if (trainCfg.batchNorm) {
            for (int k = 0; k < norms.size(); k++) {
                Model.BatchNorm n = norms.get(k);
                Moments g = adam.bnGamma.get(k), b = adam.bnBeta.get(k);
                Adam.step(n.gamma(), grads.bnGamma(k), g.m, g.v, n.gamma().length, t, lrW, b1, Adam.BETA2, Adam.EPS);
                Adam.step(n.beta(), grads.bnBeta(k), b.m, b.v, n.beta().length, t, lrW, b1, Adam.BETA2, Adam.EPS);
            }
        }
        if (structure != null) structure.rewire(grads, net);
    }

    /** dL/dw += λ·sign(w) for w ≠ 0 (the subgradient of λ·Σ|w|, 0 at 0 as PyTorch's sign). */
    static void addL1(float[] w, float[] g, int n, float lambda) {
        for (int q = 0; q < n; q++) {
            if (w[q] > 0f) g[q] += lambda;
            else if (w[q] < 0f) g[q] -= lambda;
        }
    }

    static void clamp(float[] d, int n, int maxDelay) {
        for (int q = 0; q < n; q++) {
            if (d[q] < 0f) d[q] = 0f;
            else if (d[q] > maxDelay) d[q] = maxDelay;
        }
    }

    /** The deployable model: delays rounded to integers, {@code int} kernels, running statistics. */
    public Model toModel(Map<String, Object> meta) {
        NetConfig evalCfg = trainCfg.toBuilder().delayMode(DelayMode.INT).build();
        List<CsrSynapses> e = new ArrayList<>();
        List<float[]> learnt = new ArrayList<>();
        for (SynapseLayer l : layers) {
            CsrSynapses r = rounded(l);
            e.add(r);
            learnt.add(Model.perSynapse(r, l.denseDelays()));
        }
        List<Model.BatchNorm> bn = new ArrayList<>();
        if (trainCfg.batchNorm) {
            for (Model.BatchNorm n : norms) bn.add(new Model.BatchNorm(n.gamma().clone(), n.beta().clone(), n.mean().clone(), n.var().clone()));
        }
        return new Model(evalCfg, e, bn, meta, learnt, null);
    }

    private static CsrSynapses rounded(SynapseLayer l) {
        float[] w = l.denseWeights();
        float[] d = l.denseDelays();
        for (int q = 0; q < d.length; q++) d[q] = DelayKernels.intTap(d[q]);
        return CsrSynapses.fromDense(l.pre, l.post, l.maxDelay, w, d);
    }

    /** Mean loss and accuracy of the deployable model on a dataset. */
    public double[] evaluate(Dataset ds) {
        return Evaluation.run(toModel(null), ds, tc.batch, tc.inputScale, ops, par);
    }

    // ---------------------------------------------------------------- state

    /**
     * Puts every piece of state needed to continue bit-exactly into {@code c}: header keys
     * {@code epochs_done}, {@code adam_step}, {@code history}, {@code train_seconds},
     * {@code train_samples}, {@code layer_kind} ({@code dense} or {@code csr}); arrays named as in
     * a model file ({@code l1.weights}, {@code l1.delays}, and for CSR layers {@code l1.rowPtr},
     * {@code l1.targets}, {@code l1.pairDelays}; the same for {@code l2}; {@code bn.gamma},
     * {@code bn.beta}, {@code bn.mean}, {@code bn.var}), Adam's moments as
     * {@code adam.NAME.m} and {@code adam.NAME.v} for each of those trained arrays, and with learnt
     * structure {@code structure.signsN} and {@code structure.thetaN} for synapse layer N = 1 … L + 1. Delays are the learnt
     * real-valued positions (a model file holds them rounded).
     */
    public void writeState(Container c) {
        c.header.put("epochs_done", epochsDone);
        c.header.put("adam_step", adam.step);
        List<Object> h = new ArrayList<>();
        for (EpochRecord e : history) h.add(e.toMap());
        c.header.put("history", h);
        c.header.put("train_seconds", trainSeconds);
        c.header.put("train_samples", trainSamples);
        c.header.put("layer_kind", kernelKind());
        int L = norms.size();
        for (int s = 0; s <= L; s++) putLayer(c, Model.layerName(s), layers.get(s));
        for (int k = 0; k < L; k++) {
            String p = Model.normName(k, L);
            Model.BatchNorm n = norms.get(k);
            c.arrays.put(p + ".gamma", n.gamma());
            c.arrays.put(p + ".beta", n.beta());
            c.arrays.put(p + ".mean", n.mean());
            c.arrays.put(p + ".var", n.var());
        }
        List<Moments> m = adam.all();
        List<String> names = OptimiserState.names(L);
        for (int k = 0; k < m.size(); k++) {
            c.arrays.put("adam." + names.get(k) + ".m", m.get(k).m);
            c.arrays.put("adam." + names.get(k) + ".v", m.get(k).v);
        }
        if (structure != null) structure.save(c);
    }

    private static void putLayer(Container c, String p, SynapseLayer l) {
        if (l instanceof CsrSynapses) {
            Model.putLayer(c, p, (CsrSynapses) l);
        } else {
            c.arrays.put(p + ".weights", l.weights());
            c.arrays.put(p + ".delays", l.delays());
        }
    }

    /** A checkpoint's dense layer {@code p} as {@link #writeState} wrote it (also read by {@code export}). */
    public static DenseSynapses readDense(Container c, String p, int pre, int post, int Td, Path file) {
        return new DenseSynapses(pre, post, Td, c.floats(p + ".weights", post * pre, file).clone(),
                c.floats(p + ".delays", post * pre, file).clone());
    }

    /**
     * A trainer continuing from the state {@link #writeState} put into {@code c} (read from
     * {@code file}, named in messages). {@code tc} must be the configuration of the run that wrote
     * it (the caller checks); {@code tc.threads} may differ (results are bit-identical for any
     * thread count).
     *
     * @throws IllegalArgumentException naming the file when an array is missing or has the wrong length
     */
    public static Trainer fromState(TrainConfig tc, Dataset.Split data, KernelOps ops, Container c, Path file) {
        return fromState(tc, data, ops, c, file, null, null);
    }

    /** {@link #fromState(TrainConfig, Dataset.Split, KernelOps, Container, Path)} with the waveforms and noise of {@code --aug-snr}. */
    public static Trainer fromState(TrainConfig tc, Dataset.Split data, KernelOps ops, Container c, Path file,
                                    org.myelin.data.Waveforms waves, org.myelin.data.NoiseBank noise) {
        Object kind = c.header.get("layer_kind");
        if (!"dense".equals(kind) && !"csr".equals(kind)) throw new IllegalArgumentException(file + ": checkpoint lacks its layer kind");
        Trainer t = new Trainer(tc, data, ops, c, file, waves, noise);
        try {
            t.epochsDone = ((Number) c.header.get("epochs_done")).intValue();
            t.adam.step = ((Number) c.header.get("adam_step")).longValue();
            t.trainSeconds = ((Number) c.header.get("train_seconds")).doubleValue();
            t.trainSamples = ((Number) c.header.get("train_samples")).longValue();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": checkpoint lacks its step counts (" + e + ")");
        }
        Object h = c.header.get("history");
        if (!(h instanceof List)) throw new IllegalArgumentException(file + ": checkpoint lacks its history");
        for (Object o : (List<?>) h) t.history.add(EpochRecord.fromMap(o, file.toString()));
        if (t.history.size() != t.epochsDone) {
            throw new IllegalArgumentException(file + ": checkpoint history has " + t.history.size() + " epochs, epochs_done says " + t.epochsDone);
        }
        return t;
    }

    /** Kernel choice used for training ({@code dense} or {@code csr}). */
    public String kernelKind() {
        return layers.get(0) instanceof DenseSynapses ? "dense" : "csr";
    }

    @Override
    public void close() {
        par.close();
    }
}
