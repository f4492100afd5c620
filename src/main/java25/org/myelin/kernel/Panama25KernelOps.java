package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK 25 {@link KernelOps} (compiled {@code --release 25} into {@code META-INF/versions/25} of
 * the multi-release jar; {@link KernelProvider} loads it by name on a JDK 25+ runtime). The base
 * Vector API kernels, with the engine's hot step replaced: the input layer
 * ({@link Panama25WindowSynapses}: native two-table permutes, accumulators in registers) and the
 * LIF step (the fired list straight from the spike mask's bits). The same bits as the base and the
 * scalar reference.
 */
final class Panama25KernelOps extends PanamaKernelOps {
    @Override
    public String name() {
        return super.name() + "-jdk25";
    }

    /** Int lanes of the float species (the fired list's indices). */
    private static final VectorSpecies<Integer> SI = S.withLanes(int.class);
    /** 0, 1, …, L − 1. */
    private static final IntVector IOTA = IntVector.zero(SI).addIndex(1);

    /**
     * As the base: u = β·u·(1 − S) + I (+ bias) with separate multiply and add, S = [u &gt; ϑ]. The
     * fired list comes from each vector's compare mask without a second pass over the spikes: at
     * 512 bits (16 lanes, AVX-512's {@code vpcompressd}) the lane indices are compressed by the mask
     * and stored whole, branch-free ({@code fired} past the count is scratch: the store writes up to
     * L entries at the count, within the n entries the caller provides); at narrower widths, where
     * compress is not one native instruction, from the mask as a bit set
     * ({@code VectorMask.toLong}), one branch per vector when no neuron in it fired. The bit loop
     * was the LIF step's largest cost at 512 bits: its exits are taken at random (≈ 1.2 spikes per
     * 16 neurons), one misprediction per vector.
     */
    @Override
    public int lifStep(int n, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired) {
        if (L == 16) return lifStepCompress(n, beta, thr, in, bias, u, s, fired);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0, nf = 0;
        for (; i + L <= n; i += L) {
            FloatVector cur = FloatVector.fromArray(S, in, i);
            if (bias != null) cur = cur.add(FloatVector.fromArray(S, bias, i));
            FloatVector v = FloatVector.fromArray(S, u, i).mul(beta).mul(one.sub(FloatVector.fromArray(S, s, i))).add(cur);
            v.intoArray(u, i);
            VectorMask<Float> m = v.compare(VectorOperators.GT, thr);
            zero.blend(one, m).intoArray(s, i);
            long bits = m.toLong();
            while (bits != 0) {
                fired[nf++] = i + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return DefaultKernelOps.lifStepRange(i, n, beta, thr, in, bias, u, s, fired, nf);
    }

    /** {@link #lifStep} at 16 lanes: the fired list by compressing the lane indices. */
    private static int lifStepCompress(int n, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0, nf = 0;
        for (; i + L <= n; i += L) {
            FloatVector cur = FloatVector.fromArray(S, in, i);
            if (bias != null) cur = cur.add(FloatVector.fromArray(S, bias, i));
            FloatVector v = FloatVector.fromArray(S, u, i).mul(beta).mul(one.sub(FloatVector.fromArray(S, s, i))).add(cur);
            v.intoArray(u, i);
            VectorMask<Float> m = v.compare(VectorOperators.GT, thr);
            zero.blend(one, m).intoArray(s, i);
            VectorMask<Integer> mi = m.cast(SI);
            IOTA.add(i).compress(mi).intoArray(fired, nf);
            nf += mi.trueCount();
        }
        return DefaultKernelOps.lifStepRange(i, n, beta, thr, in, bias, u, s, fired, nf);
    }

    @Override
    double cellCost() {
        return Panama25WindowSynapses.CELL_COST;
    }

    @Override
    double synapseCost() {
        return Panama25WindowSynapses.SYNAPSE_COST;
    }

    /** {@link Panama25WindowSynapses} in place of the base window (chosen as the base chooses). */
    @Override
    WindowSynapses windowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, WindowSynapses.Split split) {
        return new Panama25WindowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w, split);
    }
}
