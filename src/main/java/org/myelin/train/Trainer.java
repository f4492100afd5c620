package org.myelin.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.myelin.io.Progress;
import org.myelin.data.Dataset;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.kernel.CsrSynapses;
import org.myelin.kernel.DelayKernels;
import org.myelin.kernel.DelayMode;
import org.myelin.kernel.DenseSynapses;
import org.myelin.kernel.Gradients;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.NetConfig;
import org.myelin.kernel.NetworkKernel;
import org.myelin.kernel.Parallel;
import org.myelin.kernel.SynapseLayer;
import org.myelin.model.Model;

/**
 * The paper's training loop (MODEL.md, "Optimisation"): per epoch, a seeded shuffle, mini-batches
 * through the fused kernel with dropout, Adam on weights (OneCycle) and on delay positions (cosine),
 * delays clamped to [0, Td], σ shrinking, then an evaluation with delays rounded to integers.
 *
 * <p>Determinism: every random draw is a pure function of (seed, epoch, batch), the kernels are
 * bit-identical for any thread count, and a checkpoint holds every piece of state (parameters,
 * Adam moments and step, batch-norm running statistics, history), so a resumed run ends with
 * exactly the bits of an uninterrupted one.
 */
public final class Trainer implements AutoCloseable {
    /** Per-epoch observer (progress, checkpoints). */
    public interface EpochListener {
        void epochDone(Trainer t, Map<String, Object> epochReport) throws IOException;
    }

    private final TrainConfig tc;
    private final Dataset.Split data;
    private final KernelOps ops;
    private final Parallel par;
    private final NetConfig trainCfg;
    private final SynapseLayer l1, l2;
    private final float[] gamma, beta, runMean, runVar;
    private final float[][] adam = new float[12][];
    private final NetworkKernel net;
    private final Gradients grads;
    /** Gradients with dL/dw for every pair (RigL's signal), used on RigL steps only. */
    private final Gradients gradsDense;
    private final Structure structure;
    private long adamStep;
    private int epochsDone;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private double trainSeconds;
    private long trainSamples;

    /** A fresh run: parameters initialised from the seed. */
    public Trainer(TrainConfig tc, Dataset.Split data, KernelOps ops) {
        this(tc, data, ops, null, null);
    }

    private Trainer(TrainConfig tc, Dataset.Split data, KernelOps ops, Container ckpt, Path ckptFile) {
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
        int nIn = c.inputs, nH = c.hidden, nOut = c.outputs, Td = c.maxDelay;
        boolean sparse = tc.sparsity > 0;
        boolean dense = tc.kernel.equals("dense") || (tc.kernel.equals("auto") && !sparse && trainCfg.delayMode == DelayMode.GAUSS);
        if (dense && (sparse || Structure.learnt(tc))) throw new IllegalArgumentException("--kernel dense cannot train a sparse network (--sparsity " + tc.sparsity + ")");
        boolean learnt = Structure.learnt(tc);
        if (learnt) dense = false;
        if (ckpt == null) {
            SplittableRandom r = new SplittableRandom(mix(tc.seed, -7, -7));
            float[] w1 = kaiming(r, nH * nIn, nIn), d1 = delays(r, nH * nIn, Td, !tc.learnDelays);
            float[] w2 = kaiming(r, nOut * nH, nH), d2 = delays(r, nOut * nH, Td, !tc.learnDelays);
            if (learnt) {
                this.structure = Structure.create(tc, w1, d1, w2, d2, nIn, nH, nOut, Td);
                this.l1 = structure.l1;
                this.l2 = structure.l2;
            } else {
                if (sparse) {
                    Structure.mask(r, w1, Structure.budget(tc.sparsity, nIn, nH));
                    Structure.mask(r, w2, Structure.budget(tc.sparsity, nH, nOut));
                }
                this.structure = null;
                this.l1 = dense ? new DenseSynapses(nIn, nH, Td, w1, d1) : CsrSynapses.fromDense(nIn, nH, Td, w1, d1);
                this.l2 = dense ? new DenseSynapses(nH, nOut, Td, w2, d2) : CsrSynapses.fromDense(nH, nOut, Td, w2, d2);
            }
            this.gamma = new float[nH];
            this.beta = new float[nH];
            this.runMean = new float[nH];
            this.runVar = new float[nH];
            Arrays.fill(gamma, 1f);
            Arrays.fill(runVar, 1f);
            int[] sizes = {l1.size(), l1.size(), l1.size(), l1.size(), l2.size(), l2.size(), l2.size(), l2.size(), nH, nH, nH, nH};
            for (int k = 0; k < 12; k++) adam[k] = new float[sizes[k]];
        } else {
            this.l1 = readLayer(ckpt, "l1", dense, nIn, nH, Td, ckptFile);
            this.l2 = readLayer(ckpt, "l2", dense, nH, nOut, Td, ckptFile);
            this.gamma = ckpt.floats("bn.gamma", nH, ckptFile).clone();
            this.beta = ckpt.floats("bn.beta", nH, ckptFile).clone();
            this.runMean = ckpt.floats("bn.mean", nH, ckptFile).clone();
            this.runVar = ckpt.floats("bn.var", nH, ckptFile).clone();
            int[] sizes = {l1.size(), l1.size(), l1.size(), l1.size(), l2.size(), l2.size(), l2.size(), l2.size(), nH, nH, nH, nH};
            for (int k = 0; k < 12; k++) adam[k] = ckpt.floats("adam." + k, sizes[k], ckptFile).clone();
            this.structure = learnt ? Structure.restore(tc, ckpt, ckptFile, (CsrSynapses) l1, (CsrSynapses) l2) : null;
        }
        if (structure != null) structure.attach(adam);
        this.net = new NetworkKernel(trainCfg, l1, l2, c.batchNorm ? gamma : null, c.batchNorm ? beta : null,
                c.batchNorm ? runMean : null, c.batchNorm ? runVar : null, ops, par);
        this.grads = new Gradients(net, false);
        this.gradsDense = structure != null && structure.mayNeedDenseGradient() ? new Gradients(net, true) : null;
    }

    static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 29);
    }

    /** Kaiming-uniform weights, bound √(6/fan_in) (MODEL.md). */
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

    /** The whole run's progress line (made by {@link #run}). */
    private Progress progress;

    public TrainConfig config() { return tc; }
    public int epochsDone() { return epochsDone; }
    public List<Map<String, Object>> history() { return history; }
    public double trainSamplesPerSecond() { return trainSeconds > 0 ? trainSamples / trainSeconds : 0; }

    /** Active synapses per layer. */
    public int[] activeSynapses() {
        return new int[] {countActive(l1), countActive(l2)};
    }

    private static int countActive(SynapseLayer l) {
        float[] w = l instanceof CsrSynapses ? ((CsrSynapses) l).weights() : ((DenseSynapses) l).weights();
        int c = 0;
        for (int q = 0; q < l.size(); q++) if (w[q] != 0f) c++;
        return c;
    }

    /** Trains until {@code tc.epochs} epochs are done. */
    public void run(EpochListener listener) throws IOException {
        long perEpoch = data.train.size / Math.min(tc.batch, data.train.size);
        progress = new Progress("train", tc.epochs * perEpoch, "batch", epochsDone * perEpoch);
        while (epochsDone < tc.epochs) {
            Map<String, Object> rep = epoch(epochsDone);
            epochsDone++;
            history.add(rep);
            if (listener != null) listener.epochDone(this, rep);
        }
    }

    /** The effective σ for an epoch (constant σ when the schedule is off). */
    double sigmaFor(int epoch) {
        return tc.sigmaSchedule ? Schedules.sigma(epoch, tc.epochs, trainCfg.maxDelay) : trainCfg.sigma;
    }

    private Map<String, Object> epoch(int epoch) {
        Dataset tr = data.train;
        int B = Math.min(tc.batch, tr.size);
        int batches = tr.size / B;
        int T = trainCfg.steps, C = trainCfg.inputs, nH = trainCfg.hidden;
        double lrW = Schedules.oneCycleLr(epoch, tc.epochs, tc.maxLr, tc.pctStart);
        double b1 = Schedules.oneCycleBeta1(epoch, tc.epochs, tc.pctStart, tc.beta1Base, tc.beta1Max);
        double lrD = Schedules.cosineLr(epoch, tc.epochs, tc.delayLr);
        double sigma = sigmaFor(epoch);
        net.setSigma((float) sigma);
        if (structure != null) structure.beginEpoch(epoch);
        int[] perm = Dataset.permutation(new SplittableRandom(mix(tc.seed, epoch, -1)), tr.size);
        float[] x = new float[B * T * C];
        int[] y = new int[B];
        float[] mask = tc.dropout > 0 ? new float[nH * B] : null;
        double lossSum = 0;
        long correct = 0;
        long t0 = System.nanoTime();
        if (progress != null) progress.stage(String.format("epoch %d/%d", epoch + 1, tc.epochs), (long) epoch * batches, batches);
        for (int bi = 0; bi < batches; bi++) {
            float scale = (float) tc.inputScale;
            for (int b = 0; b < B; b++) {
                int s = perm[bi * B + b];
                int src = s * T * C, dst = b * T * C;
                for (int q = 0; q < T * C; q++) x[dst + q] = tr.x[src + q] * scale;
                y[b] = tr.y[s];
            }
            if (mask != null) {
                SplittableRandom r = new SplittableRandom(mix(tc.seed, epoch, bi));
                float keep = (float) (1.0 / (1.0 - tc.dropout));
                for (int q = 0; q < mask.length; q++) mask[q] = r.nextDouble() < tc.dropout ? 0f : keep;
            }
            net.forward(x, B, true, mask);
            double loss = net.loss(y);
            if (!Double.isFinite(loss)) throw new IllegalStateException("training diverged: loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (bi + 1));
            lossSum += loss;
            correct += net.correct(y);
            Gradients g = gradsDense != null && structure.needsDenseGradientNow() ? gradsDense : grads;
            net.backward(y, g);
            optimiserStep(g, lrW, b1, lrD);
            if (progress != null) {
                progress.update((long) epoch * batches + bi + 1, String.format("loss %.4f acc %.3f", lossSum / (bi + 1), correct / (double) ((bi + 1) * B)));
            }
        }
        double epochTrainSecs = (System.nanoTime() - t0) / 1e9;
        trainSeconds += epochTrainSecs;
        trainSamples += (long) batches * B;
        double[] test = evaluate(data.test);
        Map<String, Object> rep = Json.object();
        rep.put("epoch", epoch + 1);
        rep.put("train_loss", lossSum / batches);
        rep.put("train_accuracy", correct / (double) (batches * B));
        rep.put("test_loss", test[0]);
        rep.put("test_accuracy", test[1]);
        rep.put("lr", lrW);
        rep.put("beta1", b1);
        rep.put("delay_lr", lrD);
        rep.put("sigma", trainCfg.delayMode == DelayMode.GAUSS ? sigma : null);
        rep.put("train_seconds", epochTrainSecs);
        rep.put("train_samples_per_second", batches * B / epochTrainSecs);
        int[] act = activeSynapses();
        rep.put("active_synapses", new int[] {act[0], act[1]});
        if (structure != null) rep.put("rewired", structure.rewiredAndReset());
        return rep;
    }

    private void optimiserStep(Gradients grads, double lrW, double b1, double lrD) {
        adamStep++;
        float[] w1 = weights(l1), w2 = weights(l2), d1 = delayArray(l1), d2 = delayArray(l2);
        if (structure != null) {
            structure.step(grads, lrW, b1, adamStep);
        } else {
            Adam.step(w1, grads.w1, adam[0], adam[1], l1.size(), adamStep, lrW, b1, Adam.BETA2, Adam.EPS);
            Adam.step(w2, grads.w2, adam[4], adam[5], l2.size(), adamStep, lrW, b1, Adam.BETA2, Adam.EPS);
        }
        if (tc.learnDelays && trainCfg.delayMode != DelayMode.INT) {
            Adam.step(d1, grads.d1, adam[2], adam[3], l1.size(), adamStep, lrD, 0.9, Adam.BETA2, Adam.EPS);
            Adam.step(d2, grads.d2, adam[6], adam[7], l2.size(), adamStep, lrD, 0.9, Adam.BETA2, Adam.EPS);
            clamp(d1, l1.size(), trainCfg.maxDelay);
            clamp(d2, l2.size(), trainCfg.maxDelay);
        }
        if (trainCfg.batchNorm) {
            Adam.step(gamma, grads.bnGamma, adam[8], adam[9], gamma.length, adamStep, lrW, b1, Adam.BETA2, Adam.EPS);
            Adam.step(beta, grads.bnBeta, adam[10], adam[11], beta.length, adamStep, lrW, b1, Adam.BETA2, Adam.EPS);
        }
        if (structure != null) structure.rewire(grads);
    }

    static void clamp(float[] d, int n, int maxDelay) {
        for (int q = 0; q < n; q++) {
            if (d[q] < 0f) d[q] = 0f;
            else if (d[q] > maxDelay) d[q] = maxDelay;
        }
    }

    static float[] weights(SynapseLayer l) {
        return l instanceof CsrSynapses ? ((CsrSynapses) l).weights() : ((DenseSynapses) l).weights();
    }

    static float[] delayArray(SynapseLayer l) {
        return l instanceof CsrSynapses ? ((CsrSynapses) l).delays() : ((DenseSynapses) l).delays();
    }

    /** The deployable model: delays rounded to integers, {@code int} kernels, running statistics. */
    public Model toModel(Map<String, Object> meta) {
        NetConfig evalCfg = trainCfg.toBuilder().delayMode(DelayMode.INT).build();
        CsrSynapses e1 = rounded(l1), e2 = rounded(l2);
        boolean bn = trainCfg.batchNorm;
        return new Model(evalCfg, e1, e2, bn ? gamma.clone() : null, bn ? beta.clone() : null, bn ? runMean.clone() : null,
                bn ? runVar.clone() : null, meta);
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

    // ---------------------------------------------------------------- checkpoints

    /** Writes a checkpoint atomically: every piece of state needed to continue bit-exactly. */
    public void saveCheckpoint(Path file, String dataFingerprint) throws IOException {
        Container c = new Container();
        c.header.put("kind", "myelin-checkpoint");
        c.header.put("train_config", tc.toMap());
        c.header.put("epochs_done", epochsDone);
        c.header.put("adam_step", adamStep);
        c.header.put("data", dataFingerprint);
        c.header.put("history", history);
        c.header.put("train_seconds", trainSeconds);
        c.header.put("train_samples", trainSamples);
        c.header.put("layer_kind", l1 instanceof DenseSynapses ? "dense" : "csr");
        putLayer(c, "l1", l1);
        putLayer(c, "l2", l2);
        c.arrays.put("bn.gamma", gamma);
        c.arrays.put("bn.beta", beta);
        c.arrays.put("bn.mean", runMean);
        c.arrays.put("bn.var", runVar);
        for (int k = 0; k < 12; k++) c.arrays.put("adam." + k, adam[k]);
        if (structure != null) structure.save(c);
        c.write(file, 'C');
    }

    private static void putLayer(Container c, String p, SynapseLayer l) {
        if (l instanceof DenseSynapses) {
            c.arrays.put(p + ".w", ((DenseSynapses) l).weights());
            c.arrays.put(p + ".d", ((DenseSynapses) l).delays());
        } else {
            CsrSynapses s = (CsrSynapses) l;
            int n = s.size();
            c.arrays.put(p + ".rowPtr", s.rowPtr());
            c.arrays.put(p + ".targets", Arrays.copyOf(s.targets(), n));
            c.arrays.put(p + ".w", Arrays.copyOf(s.weights(), n));
            c.arrays.put(p + ".d", Arrays.copyOf(s.delays(), n));
            c.arrays.put(p + ".pairDelays", s.pairDelays());
        }
    }

    private static SynapseLayer readLayer(Container c, String p, boolean dense, int pre, int post, int Td, Path file) {
        if (dense) {
            return new DenseSynapses(pre, post, Td, c.floats(p + ".w", post * pre, file), c.floats(p + ".d", post * pre, file));
        }
        int[] rowPtr = c.ints(p + ".rowPtr", pre + 1, file).clone();
        int n = rowPtr[pre];
        return CsrSynapses.of(pre, post, Td, rowPtr, c.ints(p + ".targets", n, file).clone(), c.floats(p + ".w", n, file).clone(),
                c.floats(p + ".d", n, file).clone(), c.floats(p + ".pairDelays", post * pre, file).clone());
    }

    /**
     * Continues a run from a checkpoint. The data must be the same (checked by fingerprint);
     * {@code threads} may differ (results are bit-identical for any thread count).
     */
    @SuppressWarnings("unchecked")
    public static Trainer resume(Path file, Dataset.Split data, String dataFingerprint, KernelOps ops, int threads) throws IOException {
        Container c = Container.read(file, 'C');
        Object tcm = c.header.get("train_config");
        if (!(tcm instanceof Map)) throw new IllegalArgumentException(file + ": checkpoint lacks its training configuration");
        TrainConfig tc = TrainConfig.fromMap((Map<String, Object>) tcm, file.toString());
        tc.threads = threads;
        Object fp = c.header.get("data");
        if (fp != null && !fp.equals(dataFingerprint)) {
            throw new IllegalArgumentException(file + ": checkpoint was made on other data (fingerprint " + fp + ", this data " + dataFingerprint + ")");
        }
        boolean dense = "dense".equals(c.header.get("layer_kind"));
        tc.kernel = dense ? "dense" : "csr";
        Trainer t = new Trainer(tc, data, ops, c, file);
        t.epochsDone = ((Number) c.header.get("epochs_done")).intValue();
        t.adamStep = ((Number) c.header.get("adam_step")).longValue();
        t.trainSeconds = ((Number) c.header.get("train_seconds")).doubleValue();
        t.trainSamples = ((Number) c.header.get("train_samples")).longValue();
        for (Object o : (List<Object>) c.header.get("history")) t.history.add((Map<String, Object>) o);
        return t;
    }

    /** Kernel choice used for training ({@code dense} or {@code csr}). */
    public String kernelKind() {
        return l1 instanceof DenseSynapses ? "dense" : "csr";
    }

    @Override
    public void close() {
        par.close();
    }
}
