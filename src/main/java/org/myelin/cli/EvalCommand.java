package org.myelin.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.myelin.data.Dataset;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;
import org.myelin.model.Calibration;
import org.myelin.model.Model;
import org.myelin.run.Codec;
import org.myelin.run.DataSpec;
import org.myelin.run.RunSpec;
import org.myelin.run.StreamEval;
import org.myelin.run.Runs;

/** {@code eval}: accuracy of a saved model on a data folder, the built-in task, or the data it was trained on. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "print the accuracy of a saved model";
    }

    @Override
    public String help() {
        return "usage: myelin eval --model MODEL [--data DIR] [options]\n\n"
                + "Evaluates a model as saved — its delays are the integers 'train' rounded them to when it\n"
                + "saved the model — with batch-norm running statistics and no dropout, and prints its accuracy\n"
                + "on stdout. Without data options it uses the data the model records it was trained on.\n\n"
                + "  --model MODEL       the model file (required)\n"
                + "  --part P            the part to evaluate: test, valid (SSC), train or all\n"
                + "                      (default test)\n"
                + "  --batch N           evaluation batch size (default 256)\n"
                + "  --threads N         worker threads (default: all cores); results do not depend on it\n"
                + "  --input-scale X     input multiplier used in training (default: from the model)\n"
                + "  --bins N            confidence bins of the reliability table (default 10)\n"
                + "  --stream            audio data: also stream the test recordings (voice\n"
                + "                      detector, the model's calibration): each file alone in\n"
                + "                      chunks, and the files joined into continuous recordings\n"
                + "                      with pauses and noise; streamed beside offline accuracy\n"
                + "  --stream-rate HZ    isolated files resampled to HZ before streaming\n"
                + "                      (default: their own rate)\n"
                + "  --stream-words N    words per continuous recording (default 5)\n"
                + "  --stream-pause A:B  pause before each word, seconds (default 0.3:1)\n"
                + "  --stream-snr LO:HI  white noise over a continuous recording, dB below the\n"
                + "                      mean power of its words (default 20:40)\n"
                + "  --seed N            seed of chunks, order, pauses and noise (default 1)\n"
                + "  --false-alarms DIR  audio without keywords (.wav/.flac below DIR): stream\n"
                + "                      it and the test recordings; print false alarms per\n"
                + "                      hour and the miss rate over thresholds on the\n"
                + "                      calibrated p; write a DET curve\n"
                + "  --fa-target R       false alarms per hour to choose a threshold for (1)\n"
                + "  --list-alarms FILE  write every word reported as a keyword in DIR to FILE\n"
                + "                      (CSV: file, start_s, end_s, class, p; at any p)\n"
                + "  --det PREFIX        DET curve files PREFIX.csv, PREFIX.png (default: the\n"
                + "                      model file's name without .myelin, then -det)\n"
                + "  --json              the results as one JSON object on stdout (not with\n"
                + "                      --false-alarms)\n"
                + "  --set-threshold     store the chosen threshold in the model file\n"
                + "                      (atomically); infer and the engine then reject\n"
                + "                      words below it\n"
                + "  --help              this text\n"
                + "\ndata (default: the data the model records, the options below applied to it unless --data\n"
                + "names another folder; a model that records none: the built-in task):\n"
                + DataOptions.HELP;
    }

    @Override
    public int run(Args a) throws Exception {
        Path modelFile = Path.of(a.required("model"));
        String dataSplit = a.string("split", null);
        if (dataSplit != null && (dataSplit.equals("test") || dataSplit.equals("train") || dataSplit.equals("all"))) {
            // --split is the data option every command shares (fsdd speakers); the part to evaluate is --part
            throw new UsageException("--split takes speaker (the data's split); the part to evaluate is --part " + dataSplit);
        }
        boolean dataGiven = DataOptions.given(a);
        DataSpec given = DataOptions.parse(new TrainFlags.Reader(a, Set.of()), null);
        String split = a.string("part", "test");
        int batch = a.integer("batch", 256);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        Double scale = a.has("input-scale") ? a.number("input-scale", 1) : null;
        int bins = a.integer("bins", 10);
        boolean stream = a.flag("stream", false);
        int streamWords = a.integer("stream-words", 5);
        int streamRate = a.integer("stream-rate", 0);
        double[] pause = range(a, "stream-pause", "0.3:1");
        double[] snr = range(a, "stream-snr", "20:40");
        long seed = a.longValue("seed", 1);
        Path faDir = a.path("false-alarms", null);
        double faTarget = a.number("fa-target", 1);
        String detPrefix = a.string("det", null);
        Path listAlarms = a.path("list-alarms", null);
        boolean setThreshold = a.flag("set-threshold", false);
        boolean json = a.flag("json", false);
        a.finish();
        if (json && faDir != null) throw new UsageException("--json covers accuracy, calibration and --stream; run --false-alarms without it");
        if (!(faTarget >= 0 && faTarget < Double.POSITIVE_INFINITY)) throw new UsageException("--fa-target must be a finite rate ≥ 0 per hour, got " + faTarget);
        if (faDir == null && (a.has("fa-target") || a.has("det") || setThreshold || listAlarms != null)) {
            throw new UsageException("--fa-target, --det, --list-alarms and --set-threshold need --false-alarms DIR");
        }
        if (faDir != null && !java.nio.file.Files.isDirectory(faDir)) throw new UsageException("--false-alarms " + faDir + ": not a folder");
        if (bins < 1 || bins > 1000) throw new UsageException("--bins must be 1 .. 1000, got " + bins);
        if (streamRate != 0 && (streamRate < 400 || streamRate > org.myelin.model.FeatureRecipe.MAX_RATE)) {
            throw new UsageException("--stream-rate must be 400 .. " + org.myelin.model.FeatureRecipe.MAX_RATE + " Hz, got " + streamRate);
        }
        if (streamWords < 1) throw new UsageException("--stream-words must be at least 1, got " + streamWords);
        if (pause[0] < 0) throw new UsageException("--stream-pause must be ≥ 0 s, got " + a.string("stream-pause", ""));
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'eval --help')");
        if (!List.of("test", "valid", "train", "all").contains(split)) throw new UsageException("--part must be test, valid, train or all, got '" + split + "'");
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        Model m = Codec.readModel(modelFile);
        if (scale == null) scale = Codec.inputScale(m);
        DataSpec data = given;
        RunSpec own = a.has("data") ? null : Codec.specOf(m, modelFile);
        if (own != null) {
            // data options without --data (--cache, --split speaker, sizes) apply to the model's own data
            data = dataGiven ? DataOptions.parse(new TrainFlags.Reader(a, Set.of()), own.data()) : own.data();
            System.err.println(Text.lines("data: ", (data.builtIn() ? "the built-in task (seed " + data.seed() + ", " + data.trainSize() + " train, "
                    + data.testSize() + " test)" : data.dir()) + ", as recorded in " + modelFile + (dataGiven ? ", with the data options given" : ""), "      "));
        }
        Dataset.Split d = data.loadFor(m.recipe, modelFile.toString());
        if (split.equals("valid") && d.valid == null) throw new UsageException("--part valid: " + data.dir() + " has no validation part");
        List<String> parts = !split.equals("all") ? List.of(split) : d.valid != null ? List.of("test", "valid", "train") : List.of("test", "train");
        Calibration cal = Calibration.of(m);
        java.util.Map<String, Object> out = json ? org.myelin.io.Json.object() : null;
        if (json) {
            out.put("model", modelFile.toString());
            java.util.Map<String, Object> c = org.myelin.io.Json.object();
            c.put("temperature", cal.temperature);
            c.put("samples", cal.samples);
            c.put("threshold", cal.threshold);
            out.put("calibration", c);
        } else {
            System.out.println(cal == Calibration.NONE ? "calibration: none (temperature 1)"
                    : String.format(Locale.ROOT, "calibration: temperature %.4g (fitted on %d held-out samples), threshold %.4g", cal.temperature, cal.samples, cal.threshold));
        }
        List<Object> partsOut = new java.util.ArrayList<>();
        for (Runs.Evaluated e : Runs.evaluate(m, d, parts, batch, scale, threads)) {
            Calibration.Reliability r = Runs.reliability(m, Runs.part(d, e.part()), scale, threads, bins);
            if (json) {
                java.util.Map<String, Object> p = org.myelin.io.Json.object();
                p.put("part", e.part());
                p.put("accuracy", e.accuracy());
                p.put("samples", e.samples());
                p.put("loss", e.loss());
                p.put("ece", r.ece());
                p.put("bins", bins);
                p.put("bin_count", r.count());
                p.put("bin_confidence", r.confidence());
                p.put("bin_accuracy", r.accuracy());
                partsOut.add(p);
                continue;
            }
            System.out.printf(Locale.ROOT, "%s accuracy %.4f (%d samples, loss %.4f)%n", e.part(), e.accuracy(), e.samples(), e.loss());
            System.out.printf(Locale.ROOT, "%s expected calibration error %.4f (%d bins)%n", e.part(), r.ece(), bins);
            System.out.print(r.table().replaceAll("(?m)^", "  "));
        }
        if (json) out.put("parts", partsOut);
        if (stream) streamed(m, modelFile, data, d, streamRate, streamWords, pause, snr, seed, out);
        if (json) System.out.print(org.myelin.io.Json.write(out));
        if (faDir != null) {
            Path prefix = detPrefix != null ? Path.of(detPrefix)
                    : modelFile.resolveSibling(modelFile.getFileName().toString().replaceFirst("\\.myelin$", "") + "-det");
            falseAlarms(m, modelFile, data, d, faDir, faTarget, prefix, listAlarms, setThreshold, seed);
        }
        return 0;
    }

    /** {@code eval --false-alarms}: the DET of the test recordings against non-keyword audio, a threshold for a rate. */
    private static void falseAlarms(Model m, Path modelFile, DataSpec data, Dataset.Split d, Path faDir, double target, Path prefix,
                                    Path listAlarms, boolean set, long seed) throws java.io.IOException {
        if (data.builtIn() || m.recipe == null) throw new UsageException("--false-alarms needs audio data and a model with a feature recipe");
        List<Path> files = InferCommand.files(faDir, "false-alarms");
        Calibration cal = Calibration.of(m);
        // every report counts, whatever the model's threshold: the DET sweeps the threshold itself
        Spotter sp = Spotter.of(m, modelFile.toString()).withCalibration(cal.withThreshold(0, Double.NaN));
        System.err.println("streaming " + files.size() + " non-keyword recordings and " + d.test.size + " test recordings ...");
        StreamEval.FalseAlarms fa = StreamEval.falseAlarms(sp, files, Segmentation.defaults());
        StreamEval.Isolated iso = StreamEval.isolated(sp, StreamEval.items(data.dir(), d.test), Segmentation.defaults(), 997, seed);
        StreamEval.Det det = StreamEval.det(iso, fa);
        System.out.printf(Locale.ROOT, "false alarms: %s, %.3f h of non-keyword audio, %s reported in it%n", Text.count(fa.files(), "file", "files"), fa.hours(),
                Text.count(fa.p().length, "word", "words"));
        System.out.println("  threshold  false alarms  per hour  miss rate");
        for (double th : new double[] {0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999}) {
            System.out.printf(Locale.ROOT, "  %9.4f  %12d  %8.3f  %9.4f%n", th, fa.count(th), fa.count(th) / fa.hours(), iso.missRate(th));
        }
        if (cal.threshold > 0) {
            System.out.printf(Locale.ROOT, "the model's threshold %s: %.3f false alarms per hour, miss rate %.4f%n", Text.plain(cal.threshold),
                    fa.count(cal.threshold) / fa.hours(), iso.missRate(cal.threshold));
        }
        int k = det.choose(target);
        double th = det.threshold()[k];
        System.out.printf(Locale.ROOT, "threshold for ≤ %s false alarms per hour: %.6g (%.3f per hour, miss rate %.4f)%n", Text.plain(target), th,
                det.perHour()[k], det.missRate()[k]);
        Path csv = Path.of(prefix + ".csv"), png = Path.of(prefix + ".png");
        org.myelin.io.AtomicFiles.writeString(csv, det.csv());
        int n = det.threshold().length;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = det.perHour()[n - 1 - i];
            y[i] = det.missRate()[n - 1 - i];
        }
        org.myelin.analysis.Plots.det(png, "DET: " + modelFile.getFileName() + " (" + String.format(Locale.ROOT, "%.2f", fa.hours()) + " h non-keyword)",
                x, y, "streamed", target, 0.05);
        System.err.println("wrote " + csv + " and " + png);
        if (listAlarms != null) {
            org.myelin.io.AtomicFiles.writeString(listAlarms, StreamEval.alarmsCsv(fa, 0, faDir, sp.classNames()));
            System.err.println("wrote " + fa.p().length + " alarms to " + listAlarms);
        }
        if (set) {
            if (!(th > 0 && th < 1)) {
                throw new IllegalArgumentException("--set-threshold: the threshold for " + Text.plain(target) + " false alarms per hour is " + th
                        + ", outside (0, 1); the model keeps its own");
            }
            cal.withThreshold(th, target).into(m.meta);
            m.meta.remove(org.myelin.run.Runs.THRESHOLD_CHOICE); // train's choice, now replaced
            m.save(modelFile);
            System.err.println("stored threshold " + th + " in " + modelFile);
        }
    }

    /** {@code eval --stream}: the test part through the streaming path, isolated and continuous. */
    private static void streamed(Model m, Path modelFile, DataSpec data, Dataset.Split d, int rate, int words, double[] pause, double[] snr, long seed,
                                 java.util.Map<String, Object> json) throws java.io.IOException {
        if (data.builtIn() || m.recipe == null) throw new UsageException("--stream needs audio data and a model with a feature recipe");
        Spotter sp = Spotter.of(m, modelFile.toString());
        List<StreamEval.Item> items = StreamEval.items(data.dir(), d.test);
        System.err.println("streaming " + items.size() + " test recordings ...");
        StreamEval.Isolated iso = StreamEval.isolated(sp, items, Segmentation.defaults(), 997, seed, rate);
        StreamEval.Continuous c = StreamEval.continuous(sp, items, Segmentation.defaults(), words, pause[0], pause[1], snr[0], snr[1], seed);
        if (json != null) {
            json.put("stream", streamJson(iso, c, rate));
            return;
        }
        System.out.printf(Locale.ROOT, "stream isolated" + (rate > 0 ? " at " + rate + " Hz" : "") + ": %d files, one word %.4f (none %d, more %d), streamed accuracy %.4f, offline %.4f%n",
                iso.files(), iso.oneWordRate(), iso.noWord(), iso.manyWords(), iso.streamedAccuracy(), iso.offlineAccuracy());
        System.out.printf(Locale.ROOT, "stream continuous: %d recordings, %d words, %d reports, found %.4f, streamed accuracy %.4f, offline %.4f%n",
                c.recordings(), c.words(), c.reports(), c.foundRate(), c.streamedAccuracy(), c.offlineAccuracy());
        System.out.printf(Locale.ROOT, "stream continuous: each file starts %.3f s (median; 5-95 %%: %.3f-%.3f s) into its word's window%n",
                c.leadQuantile(0.5), c.leadQuantile(0.05), c.leadQuantile(0.95));
        printBands(c);
    }

    /** {@code eval --stream --json}: the isolated and continuous results as one object. */
    static java.util.Map<String, Object> streamJson(StreamEval.Isolated iso, StreamEval.Continuous c, int rate) {
        java.util.Map<String, Object> i = org.myelin.io.Json.object();
        i.put("rate", rate == 0 ? null : rate);
        i.put("files", iso.files());
        i.put("one_word", iso.oneWordRate());
        i.put("no_word", iso.noWord());
        i.put("more_words", iso.manyWords());
        i.put("streamed_accuracy", iso.streamedAccuracy());
        i.put("offline_accuracy", iso.offlineAccuracy());
        java.util.Map<String, Object> k = org.myelin.io.Json.object();
        k.put("recordings", c.recordings());
        k.put("words", c.words());
        k.put("reports", c.reports());
        k.put("found", c.foundRate());
        k.put("streamed_accuracy", c.streamedAccuracy());
        k.put("offline_accuracy", c.offlineAccuracy());
        k.put("lead_median_s", c.leadQuantile(0.5));
        List<Object> bands = new java.util.ArrayList<>();
        for (int b = 0; b < c.bandWords().length; b++) {
            java.util.Map<String, Object> o = org.myelin.io.Json.object();
            int n = c.bandWords()[b];
            o.put("own_snr_db", StreamEval.snrBandName(b));
            o.put("words", n);
            o.put("found", share(c.bandFound()[b], n));
            o.put("streamed_accuracy", share(c.bandStreamed()[b], n));
            o.put("offline_accuracy", share(c.bandOffline()[b], n));
            bands.add(o);
        }
        k.put("by_own_snr", bands);
        java.util.Map<String, Object> s = org.myelin.io.Json.object();
        s.put("isolated", i);
        s.put("continuous", k);
        return s;
    }

    /** The continuous words by each word's own SNR (its file's power over the recording's noise). */
    private static void printBands(StreamEval.Continuous c) {
        System.out.println("stream continuous by each word's own SNR (dB):");
        System.out.println("  band   words  found   streamed  offline");
        for (int b = 0; b < c.bandWords().length; b++) {
            int n = c.bandWords()[b];
            System.out.printf(Locale.ROOT, "  %-5s  %5d  %.4f  %.4f    %.4f%n", StreamEval.snrBandName(b), n, share(c.bandFound()[b], n),
                    share(c.bandStreamed()[b], n), share(c.bandOffline()[b], n));
        }
    }

    private static double share(int k, int n) {
        return n == 0 ? Double.NaN : k / (double) n;
    }

    /** A range flag A:B (A ≤ B, both finite), or the default. */
    static double[] range(Args a, String flag, String def) {
        String v = a.string(flag, def);
        String[] p = v.split(":", -1);
        try {
            if (p.length == 2) {
                double lo = Double.parseDouble(p[0]), hi = Double.parseDouble(p[1]);
                if (Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi) return new double[] {lo, hi};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + flag + " takes LO:HI with LO ≤ HI, got '" + v + "'");
    }
}
