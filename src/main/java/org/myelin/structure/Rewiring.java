package org.myelin.structure;

import java.util.SplittableRandom;
import org.myelin.network.CsrSynapses;

/**
 * Structure learning of one sparse layer (docs/MODEL.md, "Structure learning: DEEP R + RigL"): after every
 * optimiser step, synapses whose magnitude θ went ≤ 0 are removed and as many dormant pairs are
 * connected, so the layer always holds exactly K synapses.
 *
 * <h2>How the trainer calls it</h2>
 * <pre>{@code
 * // per step, per layer (θ, the Adam moments of θ and of the delays: float[K] each, CSR order):
 * boolean dense = rewiring.needsDenseGradient();    // before backward: ask the kernel for dL/dw of every pair
 * ... forward, backward (dense gradient into gDense when requested) ...
 * Rewiring.thetaGradient(layer, signs, gradW, lambda, gradTheta);   // dL/dθ = s·dL/dw + λ
 * ... optimiser updates theta (and delays; delays clamped to [0, Td]) ...
 * rewiring.update(theta, new float[][] {adamM, adamV, delayM, delayV, ...}, dense ? gDense : null);
 * }</pre>
 * {@code update} also writes w = s · θ into the layer, so the trainer never writes weights itself.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A synapse is removed when {@code !(θ > 0)}: θ ≤ 0, and also θ = NaN.</li>
 *   <li>A pair removed in this very step is dormant when the new pairs are chosen, so it may be
 *       regrown at once (as the paper's ArgTopK over θ ≤ 0 after the step, and DEEP R's reactivation,
 *       allow). Regrown, it restarts like any new synapse: θ = 1e-12, zero in every companion array,
 *       its stored delay (the one it had when it was removed). This also makes a dense layer
 *       (K = pre · post, no dormant pair) work: removed synapses come straight back, reset.</li>
 *   <li>DEEP R: the new pairs are a uniformly random subset of the dormant pairs.</li>
 *   <li>RigL: the new pairs are the r dormant pairs with the smallest score s · dL/dw (the most
 *       negative dL/dθ at θ = 0), ties broken by the smaller pair index i·pre + j (i postsynaptic, j presynaptic), NaN scores
 *       ranking last. The budget must hold, so when fewer than r scores are negative, pairs with
 *       zero or positive scores are connected too.</li>
 *   <li>RigL's cost: {@code interval = 1} is the paper's form (dense gradient every step). With
 *       {@code interval = n > 1}, only every n-th update (the first, the (n+1)-th, …) is a RigL
 *       update and needs the dense gradient; in between, {@link Between#RANDOM} replaces pruned
 *       synapses at random (DEEP R), so the budget holds at every step, while {@link Between#DEFER}
 *       removes nothing: a synapse with θ ≤ 0 stays in the structure with w = s · max(θ, 0) = 0, keeps
 *       training and may recover, and is removed at the next RigL update if θ is still ≤ 0.</li>
 *   <li>The delay of a removed synapse is written into the layer's pair-delay matrix, so the pair
 *       keeps its delay position while dormant. In RigL mode every update also writes the delays of
 *       all present synapses there, so the dense gradient of the next step is taken at current
 *       delays (a pair removed at that step is scored at the delay it actually had). DEEP R never
 *       reads the stored delay of a present pair, and skips these strided writes.</li>
 * </ul>
 *
 * <h2>Layout and the in-place algorithm</h2>
 * The layer is CSR over presynaptic rows: row j holds synapses rowPtr[j] .. rowPtr[j+1]−1 with
 * strictly ascending targets, i.e. synapses are sorted by the key j·post + i. Per-synapse arrays
 * (targets, weights, delays, θ and every companion array) share that order. A bit set over pair
 * indices i·pre + j marks the present pairs (allocated once). One update, with r removals:
 * <ol>
 *   <li>Forward compaction: walk the rows; a synapse with θ ≤ 0 is dropped (its delay saved, its bit
 *       cleared), a kept one is copied to the next free slot (never to the right of where it was, so
 *       a forward walk never overwrites an unread entry), with w = s·θ written; rowPtr is rewritten
 *       to the compacted rows as the walk goes. Slots K−r .. K−1 are now free.</li>
 *   <li>Selection of r dormant pairs (bits set as they are chosen, so no pair is chosen twice), then
 *       their keys are sorted (O(r log r)).</li>
 *   <li>Backward merge, as merging two sorted lists into the tail of an array: from slot K−1 down,
 *       each slot takes the larger key of the last unplaced kept synapse and the last unplaced new
 *       pair. Kept synapses only move right here, and the write slot is always at or right of the
 *       read slot, so walking backwards never overwrites an unread entry. It stops as soon as all new
 *       pairs are placed (the kept synapses left of that point are already in their slots).</li>
 *   <li>rowPtr[j+1] += number of new pairs in rows ≤ j.</li>
 * </ol>
 * Work is O(K + r log r) for DEEP R (plus a scan of the bit set when dormant pairs are few) and
 * O(K + pre·post + r log r) for RigL (a bounded heap of size r over the dense scores). Scratch
 * buffers are kept and grown, so the steady state allocates nothing; the layer's arrays are never
 * replaced.
 */
public final class Rewiring {
    /** Regrowth rule. */
    public enum Mode {
        /** Random regrowth among the dormant pairs. */
        DEEPR,
        /** Regrowth of the dormant pairs with the most negative s · dL/dw. */
        RIGL
    }

    /** What RigL with an interval > 1 does on the updates between RigL updates. */
    public enum Between {
        /** Remove synapses with θ ≤ 0 and regrow at random (DEEP R); the budget holds every step. */
        RANDOM,
        /** Remove nothing until the next RigL update; synapses with θ ≤ 0 carry w = 0 meanwhile. */
        DEFER
    }

    /** θ of a newly connected synapse. */
    public static final float NEW_THETA = 1e-12f;

    private final CsrSynapses layer;
    private final Signs signs;
    private final int budget;
    private final Mode mode;
    private final SplittableRandom rng;
    private final int interval;
    private final Between between;
    private final int pre;
    private final int post;
    private final int pairs;
    /** Bit p set when pair p = i*pre + j has a synapse. */
    private final long[] present;

    private long updates;
    private int lastRemoved;
    private int lastAdded;
    private long totalRemoved;
    private long totalAdded;

    // scratch, grown on demand and kept
    private int[] chosen = new int[0];
    private float[] heapScore = new float[0];
    private int[] dormantList = new int[0];

    /** Rewiring every step; RigL (if chosen) uses the dense gradient at every update. */
    public Rewiring(CsrSynapses layer, Signs signs, int budget, Mode mode, SplittableRandom rng) {
        this(layer, signs, budget, mode, rng, 1, Between.RANDOM);
    }

    /**
     * @param layer the layer, holding exactly {@code budget} synapses whose weights carry their signs
     *     (s · w > 0) and with a pair-delay matrix; edited in place by {@link #update}
     * @param budget K, the number of synapses the layer keeps
     * @param rng the source of DEEP R's random choices (seeded by the caller)
     * @param interval RigL only: a RigL update every {@code interval} updates (1 = every update)
     * @param between RigL with interval > 1: what the updates in between do
     */
    public Rewiring(CsrSynapses layer, Signs signs, int budget, Mode mode, SplittableRandom rng, int interval, Between between) {
        SparseInit.checkSigns(signs, layer.pre, layer.post);
        if (mode == null || rng == null || between == null) throw new NullPointerException("mode, rng and between are required");
        if (interval < 1) throw new IllegalArgumentException("RigL interval must be ≥ 1, got " + interval);
        if (layer.pairDelays() == null) throw new IllegalArgumentException("the layer keeps no pair delays");
        this.layer = layer;
        this.signs = signs;
        this.mode = mode;
        this.rng = rng;
        this.interval = interval;
        this.between = between;
        this.pre = layer.pre;
        this.post = layer.post;
        this.pairs = pre * post;
        if (budget < 0 || budget > pairs) throw new IllegalArgumentException("budget " + budget + " is outside [0, " + pairs + "]");
        if (layer.size() != budget) throw new IllegalArgumentException("the layer holds " + layer.size() + " synapses, not the budget " + budget);
        this.budget = budget;
        layer.validate();
        this.present = new long[(pairs + 63) >>> 6];
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        float[] w = layer.weights();
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int i = target[s];
                if (!(signs.sign(i, j) * w[s] > 0f)) {
                    throw new IllegalArgumentException("synapse " + s + " (pre " + j + ", post " + i + ") has weight " + w[s] + " against its sign " + signs.sign(i, j));
                }
                set(i * pre + j);
            }
        }
    }

    /** True when the next {@link #update} is a RigL update and needs the dense gradient. */
    public boolean needsDenseGradient() {
        return mode == Mode.RIGL && updates % interval == 0;
    }

    /**
     * Rewires the layer after an optimiser step and writes w = s · θ for every synapse.
     *
     * @param theta magnitudes per synapse, CSR order (length ≥ K), already updated by the optimiser;
     *     moved with the synapses, 1e-12 for new ones
     * @param companions per-synapse arrays that move with the synapses (optimiser moments, gradients,
     *     …; each of length ≥ K, distinct from θ and from each other); zero for new synapses. May be null.
     * @param denseGrad dL/dw of every pair, post × pre (index i*pre + j), at the pair's stored delay;
     *     required when {@link #needsDenseGradient()} was true before this call, ignored otherwise
     * @return the number of synapses replaced (removed = added)
     */
    public int update(float[] theta, float[][] companions, float[] denseGrad) {
        float[][] comp = companions == null ? new float[0][] : companions;
        if (theta.length < budget) throw new IllegalArgumentException("θ has " + theta.length + " values, fewer than the budget " + budget);
        for (int c = 0; c < comp.length; c++) {
            if (comp[c].length < budget) throw new IllegalArgumentException("companion array " + c + " has " + comp[c].length + " values, fewer than " + budget);
            if (comp[c] == theta) throw new IllegalArgumentException("companion array " + c + " is θ itself");
            for (int e = 0; e < c; e++) if (comp[e] == comp[c]) throw new IllegalArgumentException("companion arrays " + e + " and " + c + " are the same array");
        }
        boolean rigl = needsDenseGradient();
        if (rigl && (denseGrad == null || denseGrad.length != pairs)) {
            throw new IllegalArgumentException("a RigL update needs the dense gradient of all " + pairs + " pairs" + (denseGrad == null ? "" : ", got " + denseGrad.length));
        }
        updates++;
        if (mode == Mode.RIGL && !rigl && between == Between.DEFER) {
            refreshWithoutRemoval(theta);
            lastRemoved = 0;
            lastAdded = 0;
            return 0;
        }
        int kept = compact(theta, comp);
        int r = budget - kept;
        if (r > 0) {
            if (chosen.length < r) chosen = new int[Math.max(r, Math.min(budget, 2 * chosen.length))];
            if (rigl) chooseByGradient(r, denseGrad);
            else chooseRandom(r, pairs - kept);
            // pair index i*pre + j → CSR key j*post + i, sorted
            for (int m = 0; m < r; m++) {
                int p = chosen[m];
                chosen[m] = (p % pre) * post + p / pre;
            }
            heapSort(chosen, r);
            merge(kept, r, theta, comp);
        }
        lastRemoved = r;
        lastAdded = r;
        totalRemoved += r;
        totalAdded += r;
        return r;
    }

    /**
     * Step 1: drop synapses with θ ≤ 0 (saving their delays as the pairs' stored delays), shift the
     * kept ones left, write w. In RigL mode the delays of kept synapses are saved too. Returns the
     * kept count.
     */
    private int compact(float[] theta, float[][] comp) {
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        float[] w = layer.weights();
        float[] d = layer.delays();
        float[] pairDelay = layer.pairDelays();
        boolean syncAll = mode == Mode.RIGL;
        int out = 0;
        int start = 0;
        for (int j = 0; j < pre; j++) {
            int end = rowPtr[j + 1];
            for (int s = start; s < end; s++) {
                int i = target[s];
                float th = theta[s];
                if (!(th > 0f)) {
                    int p = i * pre + j;
                    pairDelay[p] = d[s];
                    clear(p);
                    continue;
                }
                if (syncAll) pairDelay[i * pre + j] = d[s];
                if (out != s) {
                    target[out] = i;
                    d[out] = d[s];
                    theta[out] = th;
                    for (float[] c : comp) c[out] = c[s];
                }
                w[out] = signs.sign(i, j) * th;
                out++;
            }
            start = end;
            rowPtr[j + 1] = out;
        }
        return out;
    }

    /** Steps 3–4: merge the r sorted new keys in {@code chosen} into the compacted synapses, from the back. */
    private void merge(int kept, int r, float[] theta, float[][] comp) {
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        float[] w = layer.weights();
        float[] d = layer.delays();
        float[] pairDelay = layer.pairDelays();
        int q = kept - 1;     // last unplaced kept synapse
        int a = r - 1;        // last unplaced new key
        int slot = kept + r - 1;
        int j = pre - 1;      // row of synapse q (compacted rowPtr)
        while (a >= 0) {
            int keyNew = chosen[a];
            int keyOld = -1;
            if (q >= 0) {
                while (rowPtr[j] > q) j--;
                keyOld = j * post + target[q];
            }
            if (keyOld > keyNew) {
                target[slot] = target[q];
                w[slot] = w[q];
                d[slot] = d[q];
                theta[slot] = theta[q];
                for (float[] c : comp) c[slot] = c[q];
                q--;
            } else {
                int jn = keyNew / post;
                int in = keyNew - jn * post;
                target[slot] = in;
                w[slot] = signs.sign(in, jn) * NEW_THETA;
                d[slot] = pairDelay[in * pre + jn];
                theta[slot] = NEW_THETA;
                for (float[] c : comp) c[slot] = 0f;
                a--;
            }
            slot--;
        }
        int added = 0;
        int m = 0;
        for (int row = 0; row < pre; row++) {
            while (m < r && chosen[m] / post == row) {
                added++;
                m++;
            }
            rowPtr[row + 1] += added;
        }
    }

    /** DEEP R: r distinct pairs uniformly among the {@code dormant} pairs without a synapse, into chosen[0..r). */
    private void chooseRandom(int r, int dormant) {
        // Rejection sampling costs about r · pairs / (dormant − r + 1) draws; use it when that is ≤ 4r.
        if (4L * (dormant - r + 1) >= pairs) {
            // each draw succeeds with probability ≥ 1/4; the cap only turns a corrupted bit set into an error
            long cap = 64L * r + 4096;
            for (int m = 0; m < r; m++) {
                int p;
                do {
                    if (--cap < 0) throw new IllegalStateException("no dormant pair found: the bit set disagrees with the layer");
                    p = rng.nextInt(pairs);
                } while (has(p));
                set(p);
                chosen[m] = p;
            }
            return;
        }
        // Few dormant pairs: list them all (a scan of the bit set) and take a partial Fisher–Yates.
        if (dormantList.length < dormant) dormantList = new int[dormant];
        int n = 0;
        for (int word = 0; word < present.length; word++) {
            long free = ~present[word];
            while (free != 0) {
                int p = (word << 6) + Long.numberOfTrailingZeros(free);
                if (p >= pairs) break;
                dormantList[n++] = p;
                free &= free - 1;
            }
        }
        if (n != dormant) throw new IllegalStateException("bit set holds " + n + " dormant pairs, expected " + dormant);
        for (int m = 0; m < r; m++) {
            int u = m + rng.nextInt(n - m);
            int p = dormantList[u];
            dormantList[u] = dormantList[m];
            dormantList[m] = p;
            set(p);
            chosen[m] = p;
        }
    }

    /**
     * RigL: the r dormant pairs with the smallest (score, pair index), score = s · dL/dw (NaN last),
     * into chosen[0..r), via a bounded max-heap whose root is the worst pair kept so far.
     */
    private void chooseByGradient(int r, float[] g) {
        if (heapScore.length < r) heapScore = new float[chosen.length];
        int size = 0;
        // pairs in ascending index order: a pair whose score equals the root's ranks after it
        for (int i = 0, p = 0; i < post; i++) {
            for (int j = 0; j < pre; j++, p++) {
                if (has(p)) continue;
                float sc = signs.sign(i, j) * g[p];
                sc = sc != sc ? Float.POSITIVE_INFINITY : sc + 0f;   // NaN last; −0 ties with +0
                if (size < r) {
                    // sift up
                    int c = size++;
                    while (c > 0) {
                        int parent = (c - 1) >>> 1;
                        if (!worse(sc, p, heapScore[parent], chosen[parent])) break;
                        heapScore[c] = heapScore[parent];
                        chosen[c] = chosen[parent];
                        c = parent;
                    }
                    heapScore[c] = sc;
                    chosen[c] = p;
                } else if (sc < heapScore[0]) {
                    // replace the root (the worst kept), sift down
                    int c = 0;
                    while (true) {
                        int l = 2 * c + 1;
                        if (l >= size) break;
                        int rr = l + 1;
                        int big = (rr < size && worse(heapScore[rr], chosen[rr], heapScore[l], chosen[l])) ? rr : l;
                        if (!worse(heapScore[big], chosen[big], sc, p)) break;
                        heapScore[c] = heapScore[big];
                        chosen[c] = chosen[big];
                        c = big;
                    }
                    heapScore[c] = sc;
                    chosen[c] = p;
                }
            }
        }
        if (size != r) throw new IllegalStateException("found " + size + " dormant pairs, needed " + r);
        for (int m = 0; m < r; m++) set(chosen[m]);
    }

    /** True when (sa, pa) ranks after (sb, pb): larger score, or equal score and larger index. */
    private static boolean worse(float sa, int pa, float sb, int pb) {
        return sa > sb || (sa == sb && pa > pb);
    }

    /** RigL between updates with DEFER: no structural change; w = s · max(θ, 0), delays saved. */
    private void refreshWithoutRemoval(float[] theta) {
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        float[] w = layer.weights();
        float[] d = layer.delays();
        float[] pairDelay = layer.pairDelays();
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int i = target[s];
                pairDelay[i * pre + j] = d[s];
                float th = theta[s];
                w[s] = th > 0f ? signs.sign(i, j) * th : 0f;
            }
        }
    }

    private boolean has(int p) {
        return (present[p >>> 6] & (1L << p)) != 0;
    }

    private void set(int p) {
        present[p >>> 6] |= 1L << p;
    }

    private void clear(int p) {
        present[p >>> 6] &= ~(1L << p);
    }

    /**
     * L1 regularisation λ · Σθ folded into the magnitude gradient: dL/dθ = s · dL/dw + λ for every
     * synapse (CSR order). {@code out} may be {@code dLdw} itself.
     */
    public static void thetaGradient(CsrSynapses layer, Signs signs, float[] dLdw, float lambda, float[] out) {
        SparseInit.checkSigns(signs, layer.pre, layer.post);
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        int k = layer.size();
        if (dLdw.length < k || out.length < k) throw new IllegalArgumentException("gradient arrays shorter than the " + k + " synapses");
        for (int j = 0; j < layer.pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) out[s] = signs.sign(target[s], j) * dLdw[s] + lambda;
        }
    }

    /** Default L1 strength λ of docs/MODEL.md. */
    public static final float DEFAULT_L1 = 0.01f;

    /** Synapses removed by the last update. */
    public int lastRemoved() {
        return lastRemoved;
    }

    /** Synapses added by the last update. */
    public int lastAdded() {
        return lastAdded;
    }

    /** Synapses removed over all updates. */
    public long totalRemoved() {
        return totalRemoved;
    }

    /** Synapses added over all updates. */
    public long totalAdded() {
        return totalAdded;
    }

    /** Number of updates done. */
    public long updates() {
        return updates;
    }

    /** The budget K. */
    public int budget() {
        return budget;
    }

    /** The regrowth rule. */
    public Mode mode() {
        return mode;
    }

    /** True when pair (post i, pre j) has a synapse. */
    public boolean isPresent(int i, int j) {
        return has(i * pre + j);
    }

    /**
     * Sorts {@code a[0..n)} ascending in place (heap sort: O(n log n), no allocation, the same result
     * as any sort since the keys are distinct). Not {@code Arrays.sort}: from JDK 22 its int sort
     * allocates a small array per partition step even when compiled (≈ 26 bytes per sort of 80 keys,
     * measured on JDK 25; none on JDK 17), and an update must allocate nothing.
     */
    static void heapSort(int[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(a, i, n);
        for (int end = n - 1; end > 0; end--) {
            int t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(int[] a, int i, int n) {
        int v = a[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && a[c + 1] > a[c]) c++;
            if (a[c] <= v) break;
            a[i] = a[c];
            i = c;
        }
        a[i] = v;
    }
}
