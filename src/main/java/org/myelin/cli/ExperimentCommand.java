package org.myelin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.myelin.analysis.AnalysisRunner;
import org.myelin.analysis.MannWhitney;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Json;
import org.myelin.model.Model;
import org.myelin.run.Codec;
import org.myelin.run.Outputs;
import org.myelin.run.RunResult;
import org.myelin.run.RunSpec;
import org.myelin.run.Runs;
import org.myelin.train.StructureKind;
import org.myelin.train.TrainConfig;

/**
 * {@code experiment}: the paper's protocol in one command. For each repeat, trains a dense network
 * and a sparse one with learnt structure (each also saving its untrained counterpart) through
 * {@link Runs}, then analyses the dense and the sparse models with {@link AnalysisRunner}, and
 * writes experiment.json and experiment.md from the typed results. With {@code --print-commands}
 * it prints the equivalent {@code train} and {@code analyze} command lines for a scheduler instead.
 */
final class ExperimentCommand implements Command {
    private static final List<String> VARIANTS = List.of("dense", "sparse");
    /** Training flags the experiment sets itself per run (its own --sparsity and --structure are the sparse runs'). */
    static final Set<String> MANAGED = Set.of("sparsity", "structure", "out", "report", "checkpoint", "save-initial", "resume");
    /** The record of an analysis beside its report: the checksums of the models it read and its numbers, for --reuse. */
    static final String ANALYSIS_RECORD = "experiment-analysis.json";

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
                + "Training options are train's own flags, given directly (e.g. --hidden 8 --train-size 60;\n"
                + "the older --train-args='...' is refused with that advice).\n"
                + "Training output goes to stderr; the summary to stdout.\n\n"
                + "  --out DIR           experiment folder (required); models go to DIR/models/\n"
                + "                      (VARIANT_rR_trained.myelin, VARIANT_rR_untrained.myelin,\n"
                + "                      VARIANT_rR_train.json)\n"
                + "  --repeats N         repeats of each variant (default 3, the paper's)\n"
                + "  --sparsity S        sparsity of the sparse runs (default 0.875, the paper's)\n"
                + "  --structure K       structure learning of the sparse runs: rigl, deepr or fixed (default rigl)\n"
                + "  --variants LIST     dense, sparse or dense,sparse (default dense,sparse)\n"
                + "  --seed N            base seed (default 1): dense run r uses N+r-1, sparse run r uses N+R+r-1;\n"
                + "                      the analyses use N as their seed\n"
                + "  --threads N         worker threads of every step (default: all cores; with --submit 1); results do\n"
                + "                      not depend on it\n"
                + "  --permutations N    channel orders per field in the analyses (default 2000)\n"
                + "  --no-heatmaps       no per-field heat maps in the analyses\n"
                + "  --reuse             skip a training run whose model, untrained model and report exist (and\n"
                + "                      whose report has this run's settings), and an analysis whose models are\n"
                + "                      the ones it analysed (checksums in VARIANT/" + ANALYSIS_RECORD + ")\n"
                + "                      when none of them was retrained (to resume an interrupted experiment)\n"
                + "  --print-commands    print the command lines (trains, analyses, then this experiment with\n"
                + "                      --reuse to write the summary) instead of running anything\n"
                + SlurmArray.SUBMIT_HELP
                + "  --jar PATH          jar the printed commands run with java -jar (default: " + Text.DEFAULT_JAR + ",\n"
                + "                      printed as its launcher " + Main.LAUNCHER + ")\n"
                + "  --help              this text\n"
                + "\ndata:\n" + DataOptions.HELP
                + "\ntraining (as for 'train', for every run):\n" + Presets.HELP + TrainFlags.RUN_HELP
                + TrainFlags.MODEL_HELP.replace("  --sparsity S        fraction of absent synapses per layer (default 0 = dense)\n", "")
                        .replace("  --structure K       fixed (random mask), deepr or rigl (default fixed)\n", "");
    }

    /** One training run of the protocol. */
    static final class Run {
        final String variant;
        final int repeat;
        final long seed;
        final Path trained, untrained, report;
        final RunSpec spec;

        Run(String variant, int repeat, long seed, Path models, RunSpec base, double sparsity, StructureKind structure) {
            this.variant = variant;
            this.repeat = repeat;
            this.seed = seed;
            String name = variant + "_r" + repeat;
            this.trained = models.resolve(name + "_trained.myelin");
            this.untrained = models.resolve(name + "_untrained.myelin");
            this.report = models.resolve(name + "_train.json");
            TrainConfig tc = base.training();
            tc.seed = seed;
            if (variant.equals("sparse")) {
                tc.sparsity = sparsity;
                tc.structure = structure;
            }
            this.spec = base.withTraining(tc).withOutputs(new Outputs(trained, report, null, untrained));
        }
    }

    /** The parsed options. */
    static final class Plan {
        Path out;
        int repeats;
        Integer threads;
        double sparsity;
        StructureKind structure;
        List<String> variants;
        long seed;
        int permutations;
        boolean heatMaps, reuse, printCommands;
        SlurmArray.Options slurm;
        String jar;
        /** The lines saying what {@code --preset} set (empty without one), printed first. */
        String preset = "";
        RunSpec base;
        final List<Run> runs = new ArrayList<>();

        List<String> trainCommand(Run r) {
            List<String> c = new ArrayList<>(List.of("train"));
            c.addAll(TrainFlags.argv(r.spec));
            if (threads != null) add(c, "--threads", threads.toString());
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
            add(c, "--repeats", Integer.toString(repeats));
            add(c, "--sparsity", Text.plain(sparsity));
            add(c, "--structure", structure.id());
            add(c, "--variants", String.join(",", variants));
            if (threads != null) add(c, "--threads", threads.toString());
            add(c, "--permutations", Integer.toString(permutations));
            if (!heatMaps) c.add("--no-heatmaps");
            c.addAll(TrainFlags.differing(base, Set.of())); // data and training flags (with --epochs and --seed)
            c.add("--reuse");
            return c;
        }

        /** The training flags every run shares, for the summaries ("" when all are the defaults). */
        String trainingFlags() {
            return String.join(" ", TrainFlags.differing(base, Set.of("epochs", "seed")));
        }

        private static void add(List<String> c, String opt, String value) {
            c.add(opt);
            c.add(value);
        }
    }

    static Plan parse(Args a) {
        Plan p = new Plan();
        p.preset = Presets.apply(a); // before any flag is read: its values are defaults of every run, given flags win
        if (a.has("train-args")) {
            throw new UsageException("--train-args is no more: give train's flags directly (e.g. --hidden 8 --train-size 60)");
        }
        p.out = a.path("out", null);
        p.repeats = a.integer("repeats", 3);
        p.threads = a.has("threads") ? a.integer("threads", 0) : null;
        p.sparsity = a.number("sparsity", 0.875);
        String structure = a.string("structure", "rigl");
        p.variants = Arrays.asList(a.string("variants", "dense,sparse").split(","));
        p.permutations = a.integer("permutations", 2000);
        p.heatMaps = a.flag("heatmaps", true);
        p.reuse = a.flag("reuse", false);
        p.jar = a.string("jar", Text.DEFAULT_JAR);
        p.printCommands = a.flag("print-commands", false);
        p.slurm = SlurmArray.Options.parse(a);
        if (p.slurm.submit() && p.printCommands) throw new UsageException("--submit excludes --print-commands");
        p.base = TrainFlags.parse(a, MANAGED);
        p.seed = p.base.training().seed;
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'experiment --help')");
        if (p.out == null) throw new UsageException("--out is required (the experiment folder)");
        if (p.repeats < 1) throw new UsageException("--repeats must be at least 1");
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
            throw new UsageException("--sparsity must be between 0 and 1 (exclusive), got " + Text.plain(p.sparsity));
        }
        try {
            p.structure = StructureKind.parse(structure);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--structure must be rigl, deepr or fixed, got '" + structure + "'");
        }
        Path models = p.out.resolve("models");
        for (int r = 1; r <= p.repeats; r++) {
            for (String variant : p.variants) {
                long seed = p.seed + (variant.equals("dense") ? 0 : p.repeats) + r - 1;
                Run run = new Run(variant, r, seed, models, p.base, p.sparsity, p.structure);
                run.spec.trainConfig(fakeShape(), 1); // every setting checked before anything runs
                p.runs.add(run);
            }
        }
        return p;
    }

    /** A stand-in data shape: the settings' checks do not depend on it. */
    private static org.myelin.data.Dataset.Split fakeShape() {
        org.myelin.data.Dataset d = new org.myelin.data.Dataset(new float[1], new int[1], 1, 1, 1, List.of("x"));
        return new org.myelin.data.Dataset.Split(d, d, "shape check");
    }

    @Override
    public int run(Args a) throws Exception {
        Plan p = parse(a);
        if (!p.preset.isEmpty()) System.err.println(p.preset);
        if (p.printCommands) {
            for (List<String> c : commands(p)) System.out.println(Text.commandLine(p.jar, c));
            return 0;
        }
        if (Files.exists(p.out) && !Files.isDirectory(p.out)) throw new UsageException("--out " + p.out + " is a file, not a folder");
        if (p.slurm.submit()) {
            int rc = submit(p);
            if (rc >= 0) return rc;
            p.reuse = true; // every run is complete: the analyses and the summary, as --reuse does
        }
        Files.createDirectories(p.out);
        long start = System.nanoTime();
        int steps = p.runs.size() + p.variants.size(), step = 0;
        int threads = p.threads != null ? p.threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        Set<String> trainedNow = new HashSet<>();
        Map<Run, RunResult> results = new LinkedHashMap<>();
        for (Run r : p.runs) {
            step++;
            if (p.reuse && Files.isRegularFile(r.trained) && Files.isRegularFile(r.untrained) && Files.isRegularFile(r.report)) {
                RunResult old = reusable(r, System.err);
                if (old != null) {
                    System.err.printf(Locale.ROOT, "[%d/%d] %s r%d: reusing %s%n", step, steps, r.variant, r.repeat, r.trained);
                    results.put(r, old);
                    continue;
                }
            }
            System.err.printf(Locale.ROOT, "[%d/%d] training %s r%d (seed %d): %s%n", step, steps, r.variant, r.repeat, r.seed,
                    Text.commandLine(p.jar, p.trainCommand(r)));
            trainedNow.add(r.variant);
            RunResult res = Runs.train(r.spec, threads, new TrainProgress(System.err, null, null));
            System.err.printf(Locale.ROOT, "test accuracy %.4f (best %.4f); model: %s, report: %s%n", res.testAccuracy(),
                    res.bestTestAccuracy(), r.trained, r.report);
            results.put(r, res);
        }
        Map<String, AnalysisNumbers> analyses = new LinkedHashMap<>();
        for (String variant : p.variants) {
            step++;
            Path dir = p.out.resolve(variant);
            AnalysisNumbers old = p.reuse && !trainedNow.contains(variant) ? AnalysisNumbers.readIfCurrent(dir, p.runs, variant) : null;
            if (old != null) {
                System.err.printf(Locale.ROOT, "[%d/%d] %s analysis: reusing %s%n", step, steps, variant, dir.resolve("report.json"));
                analyses.put(variant, old);
                continue;
            }
            System.err.printf(Locale.ROOT, "[%d/%d] analysing %s: %s%n", step, steps, variant, Text.commandLine(p.jar, p.analyzeCommand(variant)));
            analyses.put(variant, analyse(p, variant, threads));
        }
        Map<String, Object> summary = summarise(p, results, analyses);
        AtomicFiles.writeString(p.out.resolve("experiment.json"), Json.write(summary));
        AtomicFiles.writeString(p.out.resolve("experiment.md"), markdown(p, summary));
        System.out.print(stdoutSummary(p, summary));
        System.err.printf(Locale.ROOT, "experiment done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println("summary: " + p.out.resolve("experiment.json") + ", " + p.out.resolve("experiment.md"));
        return 0;
    }

    /**
     * A finished run's report when it is this run's (same specification, all epochs), else null
     * (train it again; {@code say}, when not null, is told why).
     */
    private static RunResult reusable(Run r, java.io.PrintStream say) throws IOException {
        try {
            RunResult old = Codec.readReport(r.report);
            if (old.complete() && Codec.differences(old.spec().absolute(), r.spec.absolute()).isEmpty()) return old;
            if (say != null) say.println("experiment: " + r.report + " is not this run's (other settings or unfinished); training it again");
        } catch (IllegalArgumentException e) {
            if (say != null) say.println("experiment: " + e.getMessage() + "; training it again");
        }
        return null;
    }

    /** Whether a run's model, untrained model and report are there, the report complete and this run's. */
    private static boolean complete(Run r) throws IOException {
        return Files.isRegularFile(r.trained) && Files.isRegularFile(r.untrained) && Files.isRegularFile(r.report) && reusable(r, null) != null;
    }

    private static String name(Run r) {
        return r.variant + " r" + r.repeat;
    }

    /**
     * {@code --submit slurm}: the training runs not complete as one array job (the data prepared
     * and a run's memory measured here first). Returns the exit code when the command ends here
     * (submitted without --wait, or runs failed), -1 when every run is complete and the analyses
     * and the summary follow.
     */
    private static int submit(Plan p) throws Exception {
        SlurmArray.check(p.out);
        int threads = p.threads != null ? p.threads : 1;
        List<Run> todo = new ArrayList<>();
        for (Run r : p.runs) if (!complete(r)) todo.add(r);
        String hint = "the same command with --reuse in place of --submit slurm (it trains no complete run again)";
        if (!todo.isEmpty()) {
            for (Run r : todo) SlurmArray.checkCheckpoint(r.spec.outputs().checkpoint(), r.spec);
            Run heaviest = todo.get(0);
            for (Run r : todo) if (r.variant.equals("dense")) heaviest = r;
            System.err.printf(Locale.ROOT, "experiment: %d of %d training runs to submit; preparing the data and measuring run %s%n",
                    todo.size(), p.runs.size(), name(heaviest));
            long heap = Runs.preparedHeapBytes(heaviest.spec, threads);
            List<SlurmArray.Task> tasks = new ArrayList<>();
            for (Run r : todo) {
                List<String> w = new ArrayList<>(List.of("train"));
                w.addAll(TrainFlags.argv(r.spec));
                w.addAll(List.of("--threads", Integer.toString(threads)));
                tasks.add(new SlurmArray.Task(name(r), r.spec.outputs().checkpoint(), w));
            }
            String job = SlurmArray.submit("experiment", p.out, tasks, threads, SlurmArray.Memory.of(heap), p.slurm.sbatchArgs(), System.err);
            System.out.println(job);
            if (!p.slurm.await()) {
                System.err.println("experiment: when the job has ended (squeue -j " + job + "), analyse and summarise: " + hint);
                return 0;
            }
            SlurmArray.await("experiment", job, tasks.size(), hint, System.err);
        } else {
            System.err.println("experiment: all " + p.runs.size() + " training runs are complete: nothing to submit");
        }
        List<String> incomplete = new ArrayList<>();
        for (Run r : p.runs) if (!complete(r)) incomplete.add(name(r));
        if (incomplete.isEmpty()) return -1;
        List<String> failed = SlurmArray.failures(p.out, incomplete);
        for (String f : failed) System.err.println("experiment: " + f);
        System.err.println("experiment: " + incomplete.size() + " of " + p.runs.size() + " training runs are not complete; no analysis");
        return 1;
    }

    /** Analyses one variant's trained against its untrained models, and records what it read. */
    private static AnalysisNumbers analyse(Plan p, String variant, int threads) throws IOException {
        List<AnalysisRunner.Network> trained = new ArrayList<>(), untrained = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Path> inputs = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            for (Run r : p.runs) {
                if (!r.variant.equals(variant)) continue;
                Path f = g == 0 ? r.trained : r.untrained;
                Model m = Codec.readModel(f);
                (g == 0 ? trained : untrained).add(AnalyzeCommand.network(AnalyzeCommand.uniqueName(f, names), m));
                inputs.add(f);
            }
        }
        Path dir = p.out.resolve(variant);
        Files.createDirectories(dir);
        AnalysisRunner.Summary s = AnalysisRunner.run(trained, untrained,
                new AnalysisRunner.Options().seed(p.seed).permutations(p.permutations).threads(threads).heatMaps(p.heatMaps), dir);
        AnalysisNumbers n = AnalysisNumbers.of(s, inputs);
        n.write(dir);
        return n;
    }

    /** Every step's arguments, in order: trains, analyses, then the summarising experiment. */
    static List<List<String>> commands(Plan p) {
        List<List<String>> l = new ArrayList<>();
        for (Run r : p.runs) l.add(p.trainCommand(r));
        for (String v : p.variants) l.add(p.analyzeCommand(v));
        l.add(p.summaryCommand());
        return l;
    }

    /** The numbers of one analysis the summary uses, with the checksums of the model files it read. */
    record AnalysisNumbers(Double u, Double p, Integer n1, Integer n2, double meanMaxTrained, double meanMaxUntrained,
                           double meanIdentityTrained, double meanIdentityUntrained, Map<String, String> inputs) {
        static AnalysisNumbers of(AnalysisRunner.Summary s, List<Path> files) throws IOException {
            MannWhitney.Result mw = s.mannWhitney;
            Map<String, String> in = new LinkedHashMap<>();
            for (Path f : files) in.put(f.toString(), checksum(f));
            return new AnalysisNumbers(mw == null ? null : mw.u, mw == null ? null : mw.p, mw == null ? null : mw.n1,
                    mw == null ? null : mw.n2, meanFinite(s.trained, true), meanFinite(s.untrained, true),
                    meanFinite(s.trained, false), meanFinite(s.untrained, false), in);
        }

        private static double meanFinite(List<AnalysisRunner.FieldResult> l, boolean max) {
            double sum = 0;
            int n = 0;
            for (AnalysisRunner.FieldResult r : l) {
                double v = max ? r.moranMax : r.moranIdentity;
                if (Double.isFinite(v)) { sum += v; n++; }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        /** A model file's own SHA-256 (the last 32 bytes of every Myelin container), as hex. */
        static String checksum(Path f) throws IOException {
            byte[] all = Files.readAllBytes(f);
            StringBuilder sb = new StringBuilder();
            for (int k = Math.max(0, all.length - 32); k < all.length; k++) sb.append(String.format("%02x", all[k]));
            return sb.toString();
        }

        void write(Path dir) throws IOException {
            Map<String, Object> m = Json.object();
            m.put("U", u);
            m.put("p", p);
            m.put("n1", n1);
            m.put("n2", n2);
            m.put("mean_moran_max_trained", meanMaxTrained);
            m.put("mean_moran_max_untrained", meanMaxUntrained);
            m.put("mean_moran_identity_trained", meanIdentityTrained);
            m.put("mean_moran_identity_untrained", meanIdentityUntrained);
            m.put("inputs", new LinkedHashMap<String, Object>(inputs));
            AtomicFiles.writeString(dir.resolve(ANALYSIS_RECORD), Json.write(m));
        }

        /** The recorded numbers when the record exists and every model file is still the one analysed; else null. */
        static AnalysisNumbers readIfCurrent(Path dir, List<Run> runs, String variant) throws IOException {
            Path f = dir.resolve(ANALYSIS_RECORD);
            if (!Files.isRegularFile(f) || !Files.isRegularFile(dir.resolve("report.json"))) return null;
            Map<?, ?> m;
            try {
                Object o = Codec.readJson(f);
                if (!(o instanceof Map)) return null;
                m = (Map<?, ?>) o;
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!(m.get("inputs") instanceof Map)) return null;
            Map<String, String> in = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("inputs")).entrySet()) in.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            List<String> want = new ArrayList<>();
            for (int g = 0; g < 2; g++) for (Run r : runs) if (r.variant.equals(variant)) want.add((g == 0 ? r.trained : r.untrained).toString());
            if (!new ArrayList<>(in.keySet()).equals(want)) return null;
            for (String w : want) if (!Files.isRegularFile(Path.of(w)) || !checksum(Path.of(w)).equals(in.get(w))) return null;
            return new AnalysisNumbers(dbl(m.get("U")), dbl(m.get("p")), integer(m.get("n1")), integer(m.get("n2")),
                    nan(m.get("mean_moran_max_trained")), nan(m.get("mean_moran_max_untrained")),
                    nan(m.get("mean_moran_identity_trained")), nan(m.get("mean_moran_identity_untrained")), in);
        }

        private static Double dbl(Object o) {
            return o instanceof Number ? ((Number) o).doubleValue() : null;
        }

        private static Integer integer(Object o) {
            return o instanceof Number ? ((Number) o).intValue() : null;
        }

        private static double nan(Object o) {
            return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
        }
    }

    // ---- summary -------------------------------------------------------------------------------

    private static String rel(Path base, Path p) {
        try {
            return base.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static Map<String, Object> summarise(Plan p, Map<Run, RunResult> results, Map<String, AnalysisNumbers> analyses) {
        Map<String, Object> s = Json.object();
        Map<String, Object> settings = Json.object();
        Path data = p.base.data().dir();
        settings.put("data", data == null ? "built-in" : data.toString());
        settings.put("repeats", p.repeats);
        settings.put("epochs", p.base.training().epochs);
        settings.put("variants", new ArrayList<Object>(p.variants));
        settings.put("sparsity", p.sparsity);
        settings.put("structure", p.structure.id());
        settings.put("hidden", new ArrayList<Object>(p.base.network().hidden()));
        settings.put("depth", p.base.network().hidden().size());
        settings.put("seed", p.seed);
        settings.put("permutations", p.permutations);
        settings.put("training_flags", p.trainingFlags());
        s.put("settings", settings);

        List<Object> runs = new ArrayList<>();
        for (Run r : p.runs) {
            RunResult rep = results.get(r);
            TrainConfig c = rep.config();
            Map<String, Object> m = Json.object();
            m.put("variant", r.variant);
            m.put("repeat", r.repeat);
            m.put("seed", r.seed);
            m.put("trained", rel(p.out, r.trained));
            m.put("untrained", rel(p.out, r.untrained));
            m.put("report", rel(p.out, r.report));
            m.put("test_accuracy", rep.testAccuracy());
            m.put("best_test_accuracy", rep.bestTestAccuracy());
            m.put("epochs", rep.epochs().size());
            m.put("active_synapses", rep.activeSynapses());
            m.put("wall_time_seconds", rep.wallSeconds());
            m.put("sparsity", c.sparsity);
            m.put("structure", c.structure.id());
            runs.add(m);
        }
        s.put("runs", runs);

        for (String variant : p.variants) {
            AnalysisNumbers a = analyses.get(variant);
            Map<String, Object> v = Json.object();
            v.put("analysis", rel(p.out, p.out.resolve(variant).resolve("report.json")));
            double sum = 0;
            int n = 0;
            List<Object> acc = new ArrayList<>();
            for (Run r : p.runs) {
                if (!r.variant.equals(variant)) continue;
                double t = results.get(r).testAccuracy();
                acc.add(t);
                sum += t;
                n++;
            }
            v.put("test_accuracies", acc);
            v.put("mean_test_accuracy", n == 0 ? null : (Object) (sum / n));
            v.put("U", a.u());
            v.put("p", a.p());
            v.put("n1", a.n1());
            v.put("n2", a.n2());
            v.put("mean_moran_max_trained", finite(a.meanMaxTrained()));
            v.put("mean_moran_identity_trained", finite(a.meanIdentityTrained()));
            v.put("mean_moran_max_untrained", finite(a.meanMaxUntrained()));
            v.put("mean_moran_identity_untrained", finite(a.meanIdentityUntrained()));
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
        StringBuilder sb = new StringBuilder("network: " + Text.hidden(p.base.network().hidden()) + "\n");
        for (String variant : p.variants) {
            Map<String, Object> v = (Map<String, Object>) s.get(variant);
            sb.append(String.format(Locale.ROOT, "%-6s mean test accuracy %s over %d runs; Mann-Whitney U = %s, p = %s; mean Moran's I %s trained, %s untrained%n",
                    variant, Text.brief(v.get("mean_test_accuracy")), p.repeats, Text.brief(v.get("U")), Text.brief(v.get("p")),
                    Text.brief(v.get("mean_moran_max_trained")), Text.brief(v.get("mean_moran_max_untrained"))));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Plan p, Map<String, Object> s) {
        StringBuilder sb = new StringBuilder("# Experiment\n\n");
        sb.append("Data: ").append(p.base.data().dir() == null ? "built-in task" : "`" + p.base.data().dir() + "`").append("; ")
          .append(Text.hidden(p.base.network().hidden())).append("; ")
          .append(p.repeats).append(" repeat(s); epochs: ").append(p.base.training().epochs)
          .append("; sparse runs: sparsity ").append(Text.plain(p.sparsity)).append(", structure ").append(p.structure.id())
          .append("; base seed ").append(p.seed).append("; ").append(p.permutations).append(" channel orders per field")
          .append(p.trainingFlags().isEmpty() ? "" : "; training flags `" + p.trainingFlags() + "`").append(".\n\n");
        sb.append("## Analyses (two-sided Mann-Whitney U, trained vs untrained Moran's I, max over channel orders)\n\n");
        sb.append("| variant | mean test accuracy | U | p | paper U | paper p | mean I trained | mean I untrained | report |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String variant : p.variants) {
            Map<String, Object> v = (Map<String, Object>) s.get(variant);
            Map<String, Object> paper = (Map<String, Object>) v.get("paper");
            sb.append("| ").append(variant).append(" | ").append(Text.brief(v.get("mean_test_accuracy"))).append(" | ")
              .append(Text.brief(v.get("U"))).append(" | ").append(Text.brief(v.get("p"))).append(" | ")
              .append(Text.brief(paper.get("U"))).append(" | ").append(Text.brief(paper.get("p"))).append(" | ")
              .append(Text.brief(v.get("mean_moran_max_trained"))).append(" | ").append(Text.brief(v.get("mean_moran_max_untrained")))
              .append(" | `").append(v.get("analysis")).append("` |\n");
        }
        sb.append("\n## Training runs\n\n| variant | repeat | seed | test accuracy | best | epochs | trained model | untrained model |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Object o : (List<Object>) s.get("runs")) {
            Map<String, Object> m = (Map<String, Object>) o;
            sb.append("| ").append(m.get("variant")).append(" | ").append(m.get("repeat")).append(" | ").append(m.get("seed"))
              .append(" | ").append(Text.brief(m.get("test_accuracy"))).append(" | ").append(Text.brief(m.get("best_test_accuracy")))
              .append(" | ").append(m.get("epochs")).append(" | `").append(m.get("trained")).append("` | `")
              .append(m.get("untrained")).append("` |\n");
        }
        return sb.toString();
    }
}
