package org.myelin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.myelin.analysis.Plots;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Progress;
import org.myelin.run.Codec;
import org.myelin.run.Outputs;
import org.myelin.run.RunResult;
import org.myelin.run.RunSpec;
import org.myelin.run.Runs;
import org.myelin.train.StructureKind;
import org.myelin.train.TrainConfig;

/**
 * {@code ablation}: the paper's Figure 3. Four models (structure learnt or fixed × delays learnt or
 * fixed) over a sparsity ladder, several repeats each; every run is a {@link RunSpec} trained through
 * {@link Runs} in this process, one after another (the same run as the {@code train} command line
 * {@code --print-commands} shows), its report.json the record. Runs whose report is complete are not
 * trained again, so an interrupted ablation continues where it stopped; a run interrupted
 * mid-training continues from its checkpoint.
 */
final class AblationCommand implements Command {
    static final double[] DEFAULT_LADDER = {0.5, 0.75, 0.875, 0.9375, 0.96875};
    /** Training flags the ablation sets per run itself (giving them is an error). */
    static final Set<String> MANAGED = Set.of("sparsity", "structure", "learn-delays", "out", "report", "checkpoint", "save-initial", "resume");

    /** One of the four models. */
    enum Model {
        BOTH("both", true, true),
        STRUCTURE("structure", true, false),
        DELAYS("delays", false, true),
        NEITHER("neither", false, false);

        final String id;
        final boolean structure, delays;

        Model(String id, boolean structure, boolean delays) {
            this.id = id;
            this.structure = structure;
            this.delays = delays;
        }

        /** Short, for the plot's legend: "RigL + learnt delays". */
        String label(String kind) {
            return (structure ? (kind.equals("rigl") ? "RigL" : "DEEP R") : "fixed mask")
                    + (delays ? " + learnt delays" : " + fixed delays");
        }

        /** Long, for the table's key: "learnt structure (RigL), learnt delays". */
        String describe(String kind) {
            return (structure ? "learnt structure (" + (kind.equals("rigl") ? "RigL" : "DEEP R") + ")" : "fixed structure (random mask)")
                    + (delays ? ", learnt delays" : ", fixed random integer delays");
        }
    }

    /** One planned training run. */
    static final class Run {
        final Model model;
        final double sparsity;
        final int repeat; // 1-based
        final long seed;
        final Path dir;
        final String rel; // dir relative to --out, with '/'
        final RunSpec spec;
        double test = Double.NaN, best = Double.NaN, wall = Double.NaN;
        int classes; // the trained network's outputs (for the plot's chance line)
        boolean done;

        Run(Model model, double sparsity, int repeat, long seed, StructureKind kind, RunSpec base, Path out) {
            this.model = model;
            this.sparsity = sparsity;
            this.repeat = repeat;
            this.seed = seed;
            this.rel = "runs/" + model.id + "/s" + Text.plain(sparsity) + "-r" + repeat;
            this.dir = out.resolve("runs").resolve(model.id).resolve("s" + Text.plain(sparsity) + "-r" + repeat);
            TrainConfig tc = base.training();
            tc.seed = seed;
            tc.sparsity = sparsity;
            tc.structure = model.structure ? kind : StructureKind.FIXED;
            tc.learnDelays = model.delays;
            this.spec = base.withTraining(tc).withOutputs(new Outputs(dir.resolve("model.myelin"), dir.resolve("report.json"), null, null));
        }

        Path report() {
            return spec.outputs().report();
        }

        Path checkpoint() {
            return spec.outputs().checkpoint();
        }

        String name() {
            return model.id + " s" + Text.plain(sparsity) + " r" + repeat;
        }
    }

    @Override
    public String name() {
        return "ablation";
    }

    @Override
    public String summary() {
        return "Figure 3: structure learning × delay learning over a sparsity ladder, with repeats";
    }

    @Override
    public String help() {
        return "usage: myelin ablation --out DIR [--data DIR] [options]\n\n"
                + "The paper's ablation (Figure 3): four models — structure learnt (--structure rigl or deepr) or\n"
                + "fixed (a random mask) × delays learnt or fixed (--no-learn-delays) — at every sparsity of a\n"
                + "ladder, with several repeats. Every run is an ordinary, deterministic 'train' run in\n"
                + "DIR/runs/MODEL/sS-rR/ (model.myelin, report.json, train.log); the runs go one after another in\n"
                + "this process, each with all --threads.\n"
                + "The four models of one repeat share its seed (--seed + repeat − 1), hence their initialisation\n"
                + "where the models allow it.\n"
                + "\n"
                + "Resuming: a run whose report.json is complete is not trained again, and a run stopped mid-training\n"
                + "continues from its checkpoint, so re-running the same command after an interruption finishes the\n"
                + "ablation. A report made with other settings is an error naming them.\n"
                + "\n"
                + "Outputs in DIR: ablation.csv (one row per run: model, structure, delays, sparsity, repeat, seed,\n"
                + "test_accuracy, best_test_accuracy, report — relative to DIR —, wall_time_seconds),\n"
                + "ablation_summary.csv (n, mean and std over repeats per model × sparsity; std with n − 1, 0 for one\n"
                + "repeat) and ablation.png (mean test accuracy vs sparsity, error bars ± std). Progress goes to\n"
                + "stderr (with each run's own output), the summary table to stdout.\n"
                + "\n"
                + "ablation:\n"
                + "  --out DIR           output folder (required)\n"
                + "  --sparsities LIST   comma-separated sparsities in (0, 1) (default 0.5,0.75,0.875,0.9375,0.96875)\n"
                + "  --repeats N         repeats per model and sparsity, seeds --seed … --seed + N − 1 (default 3)\n"
                + "  --seed N            seed of the first repeat (default 1)\n"
                + "  --structure-kind K  how structure is learnt: rigl or deepr (default rigl)\n"
                + "  --print-commands    print one 'train' command line per run not yet complete (for a cluster\n"
                + "                      scheduler) instead of running; then '--collect' gathers their reports\n"
                + "  --collect           train nothing: gather the complete reports into the CSVs and the plot\n"
                + "  --threads N         worker threads of each run (default: all cores; with --print-commands only\n"
                + "                      printed when given; with --submit 1); results do not depend on it\n"
                + SlurmArray.SUBMIT_HELP
                + "  --help              this text\n"
                + "\ndata:\n" + DataOptions.HELP
                + "\ntraining (as for 'train'; --seed is the first repeat's seed):\n" + Presets.HELP + TrainFlags.RUN_HELP
                + TrainFlags.MODEL_HELP.replace(TrainFlags.LEARN_DELAYS_HELP, "")
                        .replace("  --sparsity S        fraction of absent synapses per layer (default 0 = dense)\n", "")
                        .replace("  --structure K       fixed (random mask), deepr or rigl (default fixed)\n", "")
                + "\n--sparsity, --structure and --learn-delays are the ablation's to set. Dale's law (--dale) applies\n"
                + "to learnt structure only; the fixed-mask models have none, as in the paper.\n"
                + "The printed command lines use the paths as given: run them from this folder.\n";
    }

    @Override
    public int run(Args a) throws Exception {
        String preset = Presets.apply(a); // before any flag is read: its values are defaults of every run, given flags win
        if (!preset.isEmpty()) System.err.println(preset);
        Path out = Path.of(a.required("out"));
        double[] ladder = parseLadder(a.string("sparsities", null));
        int repeats = a.integer("repeats", 3);
        if (repeats < 1) throw new UsageException("--repeats must be at least 1, got " + repeats);
        String kindWord = a.string("structure-kind", "rigl");
        if (!kindWord.equals("rigl") && !kindWord.equals("deepr")) {
            throw new UsageException("--structure-kind must be rigl or deepr, got '" + kindWord + "'");
        }
        StructureKind kind = StructureKind.parse(kindWord);
        boolean print = a.flag("print-commands", false);
        boolean collect = a.flag("collect", false);
        if (print && collect) throw new UsageException("--print-commands and --collect exclude each other");
        SlurmArray.Options slurm = SlurmArray.Options.parse(a);
        if (slurm.submit() && (print || collect)) throw new UsageException("--submit excludes --print-commands and --collect");
        boolean threadsGiven = a.has("threads");
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        RunSpec base = TrainFlags.parse(a, MANAGED);
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'ablation --help')");
        Path dataDir = base.data().dir();
        if (!print && dataDir != null && !Files.isDirectory(dataDir)) throw new UsageException("--data " + dataDir + ": no such folder");

        if (slurm.submit()) SlurmArray.check(out);
        List<Run> runs = plan(out, ladder, repeats, kind, base);
        int complete = 0;
        for (Run r : runs) if (readReport(r)) complete++;

        PrintStream stdout = System.out, stderr = System.err;
        if (slurm.submit()) return submit(out, runs, ladder, repeats, kind, threadsGiven ? threads : 1, slurm, stdout, stderr);
        if (print) {
            for (Run r : runs) {
                if (r.done) continue;
                stdout.println(Text.commandLine(Text.DEFAULT_JAR, trainWords(r, threadsGiven ? threads : 0)));
            }
            stderr.printf(Locale.ROOT, "ablation: %d runs, %d already complete (not printed), %d printed%n",
                    runs.size(), complete, runs.size() - complete);
            return 0;
        }

        if (complete == 0 && collect) throw new UsageException("--collect: no run in " + out + " has a complete report yet");
        int todo = runs.size() - complete;
        stderr.printf(Locale.ROOT, "ablation: %d models × %d sparsities × %d repeats = %d runs; %d complete (skipped), %d to %s%n",
                Model.values().length, ladder.length, repeats, runs.size(), complete, todo, collect ? "collect later" : "train");
        if (!collect) {
            long start = System.nanoTime();
            double[] seconds = new double[Model.values().length]; // training time per model, for the ETA
            int[] count = new int[Model.values().length];
            int k = 0;
            for (Run r : runs) {
                if (r.done) continue;
                k++;
                double elapsed = (System.nanoTime() - start) / 1e9;
                String eta = k > 1 ? Progress.formatSeconds(eta(runs, r, seconds, count, elapsed / (k - 1))) : "-";
                stderr.printf(Locale.ROOT, "ablation: run %d of %d: %s, sparsity %s, repeat %d, seed %d | elapsed %s | ETA %s%n",
                        k, todo, r.model.id, Text.percent(r.sparsity), r.repeat, r.seed, Progress.formatSeconds(elapsed), eta);
                long t0 = System.nanoTime();
                RunResult res = train(r, threads, stderr);
                seconds[r.model.ordinal()] += (System.nanoTime() - t0) / 1e9;
                count[r.model.ordinal()]++;
                take(r, res);
            }
            if (todo > 0) {
                stderr.printf(Locale.ROOT, "ablation: trained %d runs in %s%n", todo,
                        Progress.formatSeconds((System.nanoTime() - start) / 1e9));
            }
        }
        writeOutputs(out, runs, ladder, repeats, kind, stdout);
        return reportFailures(out, runs, stderr) ? 1 : 0;
    }

    /**
     * {@code --submit slurm}: the runs not complete as one array job, the data prepared (and a
     * run's memory measured) here first; with {@code --wait} the job is awaited and collected.
     */
    private static int submit(Path out, List<Run> runs, double[] ladder, int repeats, StructureKind kind, int threads,
                              SlurmArray.Options slurm, PrintStream stdout, PrintStream stderr) throws Exception {
        List<Run> todo = new ArrayList<>();
        for (Run r : runs) if (!r.done) todo.add(r);
        if (todo.isEmpty()) {
            stderr.println("ablation: all " + runs.size() + " runs are complete: nothing to submit; collecting");
            writeOutputs(out, runs, ladder, repeats, kind, stdout);
            return 0;
        }
        for (Run r : todo) SlurmArray.checkCheckpoint(r.checkpoint(), r.spec);
        Run heaviest = todo.get(0); // the densest run holds the most synapses
        for (Run r : todo) if (r.sparsity < heaviest.sparsity) heaviest = r;
        stderr.printf(Locale.ROOT, "ablation: %d of %d runs to submit; preparing the data and measuring run %s%n", todo.size(), runs.size(),
                heaviest.name());
        long heap = Runs.preparedHeapBytes(heaviest.spec, threads);
        List<SlurmArray.Task> tasks = new ArrayList<>();
        for (Run r : todo) tasks.add(new SlurmArray.Task(r.name(), r.checkpoint(), trainWords(r, threads)));
        String job = SlurmArray.submit("ablation", out, tasks, threads, SlurmArray.Memory.of(heap), slurm.sbatchArgs(), stderr);
        stdout.println(job);
        String hint = "the same command with --collect in place of --submit slurm";
        if (!slurm.await()) {
            stderr.println("ablation: when the job has ended (squeue -j " + job + "), collect: " + hint);
            return 0;
        }
        SlurmArray.await("ablation", job, tasks.size(), hint, stderr);
        for (Run r : todo) readReport(r);
        writeOutputs(out, runs, ladder, repeats, kind, stdout);
        return reportFailures(out, runs, stderr) ? 1 : 0;
    }

    /** Names the runs of a Slurm submission that ended without a complete report; true when there are any. */
    private static boolean reportFailures(Path out, List<Run> runs, PrintStream stderr) throws IOException {
        List<String> incomplete = new ArrayList<>();
        for (Run r : runs) if (!r.done) incomplete.add(r.name());
        List<String> failed = SlurmArray.failures(out, incomplete);
        for (String f : failed) stderr.println("ablation: " + f);
        return !failed.isEmpty();
    }

    /** The train command line of a run (with --threads when {@code threads} > 0). */
    static List<String> trainWords(Run r, int threads) {
        List<String> w = new ArrayList<>(List.of("train"));
        w.addAll(TrainFlags.argv(r.spec));
        if (threads > 0) w.addAll(List.of("--threads", Integer.toString(threads)));
        return w;
    }

    /**
     * Seconds left for the runs from {@code next} on that are not done: each at the mean time of its
     * model's runs so far (the models differ in cost), or at the overall mean for a model not run yet.
     */
    static double eta(List<Run> runs, Run next, double[] seconds, int[] count, double overall) {
        double left = 0;
        for (int k = runs.indexOf(next); k < runs.size(); k++) {
            Run r = runs.get(k);
            if (r.done) continue;
            int m = r.model.ordinal();
            left += count[m] > 0 ? seconds[m] / count[m] : overall;
        }
        return left;
    }

    /** Parses {@code --sparsities}: comma- (or space-) separated values in (0, 1), distinct; sorted ascending. */
    static double[] parseLadder(String s) {
        if (s == null) return DEFAULT_LADDER.clone();
        String[] parts = s.trim().split("[,\\s]+");
        double[] v = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                v[k] = Double.parseDouble(parts[k]);
            } catch (NumberFormatException e) {
                throw new UsageException("--sparsities takes comma-separated numbers in (0, 1), got '" + parts[k] + "'");
            }
            if (!(v[k] > 0 && v[k] < 1)) throw new UsageException("--sparsities: each sparsity must be in (0, 1), got " + parts[k]);
        }
        Arrays.sort(v);
        for (int k = 1; k < v.length; k++) {
            if (v[k] == v[k - 1]) throw new UsageException("--sparsities: " + Text.plain(v[k]) + " is given twice");
        }
        return v;
    }

    /** Every run, repeat by repeat, sparsity by sparsity, model by model; the four models of a repeat share its seed. */
    static List<Run> plan(Path out, double[] ladder, int repeats, StructureKind kind, RunSpec base) {
        List<Run> runs = new ArrayList<>();
        long seed = base.training().seed;
        for (int rep = 1; rep <= repeats; rep++) {
            for (double s : ladder) {
                for (Model m : Model.values()) runs.add(new Run(m, s, rep, seed + rep - 1, kind, base, out));
            }
        }
        return runs;
    }

    /**
     * Reads a run's report: false when absent, unreadable or incomplete (fewer epochs than asked),
     * true (and the accuracies filled in) when complete; a report of another specification is an
     * error rather than silently reused or overwritten.
     */
    static boolean readReport(Run r) throws IOException {
        Path f = r.report();
        if (!Files.isRegularFile(f)) return false;
        RunResult rep;
        try {
            rep = Codec.readReport(f);
        } catch (IllegalArgumentException e) {
            return false; // damaged or from an older Myelin: train it again
        }
        List<String> diff = Codec.differences(rep.spec().absolute(), r.spec.absolute());
        if (!diff.isEmpty()) {
            throw new UsageException(f + " is from another configuration (" + String.join(", ", diff) + "); use another --out or delete that run");
        }
        if (!rep.complete()) return false;
        take(r, rep);
        return true;
    }

    private static void take(Run r, RunResult rep) {
        r.test = rep.testAccuracy();
        r.best = rep.bestTestAccuracy();
        r.wall = rep.wallSeconds();
        r.classes = rep.config().net.outputs;
        r.done = true;
    }

    /**
     * Trains one run in this process, its progress on our stderr and in RUN/train.log. A run with
     * a checkpoint of the same specification continues from it.
     */
    private static RunResult train(Run r, int threads, PrintStream stderr) throws IOException {
        Codec.Checkpoint ck = null;
        try {
            ck = Codec.readCheckpointOf(r.checkpoint(), r.spec);
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("ablation: " + e.getMessage() + " — training from the start");
        }
        if (ck != null) stderr.println("ablation: continuing " + r.name() + " from its checkpoint");
        StringBuilder log = new StringBuilder("$ " + Text.commandLine(Text.DEFAULT_JAR, trainWords(r, threads)) + "\n");
        TrainProgress progress = new TrainProgress(stderr, log, ck != null ? r.checkpoint() : null);
        Files.createDirectories(r.dir);
        try {
            RunResult res = ck != null ? Runs.resume(ck, threads, progress) : Runs.train(r.spec, threads, progress);
            log.append(String.format(Locale.ROOT, "test accuracy %.4f (best %.4f) after %s%n", res.testAccuracy(),
                    res.bestTestAccuracy(), Text.count(res.epochs().size(), "epoch", "epochs")));
            return res;
        } catch (IOException | RuntimeException e) {
            log.append("failed: ").append(e).append('\n');
            stderr.println("ablation: run " + r.name() + " failed; its log: " + r.dir.resolve("train.log")
                    + ". Completed runs are kept; run the command again to continue.");
            throw e;
        } finally {
            AtomicFiles.writeString(r.dir.resolve("train.log"), log.toString());
        }
    }

    /** Writes both CSVs and the plot from the complete runs, and prints the summary table. */
    static void writeOutputs(Path out, List<Run> runs, double[] ladder, int repeats, StructureKind kind, PrintStream stdout)
            throws IOException {
        StringBuilder csv = new StringBuilder(
                "model,structure,delays,sparsity,repeat,seed,test_accuracy,best_test_accuracy,report,wall_time_seconds\n");
        for (Run r : runs) {
            csv.append(r.model.id).append(',').append(r.model.structure ? kind.id() : "fixed").append(',')
                    .append(r.model.delays ? "learnt" : "fixed").append(',').append(Text.plain(r.sparsity)).append(',')
                    .append(r.repeat).append(',').append(r.seed).append(',').append(Text.cell(r.test)).append(',')
                    .append(Text.cell(r.best)).append(',').append(r.rel).append("/report.json,").append(Text.cell(r.wall)).append('\n');
        }
        AtomicFiles.writeString(out.resolve("ablation.csv"), csv.toString());

        Model[] models = Model.values();
        double[][] mean = new double[models.length][ladder.length], std = new double[models.length][ladder.length];
        StringBuilder sum = new StringBuilder(
                "model,structure,delays,sparsity,n,mean_test_accuracy,std_test_accuracy,mean_best_test_accuracy,std_best_test_accuracy\n");
        int missing = 0;
        for (Run r : runs) if (!r.done) missing++;
        for (int m = 0; m < models.length; m++) {
            for (int s = 0; s < ladder.length; s++) {
                List<Double> test = new ArrayList<>(), best = new ArrayList<>();
                for (Run r : runs) {
                    if (r.done && r.model == models[m] && r.sparsity == ladder[s]) {
                        test.add(r.test);
                        best.add(r.best);
                    }
                }
                double[] t = meanStd(test), b = meanStd(best);
                mean[m][s] = t[0];
                std[m][s] = t[1];
                sum.append(models[m].id).append(',').append(models[m].structure ? kind.id() : "fixed").append(',')
                        .append(models[m].delays ? "learnt" : "fixed").append(',').append(Text.plain(ladder[s])).append(',')
                        .append(test.size()).append(',').append(Text.cell(t[0])).append(',').append(Text.cell(t[1])).append(',')
                        .append(Text.cell(b[0])).append(',').append(Text.cell(b[1])).append('\n');
            }
        }
        AtomicFiles.writeString(out.resolve("ablation_summary.csv"), sum.toString());

        Plots.accuracyBySparsity(out.resolve("ablation.png"), new Plots.AccuracyBySparsity(ladder,
                Arrays.stream(models).map(m -> m.label(kind.id())).toList(), mean, std, repeats, runs.stream().mapToInt(r -> r.classes).max().orElse(0)));

        stdout.println("mean test accuracy (%) ± std over repeats" + (missing > 0 ? " — " + missing + " runs missing" : ""));
        if (!runs.isEmpty()) stdout.println("network: " + Text.hidden(runs.get(0).spec.network().hidden()));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "model"));
        for (double s : ladder) head.append(String.format(Locale.ROOT, " %15s", Text.percent(s)));
        stdout.println(head);
        for (int m = 0; m < models.length; m++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", models[m].id));
            for (int s = 0; s < ladder.length; s++) {
                String cell = Double.isNaN(mean[m][s]) ? "-"
                        : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean[m][s], 100 * std[m][s]);
                row.append(String.format(Locale.ROOT, " %15s", cell));
            }
            stdout.println(row);
        }
        for (Model m : models) stdout.printf(Locale.ROOT, "  %-9s = %s%n", m.id, m.describe(kind.id()));
        stdout.println("runs: " + out.resolve("ablation.csv") + "\nsummary: " + out.resolve("ablation_summary.csv")
                + "\nplot: " + out.resolve("ablation.png"));
        if (missing > 0) {
            System.err.println("ablation: " + missing + " of " + runs.size() + " runs have no complete report (empty in the CSVs)");
        }
    }

    /** Mean and sample standard deviation (n − 1; 0 for one value; NaN for none). */
    static double[] meanStd(List<Double> v) {
        if (v.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        double m = 0;
        for (double d : v) m += d;
        m /= v.size();
        if (v.size() == 1) return new double[] {m, 0};
        double ss = 0;
        for (double d : v) ss += (d - m) * (d - m);
        return new double[] {m, Math.sqrt(ss / (v.size() - 1))};
    }
}
