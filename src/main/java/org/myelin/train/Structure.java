package org.myelin.train;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.myelin.io.Container;
import org.myelin.kernel.CsrSynapses;
import org.myelin.kernel.Gradients;

/**
 * The trainer's side of structure: the fixed random mask of a sparse network, and the hook through
 * which learnt structure (DEEP R / RigL, package {@code org.myelin.structure}) takes over the
 * weight update and rewires after each optimiser step.
 */
abstract class Structure {

    /**
     * Applies the initial structure to dense initial weights (post × pre) and returns the learner,
     * or null when the structure is fixed (a random mask of exactly K = ⌊(1 − sparsity)·N⌋ pairs
     * per layer, or dense).
     */
    static Structure create(TrainConfig tc, SplittableRandom r, float[] w1, float[] w2, int nIn, int nH, int nOut) {
        if (tc.structure.equals("fixed")) {
            if (tc.sparsity > 0) {
                mask(r, w1, budget(tc.sparsity, w1.length));
                mask(r, w2, budget(tc.sparsity, w2.length));
            }
            return null;
        }
        throw new IllegalArgumentException("--structure " + tc.structure + " is not available yet in this build");
    }

    static Structure restore(TrainConfig tc, Container c, Path file, int nIn, int nH, int nOut) {
        if (tc.structure.equals("fixed")) return null;
        throw new IllegalArgumentException(file + ": checkpoint uses --structure " + tc.structure + ", not available in this build");
    }

    /** K = ⌊(1 − sparsity)·N⌋, at least 1. */
    static int budget(double sparsity, int pairs) {
        return Math.max(1, (int) Math.floor((1 - sparsity) * pairs + 1e-9));
    }

    /** Keeps exactly k uniformly chosen entries of w, zeroing the rest. */
    static void mask(SplittableRandom r, float[] w, int k) {
        int[] p = Trainer.permutation(r, w.length);
        for (int q = k; q < w.length; q++) w[p[q]] = 0f;
    }

    abstract boolean needsDenseGradient();

    abstract void attach(CsrSynapses l1, CsrSynapses l2, float[][] adam);

    /** The weight update (replaces plain Adam on w). */
    abstract void step(Gradients g, double lr, double beta1, long adamStep, int epoch, int batch);

    /** Rewiring after the optimiser step. */
    abstract void rewire(Gradients g, int epoch, int batch, long adamStep);

    abstract void save(Container c);

    /** Synapses rewired since the last call, per layer. */
    abstract int[] rewiredAndReset();
}
