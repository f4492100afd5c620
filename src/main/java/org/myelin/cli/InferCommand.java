package org.myelin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.myelin.data.AudioDatasets;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.engine.KeywordStream;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;

/**
 * {@code myelin infer}: classifies recordings with the edge engine, from nothing but the model file
 * (its feature recipe and normalisation included).
 */
final class InferCommand implements Command {
    @Override
    public String name() {
        return "infer";
    }

    @Override
    public String summary() {
        return "classify recordings (one word each, or words cut from long recordings with --stream)";
    }

    @Override
    public String help() {
        Segmentation d = Segmentation.defaults();
        return "usage: myelin infer --model MODEL --input FILE|DIR [--stream] [--chunk N] [--json] [--skip-bad]\n"
                + "                    [--no-resample] [--threads N] [VAD options]\n"
                + "\n"
                + "Runs each recording (.wav, .flac; a folder: every one below it, sorted) through the compiled model\n"
                + "with the front end stored in the model file. Recordings at another sample rate are resampled to\n"
                + "the model's. Without --stream each file is one utterance; with --stream it is pushed through the\n"
                + "streaming engine in chunks and cut into words by voice activity (the network is reset between\n"
                + "words).\n"
                + "\n"
                + "Output: one line per file (per word with --stream): the file as found under --input, [start-end\n"
                + "seconds,] the class (as the training data named it: \"seven\", \"yes\"; its number when the\n"
                + "data named none), its calibrated probability (softmax of the scores over the model's\n"
                + "temperature) and the top 3, and the label when the file name gives one (fsdd:\n"
                + "{digit}_{speaker}_{n}.wav, hd: ..._digit-D.flac, or a class folder); with --stream only the\n"
                + "words whose p reaches the threshold;\n"
                + "then, when labels are known, the accuracy and, for more than one file, the confusion matrix\n"
                + "(rows: label, columns: class).\n"
                + "\n"
                + "options:\n"
                + "  --model FILE        a .myelin model file (required)\n"
                + "  --input PATH        an audio file or a folder (required)\n"
                + "  --stream            push each file through the streaming path and segment it into words\n"
                + "  --chunk N           samples per pushed chunk with --stream (default: 10 ms of the file's audio)\n"
                + "  --threshold P       accept a streamed word when its calibrated p ≥ P, in\n"
                + "                      (0, 1) (default: the model's, which eval --false-alarms\n"
                + "                      --set-threshold chooses; none: every word)\n"
                + "  --show-rejected     with --stream, print rejected words too (JSON:\n"
                + "                      \"class\": null)\n"
                + "  --json              one JSON object per line on stdout: file, class, p, probs, [start, end,]\n"
                + "                      [label]; the summary goes to stderr\n"
                + "  --skip-bad          report unreadable files on stderr and go on (counted) instead of stopping\n"
                + "  --no-resample       a file at a rate other than the model's is an error\n"
                + "  --threads N         files classified in parallel (default: all cores); output order is fixed\n"
                + "  --help              this text\n"
                + "VAD (--stream):\n"
                + String.format(Locale.ROOT, "  --vad-threshold DB  energy above the adaptive noise floor that counts as speech (default %.0f)%n", d.thresholdDb)
                + String.format(Locale.ROOT, "  --vad-min-level DB  energy (dB full scale) below which nothing is speech (default %.0f)%n", d.minLevelDb)
                + String.format(Locale.ROOT, "  --vad-onset MS      loud time that opens a word (default %d)%n", d.onsetFrames * 10)
                + String.format(Locale.ROOT, "  --vad-hangover MS   quiet time that closes a word (default %d)%n", d.hangoverFrames * 10)
                + String.format(Locale.ROOT, "  --vad-preroll MS    audio kept before the onset (default %d)%n", d.prerollFrames * 10);
    }

    /** One result line (a file, or a word of a file). */
    static final class Row {
        final String file;
        final int label, cls;
        final float p;
        final float[] probs;
        final double start, end;
        /**
         * Stream rows: whether the class is a keyword and p reaches the threshold (shown when
         * accepted or with --show-rejected); offline rows: whether the class is a keyword (always
         * shown, a rejection class marked rejected).
         */
        boolean accepted = true;

        Row(String file, int label, int cls, float p, float[] probs, double start, double end) {
            this.file = file;
            this.label = label;
            this.cls = cls;
            this.p = p;
            this.probs = probs;
            this.start = start;
            this.end = end;
        }
    }

    @Override
    public int run(Args a) throws Exception {
        Path modelPath = Path.of(a.required("model"));
        Path input = Path.of(a.required("input"));
        boolean stream = a.flag("stream", false);
        int chunk = a.integer("chunk", 0);
        boolean json = a.flag("json", false);
        boolean showRejected = a.flag("show-rejected", false);
        Double threshold = a.has("threshold") ? a.number("threshold", 0) : null;
        boolean skipBad = a.flag("skip-bad", false);
        boolean resample = a.flag("resample", true);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        Segmentation d = Segmentation.defaults();
        double thr = a.number("vad-threshold", d.thresholdDb);
        double min = a.number("vad-min-level", d.minLevelDb);
        double onset = a.number("vad-onset", d.onsetFrames * 10);
        double hang = a.number("vad-hangover", d.hangoverFrames * 10);
        double pre = a.number("vad-preroll", d.prerollFrames * 10);
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected argument '" + a.positional().get(0) + "'");
        if (chunk < 0) throw new UsageException("--chunk must be positive, got " + chunk);
        if (a.has("chunk") && !stream) throw new UsageException("--chunk applies to --stream");
        if (showRejected && !stream) throw new UsageException("--show-rejected applies to --stream");
        if (threshold != null && !(threshold > 0 && threshold < 1)) throw new UsageException("--threshold must be in (0, 1), got " + threshold);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        String[] vadMs = {"vad-onset", "vad-hangover", "vad-preroll"};
        double[] ms = {onset, hang, pre};
        for (int k = 0; k < ms.length; k++) {
            // Segmentation rounds to whole 10 ms frames and clamps, so a negative time would pass as 0 or 10 ms
            if (!(ms[k] >= 0) || Double.isInfinite(ms[k])) throw new UsageException("--" + vadMs[k] + " takes milliseconds, 0 or more, got " + ms[k]);
        }
        if (!Double.isFinite(thr) || !Double.isFinite(min)) throw new UsageException("--vad-threshold and --vad-min-level take finite decibels");
        Segmentation seg;
        try {
            seg = Segmentation.ofMillis(thr, min, onset, hang, pre, 10);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Spotter loaded = Spotter.load(modelPath, true);   // a fast start: the vector kernels warm up in the background
        Spotter spotter = threshold == null ? loaded : loaded.withCalibration(loaded.calibration().withThreshold(threshold, Double.NaN));
        List<Path> files = files(input, "input");
        PrintStream out = System.out;
        Path base = Files.isDirectory(input) ? input : null;
        List<String> classFolders = base == null ? List.of() : classFolders(base);

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
            Thread t = new Thread(r, "myelin-infer");
            t.setDaemon(true);
            return t;
        });
        List<Future<List<Row>>> futures = new ArrayList<>();
        try {
            for (Path f : files) {
                String shown = f.toString();
                int label = label(base, f, classFolders);
                futures.add(pool.submit(() -> classify(spotter, f, shown, label, stream, chunk, seg, resample)));
            }
            int classes = spotter.classes();
            long[][] confusion = new long[classes][classes];
            long known = 0, correct = 0, rows = 0, rejected = 0;
            int bad = 0;
            for (int k = 0; k < files.size(); k++) {
                List<Row> result;
                try {
                    result = futures.get(k).get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IllegalArgumentException || c instanceof IOException) {
                        String msg = c instanceof NoSuchFileException ? files.get(k) + ": cannot read" : c.getMessage();
                        if (!skipBad) throw new IllegalArgumentException(msg + (files.size() > 1 ? " (use --skip-bad to go on)" : ""));
                        System.err.println("skipped " + msg);
                        bad++;
                        continue;
                    }
                    if (c instanceof Error) throw (Error) c;
                    throw new IllegalStateException(c);
                }
                for (Row r : result) {
                    if (!r.accepted) rejected++;
                    if (!r.accepted && stream) {
                        if (showRejected) out.println(json ? json(r, stream, spotter.classNames()) : text(r, stream, spotter.classNames()));
                        continue;
                    }
                    if (r.accepted || !stream) rows++;
                    out.println(json ? json(r, stream, spotter.classNames()) : text(r, stream, spotter.classNames()));
                    if (r.label >= 0 && r.label < classes) {
                        known++;
                        confusion[r.label][r.cls]++;
                        if (r.label == r.cls) correct++;
                    }
                }
            }
            PrintStream summary = json ? System.err : out;
            int read = files.size() - bad;
            if (known > 0) {
                summary.printf(Locale.ROOT, "accuracy %.4f (%d of %s with labels)%n", correct / (double) known, correct,
                        stream ? Text.count(known, "word", "words") : Text.count(known, "file", "files"));
                // a matrix says something about many files; for one file, its line above says it all
                if (read > 1) summary.print(confusionText(confusion));
            }
            summary.printf(Locale.ROOT, "%s from %s%s%s%n", stream ? Text.count(rows, "word", "words") : Text.count(rows, "result", "results"),
                    Text.count(read, "file", "files"),
                    stream ? String.format(Locale.ROOT, ", %d rejected (p below %.4g or a rejection class)", rejected, spotter.calibration().threshold)
                            : rejected > 0 ? ", " + Text.count(rejected, "rejection-class prediction", "rejection-class predictions") : "",
                    bad > 0 ? ", " + Text.count(bad, "bad file", "bad files") + " skipped" : "");
        } finally {
            pool.shutdownNow();
        }
        return 0;
    }

    static List<Row> classify(Spotter spotter, Path f, String shown, int label, boolean stream, int chunk, Segmentation seg, boolean resample)
            throws IOException {
        Audio audio = AudioFiles.read(Files.readAllBytes(f), shown);
        if (audio.frames == 0) throw new IllegalArgumentException(shown + ": no samples");
        float[] x = audio.mono();
        AudioDatasets.checkSamples(x, shown);
        List<Row> rows = new ArrayList<>();
        if (!stream) {
            Spotter.Result r = spotter.classify(x, audio.sampleRate, resample, shown);
            Row row = new Row(shown, label, r.label, r.p(), r.probs, Double.NaN, Double.NaN);
            row.accepted = !spotter.rejects(r.label); // offline: no threshold, but "none of these" is a rejection
            rows.add(row);
            return rows;
        }
        KeywordStream ks;
        try {
            ks = spotter.newStream(audio.sampleRate, seg, resample);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^stream:", shown + ":"));
        }
        KeywordStream.Listener l = w -> {
            Row r = new Row(shown, label, w.label, w.p, w.probs.clone(), w.start, w.end);
            r.accepted = w.accepted;
            rows.add(r);
        };
        int n = chunk > 0 ? chunk : Math.max(1, audio.sampleRate / 100);
        for (int q = 0; q < x.length; q += n) ks.push(x, q, Math.min(n, x.length - q), l);
        ks.close(l);
        return rows;
    }

    static String text(Row r, boolean stream, List<String> names) {
        StringBuilder sb = new StringBuilder(r.file);
        if (stream) sb.append(String.format(Locale.ROOT, "  %.2f-%.2f s", r.start, r.end));
        if (!r.accepted) sb.append("  rejected");
        sb.append(String.format(Locale.ROOT, "  class %s  p %.4f  top3", names.get(r.cls), r.p));
        for (int k : top(r.probs, 3)) sb.append(String.format(Locale.ROOT, " %s:%.4f", names.get(k), r.probs[k]));
        if (r.label >= 0) sb.append("  label ").append(names.get(r.label)).append(r.label == r.cls ? "" : "  WRONG");
        return sb.toString();
    }

    static String json(Row r, boolean stream, List<String> names) {
        StringBuilder sb = new StringBuilder("{\"file\": ");
        quote(sb, r.file);
        sb.append(", \"class\": ").append(r.accepted ? Integer.toString(r.cls) : "null").append(", \"name\": ");
        if (r.accepted) quote(sb, names.get(r.cls));
        else sb.append("null");
        sb.append(", \"p\": ").append(r.p).append(", \"probs\": [");
        for (int k = 0; k < r.probs.length; k++) sb.append(k > 0 ? ", " : "").append(r.probs[k]);
        sb.append(']');
        if (stream) sb.append(", \"start\": ").append(r.start).append(", \"end\": ").append(r.end);
        if (r.label >= 0) {
            sb.append(", \"label\": ").append(r.label).append(", \"label_name\": ");
            quote(sb, names.get(r.label));
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }

    /** Indices of the n largest values, largest first (the first on ties). */
    static int[] top(float[] v, int n) {
        n = Math.min(n, v.length);
        int[] idx = new int[n];
        boolean[] used = new boolean[v.length];
        for (int q = 0; q < n; q++) {
            int best = -1;
            for (int k = 0; k < v.length; k++) if (!used[k] && (best < 0 || v[k] > v[best])) best = k;
            used[best] = true;
            idx[q] = best;
        }
        return idx;
    }

    static String confusionText(long[][] c) {
        int n = c.length;
        int used = n;
        StringBuilder sb = new StringBuilder("confusion (rows: label, columns: class)\n     ");
        for (int j = 0; j < used; j++) sb.append(String.format(Locale.ROOT, "%5d", j));
        sb.append('\n');
        for (int i = 0; i < used; i++) {
            sb.append(String.format(Locale.ROOT, "%5d", i));
            for (int j = 0; j < used; j++) sb.append(String.format(Locale.ROOT, "%5d", c[i][j]));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The audio files of a file or folder given with {@code --flag} (a folder: every one below it, sorted). */
    static List<Path> files(Path input, String flag) throws IOException {
        if (!Files.exists(input)) throw new NoSuchFileException(input.toString());
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (Stream<Path> st = Files.walk(input)) {
                st.filter(p -> Files.isRegularFile(p) && AudioFiles.isAudioName(p.getFileName().toString()) && !hidden(input, p))
                        .sorted().forEach(files::add);
            }
            if (files.isEmpty()) throw new UsageException("--" + flag + " " + input + ": no .wav or .flac files in this folder");
        } else {
            files.add(input);
        }
        return files;
    }

    private static boolean hidden(Path base, Path p) {
        for (Path part : base.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** The class folders of a folders-layout input (train/'s sub-folders when it has train/), sorted; empty otherwise. */
    static List<String> classFolders(Path dir) throws IOException {
        Path root = Files.isDirectory(dir.resolve("train")) ? dir.resolve("train") : dir;
        List<String> names = new ArrayList<>();
        try (Stream<Path> st = Files.list(root)) {
            st.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(names::add);
        }
        if (names.contains("recordings") || names.contains("audio")) return List.of();
        return names;
    }

    /** The label of a file: from its name (fsdd, hd), else from its class folder; -1 when unknown. */
    static int label(Path base, Path f, List<String> classFolders) {
        int byName = AudioDatasets.labelFromName(f.getFileName().toString());
        if (byName >= 0 || base == null || classFolders.isEmpty()) return byName;
        Path rel = base.relativize(f);
        if (rel.getNameCount() < 2) return -1;
        String first = rel.getName(0).toString();
        if ((first.equals("train") || first.equals("test")) && rel.getNameCount() >= 3) first = rel.getName(1).toString();
        return classFolders.indexOf(first);
    }
}
