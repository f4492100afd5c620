package org.myelin.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Json;
import org.myelin.io.Npy;

/**
 * The paper's analysis (§2–3) of trained versus untrained networks: receptive fields of every output
 * class, Moran's I in the stored channel order and maximised over random channel (row) orders, a
 * two-sided Mann–Whitney U test of trained against untrained maxima, figures and a report.
 *
 * <p>Entry point: {@link #run(List, List, Options, Path)}. Output folder layout:
 * <pre>
 *   fields/&lt;name&gt;_class&lt;k&gt;.npy   float32, input channel × delay (N_in × ((L+1)·Td+1); L = 1: 2·Td+1)
 *   fields/&lt;name&gt;_class&lt;k&gt;.png   heat map of that field (unless switched off)
 *   fields/&lt;name&gt;_class&lt;k&gt;_layer&lt;l&gt;.npy/.png   L ≥ 2: the field at the input of hidden layer l = 2 … L
 *                                 ({@link Network#layerField}), hidden neuron of layer l − 1 × delay
 *   summary.png                   the trained field with the highest Moran's I and the same class's field
 *                                 before training (the network's own initial state when the lists pair up)
 *   moran_distribution.png        Moran's I (max over permutations) of trained vs untrained fields
 *   report.json, report.md        every number
 * </pre>
 *
 * <p>Conventions: the Mann–Whitney test takes the trained maxima as the first sample, so U is the
 * trained statistic (the paper's U = 3598 of 3600 means trained fields are higher). Fields whose
 * Moran's I is undefined (a constant field, e.g. an output neuron without connections) are listed
 * as null and left out of the test; {@code n1} and {@code n2} count what was tested. Each field's
 * permutations are drawn from a seed derived from the run seed, the group (trained/untrained),
 * the network's position in its list and the class, so results do not depend on thread count.
 */
public final class AnalysisRunner {
    private AnalysisRunner() {}

    /** The paper's Mann–Whitney results, quoted in the report for comparison. */
    public static final double PAPER_DENSE_U = 3598, PAPER_DENSE_P = 3.88e-21,
            PAPER_SPARSE_U = 3169, PAPER_SPARSE_P = 6.69e-13;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * One network's deployed parameters (integer delays; fractional ones are rounded half-to-even):
     * a stack of L ≥ 1 hidden layers given by its widths N_in, N_1 … N_L, N_out and, per synapse
     * layer s = 0 … L, dense post × pre weights and delays ({@code w[s][i * pre + j]}). Its fields
     * are the paper's for L = 1 ({@link ReceptiveField#compute}) and composed along paths for
     * L ≥ 2 ({@link ReceptiveField#composed}); either way N_in × ((L+1)·Td + 1). The name is used in
     * file names: letters, digits, '.', '_' and '-' only, unique across both groups of a run.
     */
    public static final class Network {
        public final String name;
        public final int nIn, nOut, maxDelay;
        private final int[] widths;
        private final float[][] w, d;

        /** A network of one hidden layer: w1, d1 are N_h × N_in, w2, d2 N_out × N_h. */
        public Network(String name, int nIn, int nH, int nOut, int maxDelay,
                       float[] w1, float[] d1, float[] w2, float[] d2) {
            this(name, maxDelay, new int[] {nIn, nH, nOut}, new float[][] {w1, w2}, new float[][] {d1, d2});
        }

        /** A network of {@code widths.length − 2} hidden layers. */
        public Network(String name, int maxDelay, int[] widths, float[][] w, float[][] d) {
            this.name = Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("network name '" + name + "' must match " + NAME.pattern());
            }
            if (widths.length < 3) throw new IllegalArgumentException("a network needs an input, a hidden and an output layer, got " + widths.length + " widths");
            this.widths = widths.clone();
            this.nIn = widths[0];
            this.nOut = widths[widths.length - 1];
            this.maxDelay = maxDelay;
            this.w = w.clone();
            this.d = d.clone();
            field(0); // validates sizes and delays
        }

        /** L, the number of hidden layers. */
        public int depth() {
            return widths.length - 2;
        }

        /** The widths N_in, N_1 … N_L, N_out. */
        public int[] widths() {
            return widths.clone();
        }

        /** Columns of a field: (L+1)·Td + 1 delays. */
        public int fieldWidth() {
            return (depth() + 1) * maxDelay + 1;
        }

        /**
         * The field of output class k at the input of hidden layer {@code layer}, 2 ≤ layer ≤ L: the
         * composed field of the layers from {@code layer} on, N_(layer−1) × ((L − layer + 2)·Td + 1),
         * row h for neuron h of hidden layer layer − 1 (the sign of its synapse into layer
         * {@code layer} counts, as the input synapse's does in {@link #field}).
         */
        public float[] layerField(int layer, int k) {
            int L = depth();
            if (layer < 2 || layer > L) throw new IllegalArgumentException("layer must be 2 to " + L + ", got " + layer);
            int from = layer - 1;
            return ReceptiveField.composed(maxDelay, java.util.Arrays.copyOfRange(widths, from, widths.length),
                    java.util.Arrays.copyOfRange(w, from, w.length), java.util.Arrays.copyOfRange(d, from, d.length), k);
        }

        /** The receptive field of output class k, N_in × {@link #fieldWidth()}, channel-major. */
        public float[] field(int k) {
            return depth() == 1 ? ReceptiveField.compute(nIn, widths[1], nOut, maxDelay, w[0], d[0], w[1], d[1], k)
                    : ReceptiveField.composed(maxDelay, widths, w, d, k);
        }
    }

    /** Settings of a run; the defaults are the paper's (2,000 permutations) with every heat map drawn. */
    public static final class Options {
        long seed = 0;
        int permutations = 2000;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        boolean heatMaps = true;
        String first = "trained", second = "untrained";

        /** Seed of the random row permutations. */
        public Options seed(long s) { seed = s; return this; }

        /** Number of random row permutations per field (≥ 1). */
        public Options permutations(int p) {
            if (p < 1) throw new IllegalArgumentException("permutations must be >= 1");
            permutations = p;
            return this;
        }

        /** Worker threads for the permutations (≥ 1); results do not depend on it. */
        public Options threads(int t) {
            if (t < 1) throw new IllegalArgumentException("threads must be >= 1");
            threads = t;
            return this;
        }

        /** Whether to draw one heat-map PNG per field (default true); the summary figures are always drawn. */
        public Options heatMaps(boolean on) { heatMaps = on; return this; }

        /**
         * Names of the two groups in figures, tables and report (default "trained" and "untrained";
         * e.g. "learnt" and "fixed" when the second group is other trained networks). The report's
         * keys stay {@code trained} / {@code untrained}; its {@code labels} entry holds these names.
         */
        public Options labels(String first, String second) {
            if (first == null || first.isBlank() || second == null || second.isBlank() || first.equals(second)) {
                throw new IllegalArgumentException("labels: two different non-empty names, got '" + first + "' and '" + second + "'");
            }
            this.first = first;
            this.second = second;
            return this;
        }

        boolean defaultLabels() {
            return first.equals("trained") && second.equals("untrained");
        }
    }

    /** Moran's I of one receptive field. */
    public static final class FieldResult {
        public final String network;
        public final int outputClass;
        /** Moran's I in the stored channel order (NaN if undefined). */
        public final double moranIdentity;
        /** Maximum of Moran's I over the random channel orders (NaN if undefined). */
        public final double moranMax;
        /** Field size: input channels × delays. */
        public final int rows, cols;
        /** Hidden layers of the network. */
        public final int depth;
        final float[] field;

        FieldResult(String network, int outputClass, double moranIdentity, double moranMax, int rows, int cols, int depth, float[] field) {
            this.network = network;
            this.outputClass = outputClass;
            this.moranIdentity = moranIdentity;
            this.moranMax = moranMax;
            this.rows = rows;
            this.cols = cols;
            this.depth = depth;
            this.field = field;
        }

        /** Base file name, {@code <network>_class<k>}. */
        public String baseName() {
            return network + "_class" + outputClass;
        }
    }

    /** What a run computed (everything is also in report.json). */
    public static final class Summary {
        public final List<FieldResult> trained, untrained;
        /** Trained vs untrained {@code moran_max}, or null when a group has no defined value. */
        public final MannWhitney.Result mannWhitney;

        Summary(List<FieldResult> trained, List<FieldResult> untrained, MannWhitney.Result mannWhitney) {
            this.trained = trained;
            this.untrained = untrained;
            this.mannWhitney = mannWhitney;
        }
    }

    /**
     * {@link #run(List, List, Options, Path)} with the given seed and permutation count, all heat maps drawn.
     *
     * @param trained      trained networks (e.g. 3 repeats)
     * @param untrained    the same networks at initialisation
     * @param seed         seed of the row permutations
     * @param permutations random row permutations per field (paper: 2,000)
     * @param outDir       output folder
     * @return the numbers, as also written to report.json
     * @throws IOException if a file cannot be written
     */
    public static Summary run(List<Network> trained, List<Network> untrained, long seed, int permutations, Path outDir)
            throws IOException {
        return run(trained, untrained, new Options().seed(seed).permutations(permutations), outDir);
    }

    /**
     * Analyses the trained and the untrained networks and writes everything into {@code outDir}
     * (created if needed; existing files of the same names are replaced).
     *
     * @param trained   trained networks; their fields form the first Mann–Whitney sample
     * @param untrained untrained networks; the second sample
     * @param options   seed, permutations, threads, heat maps
     * @param outDir    output folder
     * @return the numbers, as also written to report.json
     * @throws IOException if a file cannot be written
     * @throws IllegalArgumentException if two networks share a name
     */
    public static Summary run(List<Network> trained, List<Network> untrained, Options options, Path outDir)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (Network n : trained) if (!names.add(n.name)) throw new IllegalArgumentException("duplicate network name " + n.name);
        for (Network n : untrained) if (!names.add(n.name)) throw new IllegalArgumentException("duplicate network name " + n.name);

        List<FieldResult> tr = analyse(trained, 1, options, outDir);
        List<FieldResult> un = analyse(untrained, 2, options, outDir);

        double[] a = definedMax(tr), b = definedMax(un);
        MannWhitney.Result mw = a.length > 0 && b.length > 0 ? MannWhitney.test(a, b) : null;

        FieldResult bestTr = best(tr), bestUn = best(un);
        FieldResult before = bestTr == null ? null : sameClassBefore(bestTr, trained, untrained, un);
        if (bestTr != null && before != null && bestTr.rows == before.rows && bestTr.cols == before.cols) {
            boolean plain = options.defaultLabels();
            Plots.beforeAfter(outDir.resolve("summary.png"),
                    before.field, (plain ? "before training: " : options.second + ": ") + before.network + ", class " + before.outputClass
                            + ", I = " + Canvas.fmt(before.moranMax),
                    bestTr.field, (plain ? "after training: " : options.first + ": ") + bestTr.network + ", class " + bestTr.outputClass
                            + ", I = " + Canvas.fmt(bestTr.moranMax),
                    bestTr.rows, bestTr.cols, bestTr.depth, "Class " + bestTr.outputClass + ", the " + options.first + " field with the highest Moran's I (max over "
                            + options.permutations + " channel orders)" + (plain ? ", before and after" : " and the same class, " + options.second));
        }
        String distTitle = "Moran's I, max over " + options.permutations + " channel orders"
                + (mw == null ? "" : ": U = " + Canvas.fmt(mw.u) + ", p = " + Canvas.fmt(mw.p));
        FieldResult any = !tr.isEmpty() ? tr.get(0) : !un.isEmpty() ? un.get(0) : null;
        double expected = any == null ? Double.NaN : MoransI.expected(any.rows, any.cols);
        Plots.distribution(outDir.resolve("moran_distribution.png"), distTitle, "Moran's I",
                options.first, maxOf(tr), options.second, maxOf(un), expected, "no autocorrelation: -1/(N-1)");

        Map<String, Object> report = report(tr, un, mw, options, bestTr, bestUn, trained, untrained);
        AtomicFiles.writeString(outDir.resolve("report.json"), Json.write(report));
        AtomicFiles.writeString(outDir.resolve("report.md"), markdown(tr, un, mw, options, bestTr, bestUn));
        return new Summary(List.copyOf(tr), List.copyOf(un), mw);
    }

    /**
     * The untrained field shown beside the summary's trained field: the same class, of the
     * untrained network at the trained network's position when both lists are equally long (a
     * network and its own initial state), else the untrained field of that class with the highest
     * Moran's I; null when there is none.
     */
    static FieldResult sameClassBefore(FieldResult after, List<Network> trained, List<Network> untrained, List<FieldResult> un) {
        String partner = null;
        if (trained.size() == untrained.size()) {
            for (int i = 0; i < trained.size(); i++) if (trained.get(i).name.equals(after.network)) partner = untrained.get(i).name;
        }
        FieldResult pick = null;
        for (FieldResult r : un) {
            if (r.outputClass != after.outputClass) continue;
            if (partner != null) {
                if (r.network.equals(partner)) return r;
            } else if (pick == null || (Double.isFinite(r.moranMax) && !(pick.moranMax >= r.moranMax))) {
                pick = r;
            }
        }
        return pick;
    }

    private static List<FieldResult> analyse(List<Network> nets, int group, Options o, Path outDir) throws IOException {
        List<FieldResult> out = new ArrayList<>();
        for (int ni = 0; ni < nets.size(); ni++) {
            Network n = nets.get(ni);
            int rows = n.nIn, cols = n.fieldWidth();
            for (int k = 0; k < n.nOut; k++) {
                float[] f = n.field(k);
                double id = MoransI.of(f, rows, cols);
                long fieldSeed = MoransI.mix(MoransI.mix(o.seed, group), ni * 1_000_003 + k);
                double max = MoransI.maxOverRowPermutations(f, rows, cols, o.permutations, fieldSeed, o.threads);
                FieldResult r = new FieldResult(n.name, k, id, max, rows, cols, n.depth(), f);
                Npy.write(outDir.resolve("fields").resolve(r.baseName() + ".npy"), f, rows, cols);
                if (o.heatMaps) {
                    Plots.heatMap(outDir.resolve("fields").resolve(r.baseName() + ".png"), f, rows, cols, n.depth(),
                            (group == 1 ? o.first : o.second) + " " + n.name + ", class " + k
                                    + ": Moran's I " + Canvas.fmt(id) + " (max " + Canvas.fmt(max) + ")");
                }
                out.add(r);
                // the same class at the input of each deeper hidden layer (no statistics: a layer's neurons have no order)
                for (int l = 2; l <= n.depth(); l++) {
                    float[] lf = n.layerField(l, k);
                    int lr = n.widths[l - 1], lc = (n.depth() - l + 2) * n.maxDelay + 1;
                    String base = r.baseName() + "_layer" + l;
                    Npy.write(outDir.resolve("fields").resolve(base + ".npy"), lf, lr, lc);
                    if (o.heatMaps) {
                        Plots.layerHeatMap(outDir.resolve("fields").resolve(base + ".png"), lf, lr, lc, n.depth(), l,
                                (group == 1 ? o.first : o.second) + " " + n.name + ", class " + k + ", at hidden layer " + l);
                    }
                }
            }
        }
        return out;
    }

    private static double[] maxOf(List<FieldResult> l) {
        double[] v = new double[l.size()];
        for (int k = 0; k < v.length; k++) v[k] = l.get(k).moranMax;
        return v;
    }

    private static double[] identityOf(List<FieldResult> l) {
        double[] v = new double[l.size()];
        for (int k = 0; k < v.length; k++) v[k] = l.get(k).moranIdentity;
        return v;
    }

    private static double[] definedMax(List<FieldResult> l) {
        return java.util.Arrays.stream(maxOf(l)).filter(Double::isFinite).toArray();
    }

    private static FieldResult best(List<FieldResult> l) {
        FieldResult b = null;
        for (FieldResult r : l) if (Double.isFinite(r.moranMax) && (b == null || r.moranMax > b.moranMax)) b = r;
        return b;
    }

    private static double mean(double[] v) {
        if (v.length == 0) return Double.NaN;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static Map<String, Object> group(List<FieldResult> l) {
        Map<String, Object> g = Json.object();
        List<Object> nets = new ArrayList<>();
        for (FieldResult r : l) if (!nets.contains(r.network)) nets.add(r.network);
        g.put("networks", nets);
        g.put("moran_identity", identityOf(l));
        g.put("moran_max", maxOf(l));
        double[] def = definedMax(l);
        g.put("fields", l.size());
        g.put("undefined", l.size() - def.length);
        g.put("mean_moran_max", mean(def));
        g.put("median_moran_max", median(def));
        g.put("mean_moran_identity", mean(java.util.Arrays.stream(identityOf(l)).filter(Double::isFinite).toArray()));
        List<Object> files = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        for (FieldResult r : l) {
            files.add("fields/" + r.baseName() + ".npy");
            Map<String, Object> lab = Json.object();
            lab.put("network", r.network);
            lab.put("class", r.outputClass);
            labels.add(lab);
        }
        g.put("field_files", files);
        g.put("field_labels", labels);
        return g;
    }

    private static Map<String, Object> bestJson(FieldResult r) {
        if (r == null) return null;
        Map<String, Object> m = Json.object();
        m.put("network", r.network);
        m.put("class", r.outputClass);
        m.put("moran_max", r.moranMax);
        m.put("moran_identity", r.moranIdentity);
        return m;
    }

    private static Map<String, Object> report(List<FieldResult> tr, List<FieldResult> un, MannWhitney.Result mw,
                                              Options o, FieldResult bestTr, FieldResult bestUn,
                                              List<Network> trainedNets, List<Network> untrainedNets) {
        Map<String, Object> r = Json.object();
        Map<String, Object> settings = Json.object();
        settings.put("permutations", o.permutations);
        settings.put("seed", o.seed);
        settings.put("labels", java.util.List.of(o.first, o.second));
        settings.put("spatial_weights", "queen (8-neighbour), binary, zero diagonal");
        settings.put("permuted_axis", "input channel (rows)");
        settings.put("undefined_moran", "constant field: Moran's I is NaN, written as null and left out of the test");
        r.put("settings", settings);
        r.put("trained", group(tr));
        r.put("untrained", group(un));
        if (mw == null) {
            r.put("mann_whitney", null);
        } else {
            Map<String, Object> m = Json.object();
            m.put("x", "trained moran_max");
            m.put("y", "untrained moran_max");
            m.put("U", mw.u);
            m.put("p", mw.p);
            m.put("method", mw.method());
            m.put("alternative", "two-sided");
            m.put("z", mw.z);
            m.put("n1", mw.n1);
            m.put("n2", mw.n2);
            m.put("common_language_effect_size", mw.commonLanguage());
            m.put("rank_biserial", mw.rankBiserial());
            r.put("mann_whitney", m);
        }
        Map<String, Object> best = Json.object();
        best.put("trained", bestJson(bestTr));
        best.put("untrained", bestJson(bestUn));
        r.put("highest_moran", best);
        FieldResult before = bestTr == null ? null : sameClassBefore(bestTr, trainedNets, untrainedNets, un);
        Map<String, Object> fig = Json.object();
        fig.put("after", bestJson(bestTr));
        fig.put("before", bestJson(before));
        r.put("summary_figure", fig);
        Map<String, Object> paper = Json.object();
        Map<String, Object> dense = Json.object();
        dense.put("U", PAPER_DENSE_U);
        dense.put("p", PAPER_DENSE_P);
        Map<String, Object> sparse = Json.object();
        sparse.put("U", PAPER_SPARSE_U);
        sparse.put("p", PAPER_SPARSE_P);
        paper.put("dense", dense);
        paper.put("sparse_87_5", sparse);
        paper.put("n1", 60);
        paper.put("n2", 60);
        r.put("paper", paper);
        return r;
    }

    /** Six significant digits without trailing zeros ("3598", "0.0557293", "3.88e-21"); NaN is "undefined". */
    static String num(double v) {
        if (Double.isNaN(v)) return "undefined";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = String.format(Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mant = e < 0 ? s : s.substring(0, e), exp = e < 0 ? "" : s.substring(e);
        if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        if (!exp.isEmpty()) exp = "e" + Integer.parseInt(exp.substring(1));
        return mant + exp;
    }

    private static String markdown(List<FieldResult> tr, List<FieldResult> un, MannWhitney.Result mw, Options o,
                                   FieldResult bestTr, FieldResult bestUn) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Receptive-field analysis\n\n");
        sb.append("Moran's I (eq. 5) with queen's-case (8-neighbour) binary weights; the maximum is taken over ")
          .append(o.permutations).append(" random permutations of the input channels (rows), seed ").append(o.seed)
          .append(". \"undefined\" marks a constant field (zero variance), left out of the test.\n\n");
        sb.append("## Mann–Whitney U test (two-sided), ").append(o.first).append(" vs ").append(o.second).append(" Moran's I (max)\n\n");
        if (mw == null) {
            sb.append("Not computed: a group has no field with a defined Moran's I.\n\n");
        } else {
            sb.append("| | this run | paper, dense | paper, 87.5 % sparse |\n|---|---|---|---|\n");
            sb.append("| U (").append(o.first).append(") | ").append(num(mw.u)).append(" | ").append(num(PAPER_DENSE_U)).append(" | ")
              .append(num(PAPER_SPARSE_U)).append(" |\n");
            sb.append("| p | ").append(num(mw.p)).append(" | ≈ ").append(num(PAPER_DENSE_P)).append(" | ≈ ")
              .append(num(PAPER_SPARSE_P)).append(" |\n");
            sb.append("| n1, n2 | ").append(mw.n1).append(", ").append(mw.n2).append(" | 60, 60 | 60, 60 |\n");
            sb.append("| U / (n1·n2) | ").append(num(mw.commonLanguage())).append(" | ")
              .append(num(PAPER_DENSE_U / 3600)).append(" | ").append(num(PAPER_SPARSE_U / 3600)).append(" |\n\n");
            sb.append("Method: ").append(mw.method()).append(mw.exact ? "" : " (normal approximation, tie and continuity corrected, z = " + num(mw.z) + ")")
              .append("; rank-biserial correlation ").append(num(mw.rankBiserial())).append(".\n\n");
        }
        sb.append("## Summary\n\n| group | fields | undefined | mean I (stored order) | mean I (max) | median I (max) | highest I (max) |\n")
          .append("|---|---|---|---|---|---|---|\n");
        groupRow(sb, o.first, tr, bestTr);
        groupRow(sb, o.second, un, bestUn);
        sb.append("\nFigures: `summary.png` (the trained field with the highest I and the same class before training), `moran_distribution.png`")
          .append(o.heatMaps ? ", `fields/<name>_class<k>.png`" : "").append(". Fields: `fields/<name>_class<k>.npy` (float32, input channel × delay).\n\n");
        fieldTable(sb, cap(o.first) + " fields", tr);
        fieldTable(sb, cap(o.second) + " fields", un);
        return sb.toString();
    }

    private static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    private static void groupRow(StringBuilder sb, String name, List<FieldResult> l, FieldResult best) {
        double[] def = definedMax(l);
        sb.append("| ").append(name).append(" | ").append(l.size()).append(" | ").append(l.size() - def.length).append(" | ")
          .append(num(mean(java.util.Arrays.stream(identityOf(l)).filter(Double::isFinite).toArray()))).append(" | ")
          .append(num(mean(def))).append(" | ").append(num(median(def))).append(" | ")
          .append(best == null ? "–" : num(best.moranMax) + " (" + best.baseName() + ")").append(" |\n");
    }

    private static void fieldTable(StringBuilder sb, String title, List<FieldResult> l) {
        sb.append("## ").append(title).append("\n\n");
        if (l.isEmpty()) {
            sb.append("None.\n\n");
            return;
        }
        sb.append("| network | class | Moran's I (stored order) | Moran's I (max) |\n|---|---|---|---|\n");
        for (FieldResult r : l) {
            sb.append("| ").append(r.network).append(" | ").append(r.outputClass).append(" | ")
              .append(num(r.moranIdentity)).append(" | ").append(num(r.moranMax)).append(" |\n");
        }
        sb.append('\n');
    }
}
