package org.myelin.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.myelin.data.Resampler;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.engine.KeywordStream;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;

/**
 * Accuracy of a spotter through its streaming path, beside the offline path on the same files: how
 * an application hears words, measured on a labelled test set.
 *
 * <p><b>Isolated</b> ({@link #isolated}): each recording is pushed through its own
 * {@link KeywordStream} (voice-activity segmentation) in chunks of random sizes; a file counts as
 * streamed-correct when exactly one word was reported and its class is the label. Offline: the
 * whole file through {@link Spotter#classify}.
 *
 * <p><b>Continuous</b> ({@link #continuous}): the files, in a seeded random order, are joined
 * {@code perRecording} at a time into recordings with a pause before each word and after the last
 * (uniform in [pauseMin, pauseMax] s), and Gaussian white noise over the whole recording at an
 * SNR uniform in [snrMin, snrMax] dB relative to the mean power of the recording's words. Each
 * reported word is matched to the true word it overlaps most; a word is found when exactly one
 * report matches it, and streamed-correct when that report has its label. Offline: each word's
 * file classified alone. Beside the recording's SNR (the headline, the stricter: a quiet word
 * meets noise well below it), each word's own SNR (its file's mean power over the noise's) sorts
 * it into a band of {@link #SNR_BANDS}, counted per band.
 *
 * <p>Every number depends only on the files, the model and the seed (not on timing or threads).
 */
public final class StreamEval {
    private StreamEval() {}

    /** A labelled recording: its path and class. */
    public record Item(Path file, int label) {}

    /**
     * The labelled recordings of a dataset part read from the folder it was built from (its
     * {@code names} relative to {@code dir}).
     *
     * @throws IllegalArgumentException naming the folder when the part does not name its files
     */
    public static List<Item> items(Path dir, org.myelin.data.Dataset d) {
        if (d.names == null) throw new IllegalArgumentException(dir + ": the data do not name their recordings, so they cannot be streamed");
        List<Item> out = new ArrayList<>(d.size);
        for (int i = 0; i < d.size; i++) out.add(new Item(dir.resolve(d.names.get(i)), d.y[i]));
        return out;
    }

    /**
     * Isolated files streamed: files, reports per file (none, one, more), streamed and offline
     * correct, and per file the highest calibrated p of a report with its label (0 when none: a
     * miss at every threshold).
     */
    public record Isolated(int files, int noWord, int oneWord, int manyWords, int streamedCorrect, int offlineCorrect, float[] hitP) {
        /** Files not found with their label at threshold θ (no report of the label with p ≥ θ). */
        public double missRate(double theta) {
            int miss = 0;
            for (float p : hitP) if (!(p > 0 && p >= theta)) miss++;
            return miss / (double) files;
        }

        public double oneWordRate() {
            return oneWord / (double) files;
        }

        public double streamedAccuracy() {
            return streamedCorrect / (double) files;
        }

        public double offlineAccuracy() {
            return offlineCorrect / (double) files;
        }
    }

    /**
     * Continuous recordings: recordings, words, reports, words found exactly once, streamed and
     * offline correct, and for each found word its lead: seconds from the start of its report to
     * the start of its file in the recording (where the stream puts the file in the network's window).
     */
    public record Continuous(int recordings, int words, int reports, int found, int streamedCorrect, int offlineCorrect, double[] leads,
                             int[] bandWords, int[] bandFound, int[] bandStreamed, int[] bandOffline) {
        /** The q-quantile (0..1) of the leads (the ⌊q·(n − 1)⌋-th smallest), NaN when none. */
        public double leadQuantile(double q) {
            if (leads.length == 0) return Double.NaN;
            double[] s = leads.clone();
            java.util.Arrays.sort(s);
            return s[(int) (q * (s.length - 1))];
        }

        public double foundRate() {
            return found / (double) words;
        }

        public double streamedAccuracy() {
            return streamedCorrect / (double) words;
        }

        public double offlineAccuracy() {
            return offlineCorrect / (double) words;
        }
    }

    /** Lower edges (dB) of the bands of a word's own SNR after the first (below 20): 20–30, 30–40, 40 and above. */
    public static final double[] SNR_BANDS = {20, 30, 40};

    /** The band (0 .. {@link #SNR_BANDS}.length) of a word's own SNR in dB: 0 below the first edge, then one per edge reached. */
    public static int snrBand(double db) {
        int b = 0;
        while (b < SNR_BANDS.length && db >= SNR_BANDS[b]) b++;
        return b;
    }

    /** A band's name: {@code "<20"}, {@code "20-30"}, {@code "30-40"}, {@code "≥40"}. */
    public static String snrBandName(int band) {
        if (band == 0) return "<" + dB(SNR_BANDS[0]);
        if (band == SNR_BANDS.length) return "≥" + dB(SNR_BANDS[band - 1]);
        return dB(SNR_BANDS[band - 1]) + "-" + dB(SNR_BANDS[band]);
    }

    private static String dB(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    /** One reported word: class, start and end in seconds, calibrated p. */
    private record Report(int label, double start, double end, float p) {}

    /**
     * Non-keyword audio streamed: files, seconds, the calibrated p of every word reported in it as a
     * keyword, and those words themselves ({@code alarms}, in the same order as {@code p}; empty when
     * the caller gave only the p).
     */
    public record FalseAlarms(int files, double seconds, float[] p, List<Alarm> alarms) {
        public FalseAlarms {
            alarms = List.copyOf(alarms);
            if (!alarms.isEmpty() && alarms.size() != p.length) throw new IllegalArgumentException(alarms.size() + " alarms for " + p.length + " p");
        }

        public FalseAlarms(int files, double seconds, float[] p) {
            this(files, seconds, p, List.of());
        }

        public double hours() {
            return seconds / 3600;
        }

        /** Reports with p ≥ θ. */
        public int count(double theta) {
            int n = 0;
            for (float v : p) if (v >= theta) n++;
            return n;
        }
    }

    /** One word reported as a keyword in non-keyword audio: its file, start and end (s), class and calibrated p. */
    public record Alarm(Path file, double start, double end, int label, float p) {}

    /**
     * The alarms with p ≥ θ as CSV ({@code file,start_s,end_s,class,p}; file relative to
     * {@code base}, classes named by {@code classNames}), in the order they were streamed.
     */
    public static String alarmsCsv(FalseAlarms fa, double theta, Path base, List<String> classNames) {
        StringBuilder sb = new StringBuilder("file,start_s,end_s,class,p\n");
        for (Alarm a : fa.alarms()) {
            if (a.p() < theta) continue;
            String f = (base == null ? a.file() : base.relativize(a.file())).toString().replace('\\', '/');
            sb.append(String.format(java.util.Locale.ROOT, "%s,%.3f,%.3f,%s,%.6f%n", f, a.start(), a.end(), classNames.get(a.label()), a.p()));
        }
        return sb.toString();
    }

    /**
     * A detection-error trade-off over thresholds θ (ascending): false alarms (reports with p ≥ θ
     * in the non-keyword audio), those per hour, and the miss rate of the keyword files. The
     * thresholds are 0, every p a report or a hit has, and one just above the largest report.
     */
    public record Det(double[] threshold, int[] falseAlarms, double[] perHour, double[] missRate) {
        /** The index of the smallest threshold with at most {@code perHour} false alarms an hour (the fewest misses under that rate). */
        public int choose(double perHourTarget) {
            for (int i = 0; i < threshold.length; i++) if (perHour[i] <= perHourTarget) return i;
            return threshold.length - 1;
        }

        /** CSV: threshold, false_alarms, false_alarms_per_hour, miss_rate. */
        public String csv() {
            StringBuilder sb = new StringBuilder("threshold,false_alarms,false_alarms_per_hour,miss_rate\n");
            for (int i = 0; i < threshold.length; i++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.9g,%d,%.6g,%.6g%n", threshold[i], falseAlarms[i], perHour[i], missRate[i]));
            }
            return sb.toString();
        }
    }

    /** The DET of keyword files streamed alone and non-keyword audio streamed. */
    public static Det det(Isolated keywords, FalseAlarms other) {
        if (other.seconds() <= 0) throw new IllegalArgumentException("no non-keyword audio to count false alarms in");
        java.util.TreeSet<Double> t = new java.util.TreeSet<>();
        t.add(0.0);
        float max = 0;
        for (float v : other.p()) {
            t.add((double) v);
            max = Math.max(max, v);
        }
        for (float v : keywords.hitP()) if (v > 0) t.add((double) v);
        t.add((double) Math.nextUp(max));
        int n = t.size(), i = 0;
        double[] th = new double[n], ph = new double[n], miss = new double[n];
        int[] fa = new int[n];
        for (double v : t) {
            th[i] = v;
            fa[i] = other.count(v);
            ph[i] = fa[i] / other.hours();
            miss[i] = keywords.missRate(v);
            i++;
        }
        return new Det(th, fa, ph, miss);
    }

    /**
     * Streams each non-keyword recording alone (10 ms chunks) and keeps the calibrated p of every
     * word it reports: each is a false alarm at thresholds up to its p.
     *
     * @throws IllegalArgumentException naming a file that cannot be read or holds no samples
     */
    public static FalseAlarms falseAlarms(Spotter sp, List<Path> files, Segmentation seg) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no recordings to count false alarms in");
        double seconds = 0;
        List<Alarm> alarms = new ArrayList<>();
        for (Path f : files) {
            Audio a = AudioFiles.read(f);
            float[] x = a.mono();
            if (x.length == 0) throw new IllegalArgumentException(f + ": no samples");
            seconds += x.length / (double) a.sampleRate;
            for (Report r : stream(sp, x, a.sampleRate, seg, Math.max(1, a.sampleRate / 100), null)) {
                // a rejection-class word is no alarm at any threshold
                if (!sp.rejects(r.label())) alarms.add(new Alarm(f, r.start(), r.end(), r.label(), r.p()));
            }
        }
        float[] p = new float[alarms.size()];
        for (int i = 0; i < p.length; i++) p[i] = alarms.get(i).p();
        return new FalseAlarms(files.size(), seconds, p, alarms);
    }

    /**
     * Streams each file alone, in chunks of 1 .. maxChunk samples (seeded), and classifies it
     * offline.
     *
     * @throws IllegalArgumentException naming a file that cannot be read
     */
    public static Isolated isolated(Spotter sp, List<Item> items, Segmentation seg, int maxChunk, long seed) throws IOException {
        return isolated(sp, items, seg, maxChunk, seed, 0);
    }

    /**
     * As {@link #isolated(Spotter, List, Segmentation, int, long)}, each file first resampled to
     * {@code rate} Hz ({@link Resampler}; 0: its own rate) — a recording as another device would
     * deliver it; both paths resample it back to the model's rate.
     */
    public static Isolated isolated(Spotter sp, List<Item> items, Segmentation seg, int maxChunk, long seed, int rate) throws IOException {
        if (rate < 0) throw new IllegalArgumentException("rate must be ≥ 0 Hz, got " + rate);
        if (items.isEmpty()) throw new IllegalArgumentException("no recordings to evaluate");
        if (maxChunk < 1) throw new IllegalArgumentException("chunk size must be at least 1, got " + maxChunk);
        SplittableRandom r = new SplittableRandom(seed);
        int none = 0, one = 0, many = 0, streamed = 0, offline = 0;
        float[] hitP = new float[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            Audio a = AudioFiles.read(it.file());
            float[] x = a.mono();
            int at = rate == 0 ? a.sampleRate : rate;
            if (at != a.sampleRate) x = Resampler.resample(x, a.sampleRate, at);
            List<Report> got = stream(sp, x, at, seg, maxChunk, r);
            if (got.isEmpty()) none++;
            else if (got.size() == 1) one++;
            else many++;
            if (got.size() == 1 && got.get(0).label() == it.label()) streamed++;
            for (Report g : got) if (g.label() == it.label()) hitP[i] = Math.max(hitP[i], g.p());
            if (sp.classify(x, at, true, it.file().toString()).label == it.label()) offline++;
        }
        return new Isolated(items.size(), none, one, many, streamed, offline, hitP);
    }

    /**
     * Joins the files into continuous recordings (see the class comment) and streams each in
     * chunks of 1 .. 10 ms of samples.
     *
     * @throws IllegalArgumentException on a bad range or a file that cannot be read
     */
    public static Continuous continuous(Spotter sp, List<Item> items, Segmentation seg, int perRecording, double pauseMin, double pauseMax,
                                        double snrMin, double snrMax, long seed) throws IOException {
        if (items.isEmpty()) throw new IllegalArgumentException("no recordings to evaluate");
        if (perRecording < 1) throw new IllegalArgumentException("words per recording must be at least 1, got " + perRecording);
        if (!(pauseMin >= 0 && pauseMax >= pauseMin)) throw new IllegalArgumentException("pause range [" + pauseMin + ", " + pauseMax + "] s is not a range");
        if (!(Double.isFinite(snrMin) && Double.isFinite(snrMax) && snrMax >= snrMin)) {
            throw new IllegalArgumentException("SNR range [" + snrMin + ", " + snrMax + "] dB is not a range");
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] order = org.myelin.data.Dataset.permutation(r, items.size());
        int rate = -1, recordings = 0, words = 0, reports = 0, found = 0, streamed = 0, offline = 0;
        double[] leads = new double[items.size()];
        int bands = SNR_BANDS.length + 1;
        int[] bandWords = new int[bands], bandFound = new int[bands], bandStreamed = new int[bands], bandOffline = new int[bands];
        for (int from = 0; from < order.length; from += perRecording) {
            int n = Math.min(perRecording, order.length - from);
            float[][] parts = new float[n][];
            int[] labels = new int[n];
            boolean[] right = new boolean[n];
            double[] own = new double[n];
            double power = 0;
            long speech = 0;
            for (int k = 0; k < n; k++) {
                Item it = items.get(order[from + k]);
                Audio a = AudioFiles.read(it.file());
                if (rate < 0) rate = a.sampleRate;
                float[] x = a.mono();
                right[k] = sp.classify(x, a.sampleRate, true, it.file().toString()).label == it.label();
                if (right[k]) offline++;
                parts[k] = a.sampleRate == rate ? x : Resampler.resample(x, a.sampleRate, rate);
                labels[k] = it.label();
                double p = 0;
                for (float v : parts[k]) p += (double) v * v;
                power += p;
                own[k] = p / Math.max(1, parts[k].length);
                speech += parts[k].length;
            }
            int[] pause = new int[n + 1];
            int total = 0;
            for (int k = 0; k <= n; k++) {
                pause[k] = (int) Math.round((pauseMin + (pauseMax - pauseMin) * r.nextDouble()) * rate);
                total += pause[k] + (k < n ? parts[k].length : 0);
            }
            float[] rec = new float[total];
            double snr = snrMin + (snrMax - snrMin) * r.nextDouble();
            double sigma = Math.sqrt(power / Math.max(1, speech) / Math.pow(10, snr / 10));
            for (int i = 0; i < total; i++) rec[i] = (float) (sigma * gaussian(r));
            double[][] truth = new double[n][];
            int at = 0;
            for (int k = 0; k < n; k++) {
                at += pause[k];
                for (int i = 0; i < parts[k].length; i++) rec[at + i] += parts[k][i];
                truth[k] = new double[] {at / (double) rate, (at + parts[k].length) / (double) rate};
                at += parts[k].length;
            }
            List<Report> got = stream(sp, rec, rate, seg, Math.max(1, rate / 100), null);
            int[] hits = new int[n], cls = new int[n];
            double[] lead = new double[n];
            for (Report g : got) {
                int best = -1;
                double most = 0;
                for (int k = 0; k < n; k++) {
                    double o = Math.min(g.end(), truth[k][1]) - Math.max(g.start(), truth[k][0]);
                    if (o > most) {
                        most = o;
                        best = k;
                    }
                }
                if (best >= 0) {
                    hits[best]++;
                    cls[best] = g.label();
                    lead[best] = truth[best][0] - g.start();
                }
            }
            for (int k = 0; k < n; k++) {
                int b = snrBand(10 * Math.log10(own[k] / (sigma * sigma))); // a silent recording: NaN, band 0
                bandWords[b]++;
                if (right[k]) bandOffline[b]++;
                if (hits[k] == 1) {
                    leads[found] = lead[k];
                    found++;
                    bandFound[b]++;
                    if (cls[k] == labels[k]) {
                        streamed++;
                        bandStreamed[b]++;
                    }
                }
            }
            recordings++;
            words += n;
            reports += got.size();
        }
        return new Continuous(recordings, words, reports, found, streamed, offline, java.util.Arrays.copyOf(leads, found), bandWords, bandFound,
                bandStreamed, bandOffline);
    }

    /** Standard normal (Box–Muller, one of the pair) from a splittable generator. */
    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Pushes x through a new stream in chunks (random 1 .. maxChunk with r, else exactly maxChunk) and collects the reports. */
    private static List<Report> stream(Spotter sp, float[] x, int rate, Segmentation seg, int maxChunk, SplittableRandom r) {
        KeywordStream ks = sp.newStream(rate, seg, true);
        List<Report> got = new ArrayList<>();
        KeywordStream.Listener l = w -> got.add(new Report(w.label, w.start, w.end, w.p));
        for (int q = 0; q < x.length; ) {
            int c = Math.min(x.length - q, r == null ? maxChunk : 1 + r.nextInt(maxChunk));
            ks.push(x, q, c, l);
            q += c;
        }
        ks.close(l);
        return got;
    }
}
