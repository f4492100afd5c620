package org.myelin.kernel;

/**
 * The input layer's synapse-by-synapse pull for a set of hidden neurons, run sixteen neurons at a
 * time in "lanes": the part of a {@link WindowSynapses} that is not vector cells (sparse blocks,
 * narrow vectors, long delay lines). Plain Java, so it runs the same on every JDK and width.
 *
 * <p><b>Why.</b> The plain pull ({@link WindowSynapses#pull}) walks one neuron's synapses at a time,
 * and at a few synapses per neuron (density 1/8 of 40 channels: 5 ± 2) the inner loop's exit is
 * mispredicted about once per neuron, which costs more than the multiply-adds. Here the neurons are
 * sorted by synapse count (descending, ties by index) and taken sixteen at a time; a group runs
 * {@code k = 0 … m − 1} (m: its largest count) with one accumulator per lane in a register, every
 * lane adding its k-th term, so the loop's trip count is the group's and the sixteen chains run
 * side by side. Measured on the paper's layer (BENCHMARKS.md, session 8): at density 0.125 0.59× the
 * plain pull's time on JDK 17; dense (what 128 and 256 bits run) 0.48× on JDK 17, 0.78× on JDK 25.
 *
 * <p><b>Layout.</b> Group g's terms are {@code term[grpPtr[g]·16 + 16·k + lane]}: history offset
 * {@code off} (relative to the slot, as {@link WindowSynapses#offsets()}) and weight {@code w}; lane
 * l's sum goes to {@code in[target[16·g + l]]}. A lane with fewer than m terms is padded with
 * weight 0 at offset {@code R} (channel 0's newest value, finite). A last group of fewer than
 * sixteen neurons repeats its last neuron in the empty lanes: the repeated lane computes the same
 * sum and stores the same value to the same place.
 *
 * <p><b>Same bits as the plain pull.</b> Each lane adds its neuron's terms in CSR order (ascending
 * channel) with a separate multiply and add, from +0. The padding terms come after them and add
 * 0·x = ±0 with x finite ({@link WindowSynapses#push}), which leaves any sum unchanged: a sum of
 * this form is never −0 (+0 + −0 = +0, and an exact cancellation rounds to +0), and a non-zero sum
 * plus ±0 is itself.
 */
final class Lanes {
    /** Neurons per group. */
    static final int WIDTH = 16;

    /** Group g's terms are term rows grpPtr[g] .. grpPtr[g+1]-1, 16 terms a row. */
    private final int[] grpPtr;
    /**
     * The term index after group g's last row, grpPtr[g+1]·16, and a last entry −1 (never reached):
     * where {@link #accumulate} stores a group.
     */
    private final int[] groupEnd;
    private final int[] off;
    private final float[] w;
    /** The hidden neuron of each lane, 16 per group. */
    private final int[] target;
    private final int neurons, terms;

    /**
     * Lanes for the given hidden neurons (distinct, any order) of layer l, whose per-synapse history
     * offsets are {@code synOff}.
     */
    Lanes(WindowSynapses l, int[] synOff, int[] hidden) {
        int n = hidden.length;
        neurons = n;
        // by synapse count, descending; ties by neuron index (a fixed order: the build is deterministic)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = hidden[i];
        java.util.Arrays.sort(order, (a, b) -> {
            int ca = l.ptr[a + 1] - l.ptr[a], cb = l.ptr[b + 1] - l.ptr[b];
            return ca != cb ? Integer.compare(cb, ca) : Integer.compare(a, b);
        });
        int ng = (n + WIDTH - 1) / WIDTH;
        grpPtr = new int[ng + 1];
        target = new int[ng * WIDTH];
        for (int g = 0; g < ng; g++) {
            for (int lane = 0; lane < WIDTH; lane++) target[g * WIDTH + lane] = order[Math.min(n - 1, g * WIDTH + lane)];
            int h = target[g * WIDTH];   // the group's first neuron has its largest count
            grpPtr[g + 1] = grpPtr[g] + (l.ptr[h + 1] - l.ptr[h]);
        }
        groupEnd = new int[ng + 1];
        for (int g = 0; g < ng; g++) groupEnd[g] = grpPtr[g + 1] * WIDTH;
        groupEnd[ng] = -1;
        int rows = grpPtr[ng];
        off = new int[rows * WIDTH];
        w = new float[rows * WIDTH];
        java.util.Arrays.fill(off, l.slots);
        int real = 0;
        for (int g = 0; g < ng; g++) {
            for (int lane = 0; lane < WIDTH; lane++) {
                int h = target[g * WIDTH + lane];
                boolean repeat = g * WIDTH + lane >= n;
                for (int k = l.ptr[h], q = (grpPtr[g] * WIDTH) + lane; k < l.ptr[h + 1]; k++, q += WIDTH) {
                    off[q] = synOff[k];
                    w[q] = l.w[k];
                    if (!repeat) real++;
                }
            }
        }
        terms = real;
    }

    /** Hidden neurons covered. */
    int neurons() {
        return neurons;
    }

    /** Term slots per step (synapses plus padding). */
    int slots() {
        return off.length;
    }

    /**
     * in[h] = Σ w·x for every covered neuron h (the history holds the frame pushed at {@code slot}).
     *
     * <p>One loop over all term rows of all groups, not a loop per group: a group has only a few
     * rows (5 ± 2 at density 0.125), and a loop entered once per group paid its entry cost (the
     * range-check predicates C2 places before a counted loop: 32 checks for the 16 lanes' weight
     * and offset arrays) sixteen times a step, more than the rows themselves on JDK 25
     * (BENCHMARKS.md, session 9). The group's sums are stored, and its accumulators reset, after
     * its last row; groups with no rows (neurons without synapses, sorted last) store zeros.
     */
    void accumulate(float[] hist, int slot, float[] in) {
        final int[] o = off, tg = target, ends = groupEnd;
        final float[] wt = w;
        final int ng = ends.length - 1;
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
        float a8 = 0f, a9 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f, a14 = 0f, a15 = 0f;
        int g = 0;
        int end = ends[0];
        for (int q = 0, n = o.length; q < n; q += WIDTH) {
            a0 = a0 + wt[q] * hist[slot + o[q]];
            a1 = a1 + wt[q + 1] * hist[slot + o[q + 1]];
            a2 = a2 + wt[q + 2] * hist[slot + o[q + 2]];
            a3 = a3 + wt[q + 3] * hist[slot + o[q + 3]];
            a4 = a4 + wt[q + 4] * hist[slot + o[q + 4]];
            a5 = a5 + wt[q + 5] * hist[slot + o[q + 5]];
            a6 = a6 + wt[q + 6] * hist[slot + o[q + 6]];
            a7 = a7 + wt[q + 7] * hist[slot + o[q + 7]];
            a8 = a8 + wt[q + 8] * hist[slot + o[q + 8]];
            a9 = a9 + wt[q + 9] * hist[slot + o[q + 9]];
            a10 = a10 + wt[q + 10] * hist[slot + o[q + 10]];
            a11 = a11 + wt[q + 11] * hist[slot + o[q + 11]];
            a12 = a12 + wt[q + 12] * hist[slot + o[q + 12]];
            a13 = a13 + wt[q + 13] * hist[slot + o[q + 13]];
            a14 = a14 + wt[q + 14] * hist[slot + o[q + 14]];
            a15 = a15 + wt[q + 15] * hist[slot + o[q + 15]];
            if (q + WIDTH == end) {
                int t = g * WIDTH;
                in[tg[t]] = a0;
                in[tg[t + 1]] = a1;
                in[tg[t + 2]] = a2;
                in[tg[t + 3]] = a3;
                in[tg[t + 4]] = a4;
                in[tg[t + 5]] = a5;
                in[tg[t + 6]] = a6;
                in[tg[t + 7]] = a7;
                in[tg[t + 8]] = a8;
                in[tg[t + 9]] = a9;
                in[tg[t + 10]] = a10;
                in[tg[t + 11]] = a11;
                in[tg[t + 12]] = a12;
                in[tg[t + 13]] = a13;
                in[tg[t + 14]] = a14;
                in[tg[t + 15]] = a15;
                a0 = 0f; a1 = 0f; a2 = 0f; a3 = 0f; a4 = 0f; a5 = 0f; a6 = 0f; a7 = 0f;
                a8 = 0f; a9 = 0f; a10 = 0f; a11 = 0f; a12 = 0f; a13 = 0f; a14 = 0f; a15 = 0f;
                end = ends[++g];
            }
        }
        for (int t = g * WIDTH; t < ng * WIDTH; t++) in[tg[t]] = 0f;
    }

    /** For describe(): "N hidden neurons in scalar lanes (S synapses in T term slots)". */
    String describe() {
        return neurons + " hidden neurons in scalar lanes (" + terms + " synapses in " + off.length + " term slots)";
    }
}
