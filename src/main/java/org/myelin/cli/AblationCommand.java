package org.myelin.cli;

import org.myelin.io.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.myelin.analysis.Plots;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Container;
import org.myelin.io.Json;

/**
 * {@code ablation}: the paper's Figure 3. Four models (structure learnt or fixed × delays learnt or
 * fixed) over a sparsity ladder, several repeats each; every run is an ordinary, deterministic
 * {@code train} invocation (run in this process, one after another), its report.json the record.
 * Runs whose report is complete are not trained again, so an interrupted ablation continues where it
 * stopped; a run interrupted mid-training continues from its checkpoint.
 */
final class AblationCommand implements Command {
    static final double[] DEFAULT_LADDER = {0.5, 0.75, 0.875, 0.9375, 0.96875};
    static final String JAVA = Main.LAUNCHER;

    /** train options forwarded verbatim when given (value options). */
    static final String[] PASS_VALUES = {
        "batch", "max-delay", "delay-mode", "sigma", "tau", "threshold", "alpha", "readout",
        "max-lr", "pct-start", "delay-lr", "dropout", "input-scale", "l1", "regrow-every", "kernel"
    };
    /** train switches forwarded when given (as --name or --no-name). */
    static final String[] PASS_FLAGS = {"batch-norm", "sigma-schedule", "dale"};

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

    /** One planned train run. */
    static final class Run {
        final Model model;
        final double sparsity;
        final int repeat; // 1-based
        final long seed;
        final String structure; // train's --structure: fixed, rigl or deepr
        final int epochs, hidden;
        final Integer batch; // null: train's default
        final Path dir;
        final String rel; // dir relative to --out, with '/'
        final List<String> argv = new ArrayList<>(); // train options, without --threads
        double test = Double.NaN, best = Double.NaN, wall = Double.NaN;
        int classes; // the trained network's outputs, from its report
        boolean done;

        Run(Model model, double sparsity, int repeat, long seed, String kind, int epochs, int hidden, Integer batch, Path out) {
            this.model = model;
            this.structure = model.structure ? kind : "fixed";
            this.epochs = epochs;
            this.hidden = hidden;
            this.batch = batch;
            this.sparsity = sparsity;
            this.repeat = repeat;
            this.seed = seed;
            this.rel = "runs/" + model.id + "/s" + plain(sparsity) + "-r" + repeat;
            this.dir = out.resolve("runs").resolve(model.id).resolve("s" + plain(sparsity) + "-r" + repeat);
        }

        Path report() {
            return dir.resolve("report.json");
        }

        Path modelFile() {
            return dir.resolve("model.myelin");
        }

        Path checkpoint() {
            return dir.resolve("model.myelin.ckpt");
        }

        String name() {
            return model.id + " s" + plain(sparsity) + " r" + repeat;
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
                + "fixed (a random mask) × delays learnt or fixed (--no-learn-delays) — at every sparsity of a ladder,\n"
                + "with several repeats. Every run is an ordinary, deterministic 'train' run in DIR/runs/MODEL/sS-rR/\n"
                + "(model.myelin, report.json, train.log); the runs go one after another, each with all --threads.\n"
                + "The four models of one repeat share its seed (--seed + repeat − 1), hence their initialisation\n"
                + "where the models allow it.\n\n"
                + "Resuming: a run whose report.json is complete is not trained again, and a run stopped mid-training\n"
                + "continues from its checkpoint, so re-running the same command after an interruption finishes the\n"
                + "ablation. A report made with other settings (seed, epochs, sparsity, model, hidden, batch) is an error.\n\n"
                + "Outputs in DIR: ablation.csv (one row per run: model, structure, delays, sparsity, repeat, seed,\n"
                + "test_accuracy, best_test_accuracy, report — relative to DIR —, wall_time_seconds), ablation_summary.csv\n"
                + "(n, mean and std over repeats per model × sparsity; std with n − 1, 0 for one repeat) and\n"
                + "ablation.png (mean test accuracy vs sparsity, error bars ± std). Progress goes to stderr (with\n"
                + "each run's own output), the summary table to stdout.\n\n"
                + "ablation:\n"
                + "  --out DIR           output folder (required)\n"
                + "  --sparsities LIST   comma-separated sparsities in (0, 1) (default 0.5,0.75,0.875,0.9375,0.96875)\n"
                + "  --repeats N         repeats per model and sparsity, seeds --seed … --seed + N − 1 (default 3)\n"
                + "  --seed N            seed of the first repeat (default 1)\n"
                + "  --structure-kind K  how structure is learnt: rigl or deepr (default rigl)\n"
                + "  --print-commands    print one 'train' command line per run not yet complete (for a cluster\n"
                + "                      scheduler) instead of running; then '--collect' gathers their reports\n"
                + "  --collect           train nothing: gather the complete reports into the CSVs and the plot\n"
                + "\ndata (passed to train):\n" + DataOptions.HELP
                + "\ntraining (passed to train):\n"
                + "  --epochs N          epochs per run (default 150 with --data, " + TrainCommand.BUILT_IN_EPOCHS + " on the built-in task)\n"
                + "  --hidden N          hidden LIF neurons (default 256)\n"
                + "  --threads N         worker threads of each run (default: all cores; with --print-commands only\n"
                + "                      printed when given)\n"
                + "  also passed to train when given (see 'train --help'):\n"
                + wrap("--" + String.join(", --", PASS_VALUES) + ", --[no-]" + String.join(", --[no-]", PASS_FLAGS), 96, "    ")
                + "  Dale's law (--dale) applies to learnt structure only; the fixed-mask models have none, as in the paper.\n"
                + "\nThe printed command lines use the paths as given: run them from this folder.\n";
    }

    @Override
    public int run(Args a) throws Exception {
        Path out = Path.of(a.required("out"));
        double[] ladder = parseLadder(a.string("sparsities", null));
        int repeats = a.integer("repeats", 3);
        if (repeats < 1) throw new UsageException("--repeats must be at least 1, got " + repeats);
        long seed = a.longValue("seed", 1);
        String kind = a.string("structure-kind", "rigl");
        if (!kind.equals("rigl") && !kind.equals("deepr")) {
            throw new UsageException("--structure-kind must be rigl or deepr, got '" + kind + "'");
        }
        boolean print = a.flag("print-commands", false);
        boolean collect = a.flag("collect", false);
        if (print && collect) throw new UsageException("--print-commands and --collect exclude each other");

        // data options: validated here, forwarded as given
        DataOptions dopt = new DataOptions(a);
        List<String> data = new ArrayList<>();
        if (dopt.dir != null) data.addAll(List.of("--data", dopt.dir.toString()));
        if (dopt.format != null) data.addAll(List.of("--format", dopt.format));
        if (dopt.skipBad) data.add("--skip-bad");
        if (dopt.split != null) data.addAll(List.of("--split", dopt.split));
        if (dopt.cache != null) data.addAll(List.of("--cache", dopt.cache.toString()));
        if (dopt.noCache) data.add("--no-cache");
        if (a.has("data-seed")) data.addAll(List.of("--data-seed", Long.toString(dopt.dataSeed)));
        if (a.has("train-size")) data.addAll(List.of("--train-size", Integer.toString(dopt.trainSize)));
        if (a.has("test-size")) data.addAll(List.of("--test-size", Integer.toString(dopt.testSize)));

        int epochs = a.integer("epochs", dopt.builtIn() ? TrainCommand.BUILT_IN_EPOCHS : 150);
        if (epochs < 1) throw new UsageException("--epochs must be at least 1, got " + epochs);
        int hidden = a.integer("hidden", 256);
        if (hidden < 1) throw new UsageException("--hidden must be at least 1, got " + hidden);
        boolean threadsGiven = a.has("threads");
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        List<String> pass = new ArrayList<>();
        for (String p : PASS_VALUES) if (a.has(p)) pass.addAll(List.of("--" + p, a.string(p, null)));
        for (String f : PASS_FLAGS) {
            boolean given = a.has(f) || a.has("no-" + f);
            boolean v = a.flag(f, true);
            if (given) pass.add(v ? "--" + f : "--no-" + f);
        }
        Integer batch = a.has("batch") ? a.integer("batch", 0) : null;
        a.finish();
        if (!print && dopt.dir != null && !Files.isDirectory(dopt.dir)) {
            throw new UsageException("--data " + dopt.dir + ": no such folder");
        }

        List<Run> runs = plan(out, ladder, repeats, seed, kind, epochs, hidden, batch, data, pass);
        int complete = 0;
        for (Run r : runs) if (readReport(r)) complete++;

        PrintStream stdout = System.out, stderr = System.err;
        if (print) {
            for (Run r : runs) {
                if (r.done) continue;
                List<String> cmd = new ArrayList<>(r.argv);
                if (threadsGiven) cmd.addAll(List.of("--threads", Integer.toString(threads)));
                stdout.println(JAVA + " train " + shellJoin(cmd));
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
                        k, todo, r.model.id, percent(r.sparsity), r.repeat, r.seed, Progress.formatSeconds(elapsed), eta);
                long t0 = System.nanoTime();
                int code = train(r, data, threads, stderr);
                seconds[r.model.ordinal()] += (System.nanoTime() - t0) / 1e9;
                count[r.model.ordinal()]++;
                if (code != 0) {
                    stderr.println("myelin ablation: run " + r.name() + " failed (train exit code " + code + "); its log: "
                            + r.dir.resolve("train.log") + ". Completed runs are kept; run the command again to continue.");
                    return code;
                }
                if (!readReport(r)) {
                    throw new IOException("run " + r.name() + " finished but its report " + r.report() + " is incomplete");
                }
            }
            if (todo > 0) {
                stderr.printf(Locale.ROOT, "ablation: trained %d runs in %s%n", todo,
                        Progress.formatSeconds((System.nanoTime() - start) / 1e9));
            }
        }
        writeOutputs(out, runs, ladder, repeats, kind, stdout);
        return 0;
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
            if (v[k] == v[k - 1]) throw new UsageException("--sparsities: " + plain(v[k]) + " is given twice");
        }
        return v;
    }

    static List<Run> plan(Path out, double[] ladder, int repeats, long seed, String kind, int epochs, int hidden,
                          Integer batch, List<String> data, List<String> pass) {
        List<Run> runs = new ArrayList<>();
        for (int rep = 1; rep <= repeats; rep++) {
            for (double s : ladder) {
                for (Model m : Model.values()) {
                    Run r = new Run(m, s, rep, seed + rep - 1, kind, epochs, hidden, batch, out);
                    r.argv.addAll(data);
                    r.argv.addAll(List.of("--structure", r.structure, "--sparsity", plain(s),
                            m.delays ? "--learn-delays" : "--no-learn-delays", "--seed", Long.toString(r.seed),
                            "--epochs", Integer.toString(epochs), "--hidden", Integer.toString(hidden)));
                    r.argv.addAll(pass);
                    r.argv.addAll(List.of("--out", r.modelFile().toString(), "--report", r.report().toString()));
                    runs.add(r);
                }
            }
        }
        return runs;
    }

    /**
     * Reads a run's report: false when absent or incomplete (not parseable, no accuracy, fewer
     * epochs than asked), true (and the accuracies filled in) when complete; a report of another
     * configuration is an error rather than silently reused or overwritten.
     */
    @SuppressWarnings("unchecked")
    static boolean readReport(Run r) throws IOException {
        Path f = r.report();
        if (!Files.isRegularFile(f)) return false;
        Map<String, Object> rep;
        List<Object> hist;
        Map<String, Object> cfg;
        try {
            rep = (Map<String, Object>) Json.parse(Files.readString(f, StandardCharsets.UTF_8));
            hist = (List<Object>) rep.get("epochs");
            cfg = (Map<String, Object>) rep.get("config");
            if (!(rep.get("test_accuracy") instanceof Number) || !(rep.get("best_test_accuracy") instanceof Number)
                    || hist == null || cfg == null) {
                return false;
            }
        } catch (RuntimeException e) {
            return false; // half-written by an older writer or damaged: train it again
        }
        checkConfig(f, cfg, r);
        if (hist.size() < r.epochs) return false;
        r.test = ((Number) rep.get("test_accuracy")).doubleValue();
        r.best = ((Number) rep.get("best_test_accuracy")).doubleValue();
        Object w = rep.get("wall_time_seconds");
        r.wall = w instanceof Number ? ((Number) w).doubleValue() : Double.NaN;
        Object net = cfg.get("net");
        Object outputs = net instanceof Map ? ((Map<String, Object>) net).get("outputs") : null;
        r.classes = outputs instanceof Number ? ((Number) outputs).intValue() : 0;
        r.done = true;
        return true;
    }

    /** Fails when a saved training configuration (report or checkpoint) is not the planned run's. */
    @SuppressWarnings("unchecked")
    static void checkConfig(Path f, Map<String, Object> cfg, Run r) {
        List<String> diff = new ArrayList<>();
        Object net = cfg.get("net");
        Object h = net instanceof Map ? ((Map<String, Object>) net).get("hidden") : null;
        compare(diff, "seed", cfg.get("seed"), r.seed);
        compare(diff, "epochs", cfg.get("epochs"), r.epochs);
        compare(diff, "hidden", h, r.hidden);
        if (r.batch != null) compare(diff, "batch", cfg.get("batch"), r.batch);
        Object s = cfg.get("sparsity");
        if (!(s instanceof Number) || Math.abs(((Number) s).doubleValue() - r.sparsity) > 1e-12) {
            diff.add("sparsity " + s + ", not " + plain(r.sparsity));
        }
        if (!r.structure.equals(cfg.get("structure"))) diff.add("structure " + cfg.get("structure") + ", not " + r.structure);
        if (!Boolean.valueOf(r.model.delays).equals(cfg.get("learn_delays"))) {
            diff.add("learn_delays " + cfg.get("learn_delays") + ", not " + r.model.delays);
        }
        if (!diff.isEmpty()) {
            throw new UsageException(f + " is from another configuration (" + String.join(", ", diff)
                    + "); use another --out or delete that run");
        }
    }

    private static void compare(List<String> diff, String name, Object have, long want) {
        if (!(have instanceof Number) || ((Number) have).longValue() != want
                || ((Number) have).doubleValue() != (double) ((Number) have).longValue()) {
            diff.add(name + " " + have + ", not " + want);
        }
    }

    /**
     * Trains one run in this process ({@link Main#run}); its stdout and stderr go to our stderr and
     * to RUN/train.log. A run with a checkpoint of the same configuration continues from it.
     */
    @SuppressWarnings("unchecked")
    private static int train(Run r, List<String> data, int threads, PrintStream stderr) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("train");
        boolean resume = false;
        if (Files.isRegularFile(r.checkpoint())) {
            try {
                Object c = Container.read(r.checkpoint(), 'C').header.get("train_config");
                if (!(c instanceof Map)) throw new IllegalArgumentException("no training configuration");
                checkConfig(r.checkpoint(), (Map<String, Object>) c, r);
                resume = true;
            } catch (UsageException e) {
                stderr.println("ablation: " + e.getMessage().replace("; use another --out or delete that run", "")
                        + " — training from the start");
            } catch (IOException | RuntimeException e) {
                stderr.println("ablation: " + r.checkpoint() + " is unreadable (" + e.getMessage() + "); training from the start");
            }
        }
        if (resume) {
            argv.addAll(data);
            argv.addAll(List.of("--resume", r.checkpoint().toString(), "--out", r.modelFile().toString(),
                    "--report", r.report().toString()));
            stderr.println("ablation: continuing " + r.name() + " from its checkpoint");
        } else {
            argv.addAll(r.argv);
        }
        argv.addAll(List.of("--threads", Integer.toString(threads)));
        Files.createDirectories(r.dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out, oldErr = System.err;
        int code;
        tee.println("$ " + JAVA + " " + shellJoin(argv));
        System.setOut(tee);
        System.setErr(tee);
        try {
            code = Main.run(argv.toArray(new String[0]));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            tee.flush();
            AtomicFiles.write(r.dir.resolve("train.log"), log.toByteArray());
        }
        return code;
    }

    /** Writes both CSVs and the plot from the complete runs, and prints the summary table. */
    static void writeOutputs(Path out, List<Run> runs, double[] ladder, int repeats, String kind, PrintStream stdout)
            throws IOException {
        StringBuilder csv = new StringBuilder(
                "model,structure,delays,sparsity,repeat,seed,test_accuracy,best_test_accuracy,report,wall_time_seconds\n");
        for (Run r : runs) {
            csv.append(r.model.id).append(',').append(r.model.structure ? kind : "fixed").append(',')
                    .append(r.model.delays ? "learnt" : "fixed").append(',').append(plain(r.sparsity)).append(',')
                    .append(r.repeat).append(',').append(r.seed).append(',').append(num(r.test)).append(',')
                    .append(num(r.best)).append(',').append(r.rel).append("/report.json,").append(num(r.wall)).append('\n');
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
                sum.append(models[m].id).append(',').append(models[m].structure ? kind : "fixed").append(',')
                        .append(models[m].delays ? "learnt" : "fixed").append(',').append(plain(ladder[s])).append(',')
                        .append(test.size()).append(',').append(num(t[0])).append(',').append(num(t[1])).append(',')
                        .append(num(b[0])).append(',').append(num(b[1])).append('\n');
            }
        }
        AtomicFiles.writeString(out.resolve("ablation_summary.csv"), sum.toString());

        Plots.accuracyBySparsity(out.resolve("ablation.png"), new Plots.AccuracyBySparsity(ladder,
                Arrays.stream(models).map(m -> m.label(kind)).toList(), mean, std, repeats, runs.stream().mapToInt(r -> r.classes).max().orElse(0)));

        stdout.println("mean test accuracy (%) ± std over repeats" + (missing > 0 ? " — " + missing + " runs missing" : ""));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "model"));
        for (double s : ladder) head.append(String.format(Locale.ROOT, " %15s", percent(s)));
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
        for (Model m : models) stdout.printf(Locale.ROOT, "  %-9s = %s%n", m.id, m.describe(kind));
        stdout.println("runs: " + out.resolve("ablation.csv") + "\nsummary: " + out.resolve("ablation_summary.csv")
                + "\nplot: " + out.resolve("ablation.png"));
        if (missing > 0) {
            System.err.println("ablation: " + missing + " of " + runs.size() + " runs have no complete report (empty in the CSVs)");
        }
    }

    /** Text broken into indented lines of at most {@code width} characters, at spaces. */
    static String wrap(String text, int width, String indent) {
        StringBuilder sb = new StringBuilder(), line = new StringBuilder(indent);
        for (String w : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + w.length() > width) {
                sb.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) line.append(' ');
            line.append(w);
        }
        return sb.append(line).append('\n').toString();
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

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** A number without trailing zeros or exponent: 0.5, 0.96875. */
    static String plain(double v) {
        BigDecimal b = BigDecimal.valueOf(v).setScale(10, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
    }

    /** A sparsity as a percentage: "50 %", "87.5 %", "96.875 %". */
    static String percent(double s) {
        return plain(BigDecimal.valueOf(s * 100).setScale(6, RoundingMode.HALF_EVEN).doubleValue()) + " %";
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    /** Words joined for a POSIX shell, quoted where needed. */
    static String shellJoin(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** Copies everything written to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a, b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
