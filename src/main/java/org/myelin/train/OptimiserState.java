package org.myelin.train;

import java.util.ArrayList;
import java.util.List;
import org.myelin.model.Model;

/**
 * Adam's state for every trained array, named after the parameter it belongs to (the names of
 * model and checkpoint files: {@code l1.weights}, {@code l1.delays}, … for each synapse layer,
 * {@code bn.gamma}, {@code bn.beta} for the batch norm of a network of one hidden layer, or
 * {@code bn1.gamma} … of several), and the step count. The per-synapse moments (layer weights and
 * delays) move with their synapses when learnt structure rewires. With learnt structure the
 * weight moments are those of the magnitudes θ.
 */
final class OptimiserState {
    /** Per synapse layer s = 0 … L: the moments of its weights and of its delays. */
    final List<Moments> weights = new ArrayList<>(), delays = new ArrayList<>();
    /** Per hidden layer k = 0 … L − 1: the moments of its batch norm's γ and β. */
    final List<Moments> bnGamma = new ArrayList<>(), bnBeta = new ArrayList<>();
    /** Steps taken (Adam's t; the next step is step + 1). */
    long step;
    /** Per synapse layer s: {weight m, weight v, delay m, delay v}, built once ({@link #perSynapse}). */
    private final float[][][] moved;

    /** Moments for synapse layers of the given parameter counts and hidden layers of the given widths, zero or from {@code source}. */
    OptimiserState(int[] layerSizes, int[] hiddenWidths, Source source) {
        int L = hiddenWidths.length;
        List<String> names = names(L);
        int q = 0;
        for (int s = 0; s <= L; s++) {
            weights.add(source.moments(names.get(q++), layerSizes[s]));
            delays.add(source.moments(names.get(q++), layerSizes[s]));
        }
        for (int k = 0; k < L; k++) {
            bnGamma.add(source.moments(names.get(q++), hiddenWidths[k]));
            bnBeta.add(source.moments(names.get(q++), hiddenWidths[k]));
        }
        moved = new float[L + 1][][];
        for (int s = 0; s <= L; s++) {
            Moments w = weights.get(s), d = delays.get(s);
            moved[s] = new float[][] {w.m, w.v, d.m, d.v};
        }
    }

    /** Where the moments of a named array of n values come from. */
    interface Source {
        Moments moments(String name, int n);

        Source ZERO = (name, n) -> new Moments(n);
    }

    /**
     * The parameter names of {@link #all()} for L hidden layers, in the same order (checkpoints
     * store adam.NAME.m and adam.NAME.v): each synapse layer's weights and delays, then each
     * hidden layer's γ and β — for L = 1 {@code l1.weights, l1.delays, l2.weights, l2.delays,
     * bn.gamma, bn.beta}.
     */
    static List<String> names(int L) {
        List<String> n = new ArrayList<>();
        for (int s = 0; s <= L; s++) {
            n.add(Model.layerName(s) + ".weights");
            n.add(Model.layerName(s) + ".delays");
        }
        for (int k = 0; k < L; k++) {
            n.add(Model.normName(k, L) + ".gamma");
            n.add(Model.normName(k, L) + ".beta");
        }
        return n;
    }

    /** The moments, in the order of {@link #names}. */
    List<Moments> all() {
        List<Moments> a = new ArrayList<>();
        for (int s = 0; s < weights.size(); s++) {
            a.add(weights.get(s));
            a.add(delays.get(s));
        }
        for (int k = 0; k < bnGamma.size(); k++) {
            a.add(bnGamma.get(k));
            a.add(bnBeta.get(k));
        }
        return a;
    }

    /** The arrays a rewiring of synapse layer {@code layer} (1-based) moves with its synapses: weight m, v, delay m, v. */
    float[][] perSynapse(int layer) {
        return moved[layer - 1];
    }
}
