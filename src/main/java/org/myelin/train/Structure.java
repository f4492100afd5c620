package org.myelin.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.myelin.io.Container;
import org.myelin.network.CsrSynapses;
import org.myelin.network.Gradients;
import org.myelin.network.NetConfig;
import org.myelin.network.Network;
import org.myelin.structure.Rewiring;
import org.myelin.structure.Signs;
import org.myelin.structure.SparseInit;

/**
 * Learnt structure in the trainer (docs/MODEL.md, "Structure learning"): each layer holds magnitudes
 * θ ≥ 0 with fixed signs s (Dale's law: one per presynaptic neuron), w = s·θ, an L1 penalty λ·Σθ,
 * and after every optimiser step {@link Rewiring} prunes θ ≤ 0 and regrows as many (DEEP R at
 * random, RigL by the most negative s·dL/dw), keeping K = ⌊(1 − sparsity)·N_pre·N_post⌋ synapses.
 *
 * <p>The Adam moments of θ and of the delays are the trainer's per-synapse arrays; they move with
 * their synapses. The rewiring RNG is re-seeded from (seed, epoch, layer) at the start of every
 * epoch, so a run resumed from a checkpoint draws exactly what the uninterrupted run drew.
 *
 * <p>Also holds the fixed random mask of a sparse network without structure learning.
 */
final class Structure {
    private final TrainConfig tc;
    /** Per synapse layer s = 0 … L (s = L the readout): signs, budget K, the layer, θ and dL/dθ. */
    private final Signs[] signs;
    private final int[] budget;
    final List<CsrSynapses> layers;
    private final float[][] theta, gTheta;
    private OptimiserState adam;
    private final Rewiring[] rewiring;
    private final int[] rewired;
    // sampled RigL (--rigl-candidates N): per layer the pair scores (NaN except the candidates); the
    // candidate list and their gradients, shared by the layers
    private final float[][] score;
    private final float[][] denseGrad;
    private int[] candidates;
    private float[] candidateGrad;
    private boolean[] taken;
    private SplittableRandom candidateRng;

    private Structure(TrainConfig tc, Signs[] signs, List<CsrSynapses> layers, float[][] theta) {
        int n = layers.size();
        this.tc = tc;
        this.signs = signs;
        this.layers = List.copyOf(layers);
        this.theta = theta;
        this.budget = new int[n];
        this.gTheta = new float[n][];
        for (int s = 0; s < n; s++) {
            budget[s] = layers.get(s).size();
            gTheta[s] = new float[budget[s]];
        }
        this.rewiring = new Rewiring[n];
        this.rewired = new int[n];
        this.score = new float[n][];
        this.denseGrad = new float[n][];
    }

    static boolean learnt(TrainConfig tc) {
        return tc.structure.learnt();
    }

    /** K = ⌊(1 − sparsity)·N_pre·N_post⌋ for a layer (the same budget fixed and learnt structure keep). */
    static int budget(double sparsity, int pre, int post) {
        int k = SparseInit.budget(sparsity, pre, post);
        if (k < 1) throw new IllegalArgumentException("--sparsity " + sparsity + " leaves no synapse in a " + pre + " → " + post + " layer");
        return k;
    }

    /** A fixed random mask: keeps exactly k uniformly chosen entries of w (post × pre), zeroing the rest. */
    static void mask(SplittableRandom r, float[] w, int k) {
        int[] p = org.myelin.data.Dataset.permutation(r, w.length);
        for (int q = k; q < w.length; q++) w[p[q]] = 0f;
    }

    /**
     * A fresh learnt structure from dense initial weights (their magnitudes) and pair delays of
     * every synapse layer s = 0 … L ({@code w[s]}, {@code d[s]}: post × pre); each layer gets its own
     * signs and budget. The seeds of layer s are those layer s + 1 had when there were two layers.
     */
    static Structure create(TrainConfig tc, float[][] w, float[][] d, NetConfig c) {
        int n = c.depth() + 1;
        Signs[] signs = new Signs[n];
        List<CsrSynapses> layers = new ArrayList<>();
        float[][] theta = new float[n][];
        for (int s = 0; s < n; s++) {
            int pre = c.width(s), post = c.width(s + 1);
            signs[s] = Signs.random(tc.dale, pre, post, Trainer.mix(tc.seed, -11, s + 1));
            CsrSynapses l = SparseInit.random(pre, post, c.maxDelay, signs[s], budget(tc.sparsity, pre, post), w[s], d[s],
                    new SplittableRandom(Trainer.mix(tc.seed, -12, s + 1)));
            layers.add(l);
            theta[s] = SparseInit.theta(l, signs[s]);
        }
        return new Structure(tc, signs, layers, theta);
    }

    /** The learnt structure of a checkpoint (its layers already read; layer s's arrays are {@code structure.signs<s+1>}, {@code structure.theta<s+1>}). */
    static Structure restore(TrainConfig tc, Container c, Path file, List<CsrSynapses> layers) {
        int n = layers.size();
        Signs[] signs = new Signs[n];
        float[][] theta = new float[n][];
        for (int s = 0; s < n; s++) {
            CsrSynapses l = layers.get(s);
            signs[s] = signs(tc.dale, c.floats("structure.signs" + (s + 1), -1, file), l.pre, l.post, file);
            theta[s] = c.floats("structure.theta" + (s + 1), l.size(), file).clone();
        }
        return new Structure(tc, signs, layers, theta);
    }

    private static Signs signs(boolean dale, float[] v, int pre, int post, Path file) {
        if (dale && v.length == pre) return Signs.ofPresynaptic(post, v);
        if (!dale && v.length == pre * post) return Signs.ofPairs(pre, post, v);
        throw new IllegalArgumentException(file + ": structure sign vector has " + v.length + " values, expected " + (dale ? pre : pre * post));
    }

    void save(Container c) {
        for (int s = 0; s < layers.size(); s++) {
            c.arrays.put("structure.signs" + (s + 1), signs[s].values());
            c.arrays.put("structure.theta" + (s + 1), java.util.Arrays.copyOf(theta[s], budget[s]));
        }
    }

    void attach(OptimiserState adam) {
        this.adam = adam;
    }

    /** Fresh rewiring state for an epoch (re-seeded, so resumed runs match). */
    void beginEpoch(int epoch) {
        Rewiring.Mode mode = tc.structure == StructureKind.RIGL ? Rewiring.Mode.RIGL : Rewiring.Mode.DEEPR;
        for (int s = 0; s < layers.size(); s++) {
            rewiring[s] = new Rewiring(layers.get(s), signs[s], budget[s], mode, new SplittableRandom(Trainer.mix(tc.seed, epoch, rewiringStream(s))),
                    tc.regrowEvery, Rewiring.Between.RANDOM);
        }
        candidateRng = new SplittableRandom(Trainer.mix(tc.seed, epoch, -23));
    }

    /** The RNG stream of layer s's rewiring in an epoch: −21, −22 (the one-layer network's), then −24, −25, … (−23 is the candidates'). */
    static int rewiringStream(int s) {
        return s < 2 ? -21 - s : -22 - s;
    }

    boolean mayNeedDenseGradient() {
        return tc.structure == StructureKind.RIGL && tc.riglCandidates == 0;
    }

    /** True when the coming update is a RigL update that reads the dense gradient (ask before the backward pass). */
    boolean needsDenseGradientNow() {
        if (tc.riglCandidates != 0) return false;
        for (Rewiring r : rewiring) if (r.needsDenseGradient()) return true;
        return false;
    }

    /**
     * Sampled RigL: scores for up to N distinct pairs drawn uniformly from the layer's dormant pairs
     * (as they were in the backward pass), dL/dw from the kernel for those pairs only; every other
     * pair scores NaN, which RigL ranks last (so the budget still holds when too few are negative).
     */
    private float[] sampledScores(Network net, int layer, CsrSynapses l, float[] score) {
        int pairs = l.pre * l.post;
        if (score == null) score = new float[pairs];
        if (taken == null || taken.length < pairs) taken = new boolean[pairs];
        java.util.Arrays.fill(score, Float.NaN);
        java.util.Arrays.fill(taken, 0, pairs, false);
        int[] rowPtr = l.rowPtr(), target = l.targets();
        for (int j = 0; j < l.pre; j++) for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) taken[target[s] * l.pre + j] = true;
        int dormant = pairs - l.size();
        int n = Math.min(tc.riglCandidates, dormant);
        if (candidates == null || candidates.length < n) {
            candidates = new int[n];
            candidateGrad = new float[n];
        }
        if (2 * n >= dormant) {
            // most of them: take the first n dormant pairs of a random order
            int[] perm = org.myelin.data.Dataset.permutation(candidateRng, pairs);
            int c = 0;
            for (int q = 0; q < pairs && c < n; q++) if (!taken[perm[q]]) candidates[c++] = perm[q];
        } else {
            for (int c = 0; c < n; ) {
                int q = candidateRng.nextInt(pairs);
                if (taken[q]) continue;
                taken[q] = true;
                candidates[c++] = q;
            }
        }
        net.pairWeightGradient(layer, candidates, n, candidateGrad);
        for (int c = 0; c < n; c++) score[candidates[c]] = candidateGrad[c];
        return score;
    }

    /** Adam on θ with dL/dθ = s·dL/dw + λ (replaces the plain weight update), every layer. */
    void step(Gradients g, double lr, double beta1, long adamStep) {
        for (int s = 0; s < layers.size(); s++) {
            Rewiring.thetaGradient(layers.get(s), signs[s], g.synapses(s).w, (float) tc.l1, gTheta[s]);
            Moments m = adam.weights.get(s);
            Adam.step(theta[s], gTheta[s], m.m, m.v, budget[s], adamStep, lr, beta1, Adam.BETA2, Adam.EPS);
        }
    }

    /**
     * Prunes and regrows every layer in place; writes w = s·θ. {@code net} has run this step's
     * backward pass. Every layer's sampled scores are taken before any layer is rewired.
     */
    void rewire(Gradients g, Network net) {
        int n = layers.size();
        for (int s = 0; s < n; s++) {
            denseGrad[s] = g.synapses(s).wDense;
            if (tc.riglCandidates > 0 && rewiring[s].needsDenseGradient()) denseGrad[s] = score[s] = sampledScores(net, s + 1, layers.get(s), score[s]);
        }
        for (int s = 0; s < n; s++) rewired[s] += rewiring[s].update(theta[s], adam.perSynapse(s + 1), denseGrad[s]);
    }

    int[] rewiredAndReset() {
        int[] r = rewired.clone();
        java.util.Arrays.fill(rewired, 0);
        return r;
    }
}
