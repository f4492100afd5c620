package org.myelin.train;

/**
 * Adam's state for every trained array, named after the parameter it belongs to (the names of
 * model and checkpoint files: {@code l1.weights}, {@code l1.delays}, {@code l2.weights},
 * {@code l2.delays}, {@code bn.gamma}, {@code bn.beta}), and the step count. The per-synapse
 * moments (layer weights and delays) move with their synapses when learnt structure rewires.
 * With learnt structure the weight moments are those of the magnitudes θ.
 */
final class OptimiserState {
    final Moments l1Weights, l1Delays, l2Weights, l2Delays, bnGamma, bnBeta;
    /** Steps taken (Adam's t; the next step is step + 1). */
    long step;

    OptimiserState(Moments l1Weights, Moments l1Delays, Moments l2Weights, Moments l2Delays, Moments bnGamma, Moments bnBeta) {
        this.l1Weights = l1Weights;
        this.l1Delays = l1Delays;
        this.l2Weights = l2Weights;
        this.l2Delays = l2Delays;
        this.bnGamma = bnGamma;
        this.bnBeta = bnBeta;
    }

    /** Zero moments for layers of n1 and n2 parameters and nH hidden neurons. */
    static OptimiserState zero(int n1, int n2, int nH) {
        return new OptimiserState(new Moments(n1), new Moments(n1), new Moments(n2), new Moments(n2), new Moments(nH), new Moments(nH));
    }

    /** The parameter names of {@link #all()}, in the same order (checkpoints store adam.NAME.m and adam.NAME.v). */
    static final java.util.List<String> NAMES = java.util.List.of("l1.weights", "l1.delays", "l2.weights", "l2.delays", "bn.gamma", "bn.beta");

    /** The moments, in the order of {@link #NAMES}. */
    Moments[] all() {
        return new Moments[] {l1Weights, l1Delays, l2Weights, l2Delays, bnGamma, bnBeta};
    }

    /** The arrays a rewiring of layer 1 (or 2) moves with its synapses: weight m, v, delay m, v. */
    float[][] perSynapse(int layer) {
        Moments w = layer == 1 ? l1Weights : l2Weights, d = layer == 1 ? l1Delays : l2Delays;
        return new float[][] {w.m, w.v, d.m, d.v};
    }
}
