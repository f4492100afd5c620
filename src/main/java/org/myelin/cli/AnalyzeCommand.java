package org.myelin.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.myelin.analysis.AnalysisRunner;
import org.myelin.analysis.MannWhitney;
import org.myelin.model.Model;

/**
 * {@code analyze}: the paper's receptive-field analysis (§3) of trained against untrained model
 * files, written by {@link AnalysisRunner} (report.json, report.md, fields/*.npy, figures).
 */
final class AnalyzeCommand implements Command {
    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "receptive fields and Moran's I of trained vs untrained models (Mann-Whitney U test)";
    }

    @Override
    public String help() {
        return "usage: " + Main.PROGRAM + " analyze --trained A.myelin [B.myelin ...] --untrained U.myelin [V.myelin ...]\n"
                + "                      --out DIR [--permutations N] [--seed N] [--threads N] [--no-heatmaps]\n\n"
                + "Computes each output class's spatio-temporal receptive field (input channel × delay) of every\n"
                + "model, its Moran's I in the stored channel order and maximised over random channel orders,\n"
                + "and a two-sided Mann-Whitney U test of trained against untrained maxima (paper §3).\n"
                + "A summary goes to stdout, progress to stderr.\n\n"
                + "  --trained FILES     trained model files (required)\n"
                + "  --untrained FILES   the untrained counterparts, e.g. saved by 'train --save-initial' (required)\n"
                + "                      Several files: list them after the option (--trained a b c), repeat\n"
                + "                      it (--trained a --trained b) or quote them (--trained 'a b'); a value\n"
                + "                      with * or ? that names no file is a pattern matched in its folder\n"
                + "                      (--trained 'runs/*_trained.myelin', or unquoted: the shell expands it).\n"
                + "  --out DIR           output folder (required)\n"
                + "  --permutations N    random channel orders per field (default 2000, the paper's)\n"
                + "  --seed N            seed of the channel orders (default 0)\n"
                + "  --threads N         worker threads (default: all cores); results do not depend on it\n"
                + "  --no-heatmaps       skip the per-field PNG heat maps (summary figures are still drawn)\n"
                + "  --labels A,B        names of the two groups in figures and tables (default trained,untrained;\n"
                + "                      e.g. learnt,fixed to compare two sets of trained networks)\n"
                + "  --help              this text\n\n"
                + "All models must have the same inputs, hidden layers, outputs and maximum delay. Each model is named\n"
                + "after its file name without extension (characters other than letters, digits, '.', '_' and '-'\n"
                + "become '_'; a repeated name gets -2, -3, ... in the order given, trained first).\n\n"
                + "output:\n"
                + "  DIR/report.json     trained/untrained: moran_identity, moran_max (one per field, null when\n"
                + "                      undefined), ...; mann_whitney: U, p, n1, n2, ... (trained is sample 1)\n"
                + "  DIR/report.md       the same as tables\n"
                + "  DIR/fields/NAME_class<k>.npy   float32 field, input channel × delay\n"
                + "                      ((L+1)·Td+1 delays for L hidden layers: composed along\n"
                + "                      paths, docs/DEEPER-NETWORKS.md)\n"
                + "  DIR/fields/NAME_class<k>.png   its heat map (unless --no-heatmaps)\n"
                + "  DIR/fields/NAME_class<k>_layer<l>.npy, .png   L ≥ 2: the field at\n"
                + "                      the input of hidden layer l = 2 … L (neurons of\n"
                + "                      layer l − 1 × delay)\n"
                + "  DIR/summary.png, DIR/moran_distribution.png\n";
    }

    @Override
    public int run(Args a) throws Exception {
        List<Path> trainedFiles = files(a, "trained");
        List<Path> untrainedFiles = files(a, "untrained");
        Path out = a.path("out", null);
        int permutations = a.integer("permutations", 2000);
        long seed = a.longValue("seed", 0);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        boolean heatMaps = a.flag("heatmaps", true);
        String labelList = a.string("labels", "trained,untrained");
        String[] labels = labelList.split(",", -1);
        if (labels.length != 2 || labels[0].isBlank() || labels[1].isBlank() || labels[0].equals(labels[1])) {
            throw new UsageException("--labels takes two different names separated by a comma (e.g. learnt,fixed), got '" + labelList + "'");
        }
        a.finish();
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected word '" + a.positional().get(0)
                    + "': model files follow --trained or --untrained (see 'analyze --help')");
        }
        if (trainedFiles.isEmpty()) throw new UsageException("--trained is required (at least one trained model file)");
        if (untrainedFiles.isEmpty()) throw new UsageException("--untrained is required (at least one untrained model file)");
        if (out == null) throw new UsageException("--out is required (the output folder)");
        if (permutations < 1) throw new UsageException("--permutations must be at least 1");
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " is a file, not a folder");

        Set<Path> seen = new HashSet<>();
        for (List<Path> l : List.of(trainedFiles, untrainedFiles)) {
            for (Path p : l) {
                if (Files.isDirectory(p)) throw new UsageException(p + ": is a folder, not a model file");
                if (!Files.isRegularFile(p)) throw new UsageException(p + ": no such model file");
                if (!seen.add(p.toRealPath())) throw new UsageException(p + ": given more than once");
            }
        }

        long start = System.nanoTime();
        Set<String> names = new HashSet<>();
        Model first = null;
        List<String> loaded = new ArrayList<>();
        Path firstFile = null;
        List<AnalysisRunner.Network> trained = new ArrayList<>(), untrained = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            List<Path> l = g == 0 ? trainedFiles : untrainedFiles;
            for (Path p : l) {
                Model m = load(p);
                if (first == null) {
                    first = m;
                    firstFile = p;
                } else {
                    checkShape(firstFile, first, p, m);
                }
                String name = uniqueName(p, names);
                try {
                    (g == 0 ? trained : untrained).add(network(name, m));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(p + ": " + e.getMessage());
                }
                StringBuilder syn = new StringBuilder();
                for (var layer : m.layers) syn.append(syn.length() == 0 ? "" : " + ").append(layer.size());
                loaded.add(String.format(Locale.ROOT, "%s model %s as '%s' (%s synapses)",
                        g == 0 ? "trained" : "untrained", p, name, syn));
            }
        }
        // every model is read and checked before anything is printed: an error is the only line
        int depth = first.config.depth();
        System.err.printf(Locale.ROOT, "loaded %d trained and %d untrained models, %s, %s, Td = %d:%n",
                trained.size(), untrained.size(), first.config.shape(), Text.count(depth, "hidden layer", "hidden layers"), first.config.maxDelay);
        for (String l : loaded) System.err.println("  " + l);
        int fields = (trained.size() + untrained.size()) * first.config.outputs;
        System.err.printf(Locale.ROOT, "analysing %d fields (%d × %d) with %d channel orders each, %s ...%n",
                fields, first.config.inputs, (depth + 1) * first.config.maxDelay + 1, permutations, Text.count(threads, "thread", "threads"));
        Files.createDirectories(out);
        AnalysisRunner.Summary s = AnalysisRunner.run(trained, untrained,
                new AnalysisRunner.Options().seed(seed).permutations(permutations).threads(threads).heatMaps(heatMaps).labels(labels[0], labels[1]), out);
        System.err.printf(Locale.ROOT, "analysis done in %.1f s%n", (System.nanoTime() - start) / 1e9);

        System.out.print(summaryText(s, permutations, labels[0], labels[1]));
        System.out.println("report: " + out.resolve("report.json"));
        return 0;
    }

    /** The stdout summary: mean Moran's I of each group (named by --labels) and the test. */
    static String summaryText(AnalysisRunner.Summary s, int permutations, String first, String second) {
        StringBuilder sb = new StringBuilder();
        group(sb, first, s.trained, permutations);
        group(sb, second, s.untrained, permutations);
        MannWhitney.Result mw = s.mannWhitney;
        if (mw == null) {
            sb.append("Mann-Whitney U test not computed: a group has no field with a defined Moran's I\n");
        } else {
            sb.append(String.format(Locale.ROOT, "Mann-Whitney U = %s, p = %s (two-sided, %s vs %s; n1 = %d, n2 = %d)%n",
                    fmt(mw.u), fmt(mw.p), first, second, mw.n1, mw.n2));
        }
        return sb.toString();
    }

    private static void group(StringBuilder sb, String label, List<AnalysisRunner.FieldResult> l, int permutations) {
        double sumMax = 0, sumId = 0;
        int nMax = 0, nId = 0;
        for (AnalysisRunner.FieldResult r : l) {
            if (Double.isFinite(r.moranMax)) { sumMax += r.moranMax; nMax++; }
            if (Double.isFinite(r.moranIdentity)) { sumId += r.moranIdentity; nId++; }
        }
        sb.append(String.format(Locale.ROOT, "%-9s %d fields: mean Moran's I %s (max over %d channel orders), %s (stored order)%s%n",
                label, l.size(), nMax == 0 ? "undefined" : fmt(sumMax / nMax), permutations,
                nId == 0 ? "undefined" : fmt(sumId / nId),
                nMax < l.size() ? "; " + (l.size() - nMax) + " undefined" : ""));
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "undefined";
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return String.format(Locale.ROOT, "%.3g", v);
        String s = String.format(Locale.ROOT, "%.4f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** Every file given for an option: repeated values, space-separated words, and patterns. */
    static List<Path> files(Args a, String option) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String v : a.values(option)) {
            for (String w : v.trim().split("\\s+")) {
                if (w.isEmpty()) continue;
                Path p = Path.of(w);
                if (!Files.exists(p) && (w.indexOf('*') >= 0 || w.indexOf('?') >= 0)) {
                    List<Path> matches = glob(p);
                    if (matches.isEmpty()) throw new UsageException("--" + option + " " + w + ": no file matches");
                    out.addAll(matches);
                } else {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<Path> glob(Path pattern) throws IOException {
        Path dir = pattern.getParent() == null ? Path.of("") : pattern.getParent();
        String last = pattern.getFileName().toString();
        if (dir.toString().indexOf('*') >= 0 || dir.toString().indexOf('?') >= 0) {
            throw new UsageException(pattern + ": a pattern may use * and ? in the file name only");
        }
        Path base = dir.toString().isEmpty() ? Path.of(".") : dir;
        if (!Files.isDirectory(base)) return List.of();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + last);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) if (Files.isRegularFile(p) && m.matches(p.getFileName())) found.add(dir.resolve(p.getFileName()));
        }
        found.sort(null);
        return found;
    }

    /** Loads a model; any failure becomes a one-line error naming the file. */
    private static Model load(Path p) {
        try {
            Model m = Model.load(p);
            return m;
        } catch (NoSuchFileException e) {
            throw new UsageException(p + ": no such model file");
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new UsageException(msg != null && msg.contains(p.toString()) ? msg : p + ": " + msg);
        } catch (IOException | RuntimeException e) {
            throw new UsageException(p + ": cannot read the model file (" + e.getMessage() + ")");
        }
    }

    private static void checkShape(Path f0, Model m0, Path f, Model m) {
        String[] what = {"inputs", "outputs", "maximum delay"};
        int[] a = {m0.config.inputs, m0.config.outputs, m0.config.maxDelay};
        int[] b = {m.config.inputs, m.config.outputs, m.config.maxDelay};
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                throw new UsageException("models differ in shape: " + f + " has " + what[k] + " " + b[k] + ", " + f0 + " has " + a[k]);
            }
        }
        if (!m0.config.shape().equals(m.config.shape())) {
            throw new UsageException("models differ in shape: " + f + " is " + m.config.shape() + ", " + f0 + " is " + m0.config.shape());
        }
    }

    /** The model's name for file names: file name without extension, sanitised, unique among {@code used}. */
    static String uniqueName(Path file, Set<String> used) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        if (dot > 0) n = n.substring(0, dot);
        n = n.replaceAll("[^A-Za-z0-9._-]", "_");
        if (n.isEmpty()) n = "model";
        String name = n;
        for (int k = 2; used.contains(name); k++) name = n + "-" + k;
        used.add(name);
        return name;
    }

    /** The analysis view of a model: dense post × pre weight and delay matrices of every synapse layer. */
    static AnalysisRunner.Network network(String name, Model m) {
        int n = m.layers.size();
        int[] widths = new int[n + 1];
        float[][] w = new float[n][], d = new float[n][];
        for (int s = 0; s < n; s++) {
            widths[s] = m.config.width(s);
            w[s] = m.layers.get(s).denseWeights();
            d[s] = m.layers.get(s).denseDelays();
        }
        widths[n] = m.config.outputs;
        return new AnalysisRunner.Network(name, m.config.maxDelay, widths, w, d);
    }
}
