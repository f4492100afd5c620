package org.myelin.train;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.myelin.io.Container;
import org.myelin.network.CsrSynapses;
import org.myelin.network.Gradients;
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
    private final Signs s1, s2;
    private final int k1, k2;
    final CsrSynapses l1, l2;
    private final float[] theta1, theta2, gTheta1, gTheta2;
    private OptimiserState adam;
    private Rewiring rw1, rw2;
    private final int[] rewired = new int[2];
    // sampled RigL (--rigl-candidates N): pair scores (NaN except the candidates), the list, their gradients
    private float[] score1, score2;
    private int[] candidates;
    private float[] candidateGrad;
    private boolean[] taken;
    private SplittableRandom candidateRng;

    private Structure(TrainConfig tc, Signs s1, Signs s2, CsrSynapses l1, CsrSynapses l2, float[] theta1, float[] theta2) {
        this.tc = tc;
        this.s1 = s1;
        this.s2 = s2;
        this.l1 = l1;
        this.l2 = l2;
        this.k1 = l1.size();
        this.k2 = l2.size();
        this.theta1 = theta1;
        this.theta2 = theta2;
        this.gTheta1 = new float[k1];
        this.gTheta2 = new float[k2];
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

    /** A fresh learnt structure from dense initial weights (their magnitudes) and pair delays. */
    static Structure create(TrainConfig tc, float[] w1, float[] d1, float[] w2, float[] d2, int nIn, int nH, int nOut, int maxDelay) {
        Signs s1 = Signs.random(tc.dale, nIn, nH, Trainer.mix(tc.seed, -11, 1));
        Signs s2 = Signs.random(tc.dale, nH, nOut, Trainer.mix(tc.seed, -11, 2));
        int k1 = budget(tc.sparsity, nIn, nH), k2 = budget(tc.sparsity, nH, nOut);
        CsrSynapses l1 = SparseInit.random(nIn, nH, maxDelay, s1, k1, w1, d1, new SplittableRandom(Trainer.mix(tc.seed, -12, 1)));
        CsrSynapses l2 = SparseInit.random(nH, nOut, maxDelay, s2, k2, w2, d2, new SplittableRandom(Trainer.mix(tc.seed, -12, 2)));
        return new Structure(tc, s1, s2, l1, l2, SparseInit.theta(l1, s1), SparseInit.theta(l2, s2));
    }

    /** The learnt structure of a checkpoint (its layers already read). */
    static Structure restore(TrainConfig tc, Container c, Path file, CsrSynapses l1, CsrSynapses l2) {
        Signs s1 = signs(tc.dale, c.floats("structure.signs1", -1, file), l1.pre, l1.post, file);
        Signs s2 = signs(tc.dale, c.floats("structure.signs2", -1, file), l2.pre, l2.post, file);
        return new Structure(tc, s1, s2, l1, l2, c.floats("structure.theta1", l1.size(), file).clone(),
                c.floats("structure.theta2", l2.size(), file).clone());
    }

    private static Signs signs(boolean dale, float[] v, int pre, int post, Path file) {
        if (dale && v.length == pre) return Signs.ofPresynaptic(post, v);
        if (!dale && v.length == pre * post) return Signs.ofPairs(pre, post, v);
        throw new IllegalArgumentException(file + ": structure sign vector has " + v.length + " values, expected " + (dale ? pre : pre * post));
    }

    void save(Container c) {
        c.arrays.put("structure.signs1", s1.values());
        c.arrays.put("structure.signs2", s2.values());
        c.arrays.put("structure.theta1", java.util.Arrays.copyOf(theta1, k1));
        c.arrays.put("structure.theta2", java.util.Arrays.copyOf(theta2, k2));
    }

    void attach(OptimiserState adam) {
        this.adam = adam;
    }

    /** Fresh rewiring state for an epoch (re-seeded, so resumed runs match). */
    void beginEpoch(int epoch) {
        Rewiring.Mode mode = tc.structure == StructureKind.RIGL ? Rewiring.Mode.RIGL : Rewiring.Mode.DEEPR;
        rw1 = new Rewiring(l1, s1, k1, mode, new SplittableRandom(Trainer.mix(tc.seed, epoch, -21)), tc.regrowEvery, Rewiring.Between.RANDOM);
        rw2 = new Rewiring(l2, s2, k2, mode, new SplittableRandom(Trainer.mix(tc.seed, epoch, -22)), tc.regrowEvery, Rewiring.Between.RANDOM);
        candidateRng = new SplittableRandom(Trainer.mix(tc.seed, epoch, -23));
    }

    boolean mayNeedDenseGradient() {
        return tc.structure == StructureKind.RIGL && tc.riglCandidates == 0;
    }

    /** True when the coming update is a RigL update that reads the dense gradient (ask before the backward pass). */
    boolean needsDenseGradientNow() {
        return tc.riglCandidates == 0 && (rw1.needsDenseGradient() || rw2.needsDenseGradient());
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

    /** Adam on θ with dL/dθ = s·dL/dw + λ (replaces the plain weight update). */
    void step(Gradients g, double lr, double beta1, long adamStep) {
        Rewiring.thetaGradient(l1, s1, g.synapses(0).w, (float) tc.l1, gTheta1);
        Rewiring.thetaGradient(l2, s2, g.readout().w, (float) tc.l1, gTheta2);
        Adam.step(theta1, gTheta1, adam.weights.get(0).m, adam.weights.get(0).v, k1, adamStep, lr, beta1, Adam.BETA2, Adam.EPS);
        Adam.step(theta2, gTheta2, adam.weights.get(1).m, adam.weights.get(1).v, k2, adamStep, lr, beta1, Adam.BETA2, Adam.EPS);
    }

    /** Prunes and regrows both layers in place; writes w = s·θ. {@code net} has run this step's backward pass. */
    void rewire(Gradients g, Network net) {
        float[] dg1 = g.synapses(0).wDense, dg2 = g.readout().wDense;
        if (tc.riglCandidates > 0) {
            if (rw1.needsDenseGradient()) dg1 = score1 = sampledScores(net, 1, l1, score1);
            if (rw2.needsDenseGradient()) dg2 = score2 = sampledScores(net, 2, l2, score2);
        }
        rewired[0] += rw1.update(theta1, adam.perSynapse(1), dg1);
        rewired[1] += rw2.update(theta2, adam.perSynapse(2), dg2);
    }

    int[] rewiredAndReset() {
        int[] r = rewired.clone();
        rewired[0] = 0;
        rewired[1] = 0;
        return r;
    }
}
