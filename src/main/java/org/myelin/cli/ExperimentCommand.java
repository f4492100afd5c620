package org.myelin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.myelin.analysis.AnalysisRunner;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Json;

/**
 * {@code experiment}: the paper's protocol in one command. For each repeat, trains a dense network
 * and a sparse one with learnt structure (each also saving its untrained counterpart), then runs
 * {@code analyze} on the dense and on the sparse models, and writes experiment.json and experiment.md.
 * Every step is an ordinary {@code train} or {@code analyze} command line, run in this process
 * through {@link Main#run(String[])} or, with {@code --print-commands}, printed for a scheduler.
 */
final class ExperimentCommand implements Command {
    static final String JAVA = "java --add-modules jdk.incubator.vector -jar ";
    static final String DEFAULT_JAR = "target/myelin.jar";
    private static final List<String> VARIANTS = List.of("dense", "sparse");
    /** Train options the experiment sets itself; --train-args must not give them. */
    private static final Set<String> MANAGED = Set.of("out", "save-initial", "report", "seed", "data", "epochs",
            "sparsity", "structure", "threads", "checkpoint", "resume");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/=:,+@%-]+");

    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public String summary() {
        return "the paper's protocol: dense and sparse runs × repeats, then both analyses";
    }

    @Override
    public String help() {
        return "usage: myelin experiment --out DIR [--data DIR] [options]\n\n"
                + "Runs the paper's protocol: for each repeat r = 1..R, 'train' a dense network and a sparse one\n"
                + "with learnt structure (each with --save-initial for its untrained counterpart), then 'analyze'\n"
                + "the dense models (trained vs untrained) into DIR/dense/ and the sparse ones into DIR/sparse/.\n"
                + "Writes DIR/experiment.json (files, accuracies, U and p of both analyses) and DIR/experiment.md.\n"
                + "Training output goes to stderr; the summary to stdout.\n\n"
                + "  --out DIR           experiment folder (required); models go to DIR/models/\n"
                + "                      (VARIANT_rR_trained.myelin, VARIANT_rR_untrained.myelin, VARIANT_rR_train.json)\n"
                + "  --data DIR          data folder passed to train (default: the built-in task)\n"
                + "  --repeats N         repeats of each variant (default 3, the paper's)\n"
                + "  --epochs N          training epochs (default: train's default)\n"
                + "  --sparsity S        sparsity of the sparse runs (default 0.875, the paper's)\n"
                + "  --structure K       structure learning of the sparse runs: rigl, deepr or fixed (default rigl)\n"
                + "  --variants LIST     dense, sparse or dense,sparse (default dense,sparse)\n"
                + "  --seed N            base seed (default 1): dense run r uses N+r-1, sparse run r uses N+R+r-1;\n"
                + "                      the analyses use N as their seed\n"
                + "  --threads N         worker threads of every step (default: all cores)\n"
                + "  --permutations N    channel orders per field in the analyses (default 2000)\n"
                + "  --no-heatmaps       no per-field heat maps in the analyses\n"
                + "  --train-args='ARGS' further train options for every run, split at spaces; give the value\n"
                + "                      after '=' (e.g. --train-args='--hidden 8 --train-size 60 --test-size 40')\n"
                + "  --reuse             skip a training run whose model, untrained model and report exist, and an\n"
                + "                      analysis whose report.json is newer than its models when none of them\n"
                + "                      was retrained (to resume an interrupted experiment, or to summarise\n"
                + "                      runs made from --print-commands)\n"
                + "  --print-commands    print the command lines (trains, analyses, then this experiment with\n"
                + "                      --reuse to write the summary) instead of running anything\n"
                + "  --jar PATH          jar named in printed commands (default " + DEFAULT_JAR + ")\n";
    }

    /** One training run of the protocol. */
    static final class Run {
        final String variant;
        final int repeat;
        final long seed;
        final Path trained, untrained, report;

        Run(String variant, int repeat, long seed, Path models) {
            this.variant = variant;
            this.repeat = repeat;
            this.seed = seed;
            String base = variant + "_r" + repeat;
            this.trained = models.resolve(base + "_trained.myelin");
            this.untrained = models.resolve(base + "_untrained.myelin");
            this.report = models.resolve(base + "_train.json");
        }
    }

    /** The parsed options. */
    static final class Plan {
        Path out, data;
        int repeats;
        Integer epochs, threads;
        double sparsity;
        String structure;
        List<String> variants;
        long seed;
        int permutations;
        boolean heatMaps, reuse, printCommands;
        List<String> trainArgs;
        String jar;
        final List<Run> runs = new ArrayList<>();

        List<String> trainCommand(Run r) {
            List<String> c = new ArrayList<>(List.of("train"));
            if (data != null) add(c, "--data", data.toString());
            if (epochs != null) add(c, "--epochs", epochs.toString());
            add(c, "--seed", Long.toString(r.seed));
            if (threads != null) add(c, "--threads", threads.toString());
            add(c, "--out", r.trained.toString());
            add(c, "--save-initial", r.untrained.toString());
            add(c, "--report", r.report.toString());
            if (r.variant.equals("sparse")) {
                add(c, "--sparsity", num(sparsity));
                add(c, "--structure", structure);
            }
            c.addAll(trainArgs);
            return c;
        }

        List<String> analyzeCommand(String variant) {
            List<String> c = new ArrayList<>(List.of("analyze"));
            for (Run r : runs) if (r.variant.equals(variant)) add(c, "--trained", r.trained.toString());
            for (Run r : runs) if (r.variant.equals(variant)) add(c, "--untrained", r.untrained.toString());
            add(c, "--out", out.resolve(variant).toString());
            add(c, "--permutations", Integer.toString(permutations));
            add(c, "--seed", Long.toString(seed));
            if (threads != null) add(c, "--threads", threads.toString());
            if (!heatMaps) c.add("--no-heatmaps");
            return c;
        }

        /** This experiment again, with --reuse: the final step after the printed commands. */
        List<String> summaryCommand() {
            List<String> c = new ArrayList<>(List.of("experiment"));
            add(c, "--out", out.toString());
            if (data != null) add(c, "--data", data.toString());
            add(c, "--repeats", Integer.toString(repeats));
            if (epochs != null) add(c, "--epochs", epochs.toString());
            add(c, "--sparsity", num(sparsity));
            add(c, "--structure", structure);
            add(c, "--variants", String.join(",", variants));
            add(c, "--seed", Long.toString(seed));
            if (threads != null) add(c, "--threads", threads.toString());
            add(c, "--permutations", Integer.toString(permutations));
            if (!heatMaps) c.add("--no-heatmaps");
            if (!trainArgs.isEmpty()) c.add("--train-args=" + String.join(" ", trainArgs));
            c.add("--reuse");
            return c;
        }

        private static void add(List<String> c, String opt, String value) {
            c.add(opt);
            c.add(value);
        }
    }

    static Plan parse(Args a) {
        Plan p = new Plan();
        p.out = a.path("out", null);
        p.data = a.path("data", null);
        p.repeats = a.integer("repeats", 3);
        p.epochs = a.has("epochs") ? a.integer("epochs", 0) : null;
        p.threads = a.has("threads") ? a.integer("threads", 0) : null;
        p.sparsity = a.number("sparsity", 0.875);
        p.structure = a.string("structure", "rigl");
        p.variants = Arrays.asList(a.string("variants", "dense,sparse").split(","));
        p.seed = a.longValue("seed", 1);
        p.permutations = a.integer("permutations", 2000);
        p.heatMaps = a.flag("heatmaps", true);
        p.reuse = a.flag("reuse", false);
        String extra;
        try {
            extra = a.string("train-args", "").trim();
        } catch (UsageException e) {
            throw new UsageException("--train-args takes its value after '=', e.g. --train-args='--hidden 8 --train-size 60'");
        }
        p.trainArgs = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        p.jar = a.string("jar", DEFAULT_JAR);
        p.printCommands = a.flag("print-commands", false);
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'experiment --help')");
        if (p.out == null) throw new UsageException("--out is required (the experiment folder)");
        if (p.repeats < 1) throw new UsageException("--repeats must be at least 1");
        if (p.epochs != null && p.epochs < 1) throw new UsageException("--epochs must be at least 1");
        if (p.threads != null && p.threads < 1) throw new UsageException("--threads must be at least 1");
        if (p.permutations < 1) throw new UsageException("--permutations must be at least 1");
        List<String> v = new ArrayList<>();
        for (String s : p.variants) {
            String t = s.trim();
            if (!VARIANTS.contains(t)) throw new UsageException("--variants takes dense, sparse or dense,sparse, got '" + s + "'");
            if (!v.contains(t)) v.add(t);
        }
        v.sort((x, y) -> VARIANTS.indexOf(x) - VARIANTS.indexOf(y));
        p.variants = v;
        if (v.contains("sparse") && !(p.sparsity > 0 && p.sparsity < 1)) {
            throw new UsageException("--sparsity must be between 0 and 1 (exclusive), got " + num(p.sparsity));
        }
        if (!p.structure.equals("rigl") && !p.structure.equals("deepr") && !p.structure.equals("fixed")) {
            throw new UsageException("--structure must be rigl, deepr or fixed, got '" + p.structure + "'");
        }
        for (String w : p.trainArgs) {
            if (w.startsWith("--")) {
                String name = w.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) name = name.substring(0, eq);
                if (MANAGED.contains(name)) {
                    throw new UsageException("--train-args must not set --" + name + " (the experiment sets it; use experiment's own option)");
                }
            }
        }
        Path models = p.out.resolve("models");
        for (int r = 1; r <= p.repeats; r++) {
            for (String variant : p.variants) {
                long seed = p.seed + (variant.equals("dense") ? 0 : p.repeats) + r - 1;
                p.runs.add(new Run(variant, r, seed, models));
            }
        }
        return p;
    }

    @Override
    public int run(Args a) throws Exception {
        Plan p = parse(a);
        if (p.printCommands) {
            for (List<String> c : commands(p)) System.out.println(commandLine(p.jar, c));
            return 0;
        }
        if (Files.exists(p.out) && !Files.isDirectory(p.out)) throw new UsageException("--out " + p.out + " is a file, not a folder");
        Files.createDirectories(p.out);
        long start = System.nanoTime();
        int steps = p.runs.size() + p.variants.size(), step = 0;
        Set<String> trainedNow = new java.util.HashSet<>();
        for (Run r : p.runs) {
            step++;
            List<String> c = p.trainCommand(r);
            if (p.reuse && Files.isRegularFile(r.trained) && Files.isRegularFile(r.untrained) && Files.isRegularFile(r.report)) {
                System.err.printf(Locale.ROOT, "[%d/%d] %s r%d: reusing %s%n", step, steps, r.variant, r.repeat, r.trained);
                continue;
            }
            System.err.printf(Locale.ROOT, "[%d/%d] training %s r%d (seed %d): %s%n", step, steps, r.variant, r.repeat, r.seed,
                    commandLine(p.jar, c));
            trainedNow.add(r.variant);
            int code = runQuietly(c);
            if (code != 0) {
                System.err.printf(Locale.ROOT, "myelin experiment: training run %s r%d failed (exit %d); the command was:%n  %s%n",
                        r.variant, r.repeat, code, commandLine(p.jar, c));
                return code;
            }
        }
        for (String variant : p.variants) {
            step++;
            Path report = p.out.resolve(variant).resolve("report.json");
            List<String> c = p.analyzeCommand(variant);
            if (p.reuse && !trainedNow.contains(variant) && upToDate(report, p.runs, variant)) {
                System.err.printf(Locale.ROOT, "[%d/%d] %s analysis: reusing %s%n", step, steps, variant, report);
                continue;
            }
            System.err.printf(Locale.ROOT, "[%d/%d] analysing %s: %s%n", step, steps, variant, commandLine(p.jar, c));
            int code = runQuietly(c);
            if (code != 0) {
                System.err.printf(Locale.ROOT, "myelin experiment: the %s analysis failed (exit %d); the command was:%n  %s%n",
                        variant, code, commandLine(p.jar, c));
                return code;
            }
        }
        Map<String, Object> summary = summarise(p);
        AtomicFiles.writeString(p.out.resolve("experiment.json"), Json.write(summary));
        AtomicFiles.writeString(p.out.resolve("experiment.md"), markdown(p, summary));
        System.out.print(stdoutSummary(p, summary));
        System.err.printf(Locale.ROOT, "experiment done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println("summary: " + p.out.resolve("experiment.json") + ", " + p.out.resolve("experiment.md"));
        return 0;
    }

    /** Whether an analysis report exists and is not older than any of its variant's model files. */
    private static boolean upToDate(Path report, List<Run> runs, String variant) throws IOException {
        if (!Files.isRegularFile(report)) return false;
        long t = Files.getLastModifiedTime(report).toMillis();
        for (Run r : runs) {
            if (!r.variant.equals(variant)) continue;
            for (Path m : List.of(r.trained, r.untrained)) {
                if (Files.isRegularFile(m) && Files.getLastModifiedTime(m).toMillis() > t) return false;
            }
        }
        return true;
    }

    /** Every step's arguments, in order: trains, analyses, then the summarising experiment. */
    static List<List<String>> commands(Plan p) {
        List<List<String>> l = new ArrayList<>();
        for (Run r : p.runs) l.add(p.trainCommand(r));
        for (String v : p.variants) l.add(p.analyzeCommand(v));
        l.add(p.summaryCommand());
        return l;
    }

    /** Runs one step through {@link Main#run}, its stdout sent to stderr so that stdout keeps only the summary. */
    private static int runQuietly(List<String> argv) {
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            return Main.run(argv.toArray(new String[0]));
        } finally {
            System.setOut(out);
        }
    }

    /** A shell command line: the java invocation, then every argument quoted where needed. */
    static String commandLine(String jar, List<String> argv) {
        StringBuilder sb = new StringBuilder(JAVA).append(quote(jar));
        for (String s : argv) sb.append(' ').append(quote(s));
        return sb.toString();
    }

    static String quote(String s) {
        if (!s.isEmpty() && PLAIN.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    // ---- summary -------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new UsageException(file + ": missing (did its step run?)");
        Object o;
        try {
            o = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!(o instanceof Map)) throw new UsageException(file + ": not a JSON object");
        return (Map<String, Object>) o;
    }

    private static String rel(Path base, Path p) {
        try {
            return base.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    private static Double number(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> summarise(Plan p) throws IOException {
        Map<String, Object> s = Json.object();
        Map<String, Object> settings = Json.object();
        settings.put("data", p.data == null ? "built-in" : p.data.toString());
        settings.put("repeats", p.repeats);
        settings.put("epochs", p.epochs == null ? null : (Object) p.epochs);
        settings.put("variants", new ArrayList<Object>(p.variants));
        settings.put("sparsity", p.sparsity);
        settings.put("structure", p.structure);
        settings.put("seed", p.seed);
        settings.put("permutations", p.permutations);
        settings.put("train_args", String.join(" ", p.trainArgs));
        s.put("settings", settings);

        List<Object> runs = new ArrayList<>();
        for (Run r : p.runs) {
            Map<String, Object> rep = readJson(r.report);
            Map<String, Object> m = Json.object();
            m.put("variant", r.variant);
            m.put("repeat", r.repeat);
            m.put("seed", r.seed);
            m.put("trained", rel(p.out, r.trained));
            m.put("untrained", rel(p.out, r.untrained));
            m.put("report", rel(p.out, r.report));
            m.put("test_accuracy", number(rep.get("test_accuracy")));
            m.put("best_test_accuracy", number(rep.get("best_test_accuracy")));
            Object ep = rep.get("epochs");
            m.put("epochs", ep instanceof List ? ((List<Object>) ep).size() : null);
            m.put("active_synapses", rep.get("active_synapses"));
            m.put("wall_time_seconds", number(rep.get("wall_time_seconds")));
            Object cfg = rep.get("config");
            if (cfg instanceof Map) {
                m.put("sparsity", ((Map<String, Object>) cfg).get("sparsity"));
                m.put("structure", ((Map<String, Object>) cfg).get("structure"));
            }
            runs.add(m);
        }
        s.put("runs", runs);

        for (String variant : p.variants) {
            Path reportFile = p.out.resolve(variant).resolve("report.json");
            Map<String, Object> rep = readJson(reportFile);
            Map<String, Object> v = Json.object();
            v.put("analysis", rel(p.out, reportFile));
            double sum = 0;
            int n = 0;
            List<Object> acc = new ArrayList<>();
            for (Object o : runs) {
                Map<String, Object> m = (Map<String, Object>) o;
                if (!m.get("variant").equals(variant)) continue;
                Double t = (Double) m.get("test_accuracy");
                acc.add(t);
                if (t != null) { sum += t; n++; }
            }
            v.put("test_accuracies", acc);
            v.put("mean_test_accuracy", n == 0 ? null : (Object) (sum / n));
            Object mw = rep.get("mann_whitney");
            if (mw instanceof Map) {
                Map<String, Object> m = (Map<String, Object>) mw;
                v.put("U", number(m.get("U")));
                v.put("p", number(m.get("p")));
                v.put("n1", m.get("n1"));
                v.put("n2", m.get("n2"));
            } else {
                v.put("U", null);
                v.put("p", null);
            }
            for (String g : List.of("trained", "untrained")) {
                Object gm = rep.get(g);
                if (gm instanceof Map) {
                    v.put("mean_moran_max_" + g, number(((Map<String, Object>) gm).get("mean_moran_max")));
                    v.put("mean_moran_identity_" + g, number(((Map<String, Object>) gm).get("mean_moran_identity")));
                }
            }
            Map<String, Object> paper = Json.object();
            paper.put("U", variant.equals("dense") ? AnalysisRunner.PAPER_DENSE_U : AnalysisRunner.PAPER_SPARSE_U);
            paper.put("p", variant.equals("dense") ? AnalysisRunner.PAPER_DENSE_P : AnalysisRunner.PAPER_SPARSE_P);
            v.put("paper", paper);
            s.put(variant, v);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static String stdoutSummary(Plan p, Map<String, Object> s) {
        StringBuilder sb = new StringBuilder();
        for (String variant : p.variants) {
            Map<String, Object> v = (Map<String, Object>) s.get(variant);
            sb.append(String.format(Locale.ROOT, "%-6s mean test accuracy %s over %d runs; Mann-Whitney U = %s, p = %s; mean Moran's I %s trained, %s untrained%n",
                    variant, fmt(v.get("mean_test_accuracy")), p.repeats, fmt(v.get("U")), fmt(v.get("p")),
                    fmt(v.get("mean_moran_max_trained")), fmt(v.get("mean_moran_max_untrained"))));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Plan p, Map<String, Object> s) {
        StringBuilder sb = new StringBuilder("# Experiment\n\n");
        sb.append("Data: ").append(p.data == null ? "built-in task" : "`" + p.data + "`").append("; ")
          .append(p.repeats).append(" repeat(s); epochs: ").append(p.epochs == null ? "train's default" : p.epochs.toString())
          .append("; sparse runs: sparsity ").append(num(p.sparsity)).append(", structure ").append(p.structure)
          .append("; base seed ").append(p.seed).append("; ").append(p.permutations).append(" channel orders per field")
          .append(p.trainArgs.isEmpty() ? "" : "; further train options `" + String.join(" ", p.trainArgs) + "`").append(".\n\n");
        sb.append("## Analyses (two-sided Mann-Whitney U, trained vs untrained Moran's I, max over channel orders)\n\n");
        sb.append("| variant | mean test accuracy | U | p | paper U | paper p | mean I trained | mean I untrained | report |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String variant : p.variants) {
            Map<String, Object> v = (Map<String, Object>) s.get(variant);
            Map<String, Object> paper = (Map<String, Object>) v.get("paper");
            sb.append("| ").append(variant).append(" | ").append(fmt(v.get("mean_test_accuracy"))).append(" | ")
              .append(fmt(v.get("U"))).append(" | ").append(fmt(v.get("p"))).append(" | ")
              .append(fmt(paper.get("U"))).append(" | ").append(fmt(paper.get("p"))).append(" | ")
              .append(fmt(v.get("mean_moran_max_trained"))).append(" | ").append(fmt(v.get("mean_moran_max_untrained")))
              .append(" | `").append(v.get("analysis")).append("` |\n");
        }
        sb.append("\n## Training runs\n\n| variant | repeat | seed | test accuracy | best | epochs | trained model | untrained model |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Object o : (List<Object>) s.get("runs")) {
            Map<String, Object> m = (Map<String, Object>) o;
            sb.append("| ").append(m.get("variant")).append(" | ").append(m.get("repeat")).append(" | ").append(m.get("seed"))
              .append(" | ").append(fmt(m.get("test_accuracy"))).append(" | ").append(fmt(m.get("best_test_accuracy")))
              .append(" | ").append(m.get("epochs")).append(" | `").append(m.get("trained")).append("` | `")
              .append(m.get("untrained")).append("` |\n");
        }
        return sb.toString();
    }

    private static String fmt(Object o) {
        if (!(o instanceof Number)) return "–";
        double v = ((Number) o).doubleValue();
        if (!Double.isFinite(v)) return "–";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        if (Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
