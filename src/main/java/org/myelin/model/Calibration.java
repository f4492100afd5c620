package org.myelin.model;

import java.util.Locale;
import java.util.Map;
import org.myelin.io.Json;
import org.myelin.network.Readout;

/**
 * What a model's probabilities mean: a temperature fitted after training on held-out data, and
 * the threshold on the calibrated probability above which a word is accepted.
 *
 * <p><b>Temperature.</b> p = softmax(s / T) of the network's scores s (the logits of either
 * readout: summed membranes for {@code vsum}, summed per-step probabilities for
 * {@code softmaxsum}; one scale on the scores is the standard calibration of both). T is the
 * minimiser of the mean negative log-likelihood of the held-out labels ({@link #fitTemperature}):
 * the NLL is convex in β = 1/T, so a golden-section search over log β in [−12, 6] finds it to
 * 1e-6 of a unit of log β. T does not change which class wins, only how sure the model says it is.
 *
 * <p><b>Threshold.</b> A word is accepted when its calibrated p ≥ threshold (0: every word). It is
 * chosen by {@code train} for a stated share of held-out non-keyword examples accepted as
 * keywords ({@link #falseAlarmShare}, {@link #thresholdForShare}), or by
 * {@code eval --false-alarms} for a stated false-alarm rate per hour of non-keyword audio
 * ({@link #falseAlarmsPerHour}); each NaN when the threshold was not chosen that way.
 *
 * <p>Stored in the model's metadata under {@code calibration} ({@link #META_KEY}): {@code
 * temperature}, {@code threshold}, {@code samples} (held-out samples the fit saw), {@code
 * nll_before}, {@code nll_after} and (when chosen) {@code false_alarms_per_hour} or
 * {@code false_alarm_share}. A model without
 * it runs with T = 1 and threshold 0, as before calibration existed.
 */
public final class Calibration {
    public static final String META_KEY = "calibration";
    /** No calibration: T = 1, every word accepted. */
    public static final Calibration NONE = new Calibration(1, 0, 0, Double.NaN, Double.NaN, Double.NaN);

    public final double temperature, threshold;
    public final int samples;
    public final double nllBefore, nllAfter, falseAlarmsPerHour;
    /** The share of non-keyword examples the threshold was chosen to accept at most (by {@code train}), or NaN. */
    public final double falseAlarmShare;

    /**
     * @throws IllegalArgumentException when T is not finite and positive or the threshold is outside [0, 1)
     */
    public Calibration(double temperature, double threshold, int samples, double nllBefore, double nllAfter, double falseAlarmsPerHour) {
        this(temperature, threshold, samples, nllBefore, nllAfter, falseAlarmsPerHour, Double.NaN);
    }

    /** As the six-value constructor, with the share of non-keywords the threshold was chosen for (NaN: none). */
    public Calibration(double temperature, double threshold, int samples, double nllBefore, double nllAfter, double falseAlarmsPerHour,
                       double falseAlarmShare) {
        if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        if (!(threshold >= 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        this.temperature = temperature;
        this.threshold = threshold;
        this.samples = samples;
        this.nllBefore = nllBefore;
        this.nllAfter = nllAfter;
        this.falseAlarmsPerHour = falseAlarmsPerHour;
        this.falseAlarmShare = falseAlarmShare;
    }

    /** This calibration with another threshold, chosen for at most {@code share} of non-keyword examples accepted. */
    public Calibration withShareThreshold(double threshold, double share) {
        return new Calibration(temperature, threshold, samples, nllBefore, nllAfter, Double.NaN, share);
    }

    /** This calibration with another threshold, chosen for {@code perHour} false alarms an hour (NaN: not chosen so). */
    public Calibration withThreshold(double threshold, double perHour) {
        return new Calibration(temperature, threshold, samples, nllBefore, nllAfter, perHour);
    }

    /** The inverse temperature β = 1/T. */
    public double beta() {
        return 1.0 / temperature;
    }

    /** The model's calibration (its metadata's {@code calibration}), or {@link #NONE}. */
    public static Calibration of(Model m) {
        Calibration c = fromMeta(m.meta, "model");
        return c == null ? NONE : c;
    }

    /** The calibration in a model's metadata, or null when it has none; {@code where} names the file in messages. */
    public static Calibration fromMeta(Map<String, Object> meta, String where) {
        Object o = meta.get(META_KEY);
        if (o == null) return null;
        if (!(o instanceof Map)) throw new IllegalArgumentException(where + ": meta." + META_KEY + " is not an object");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        try {
            return new Calibration(Json.number(m, "temperature").doubleValue(), Json.number(m, "threshold").doubleValue(),
                    m.get("samples") == null ? 0 : Json.number(m, "samples").intValue(), num(m, "nll_before"), num(m, "nll_after"),
                    num(m, "false_alarms_per_hour"), num(m, "false_alarm_share"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": meta." + META_KEY + ": " + e.getMessage());
        }
    }

    private static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    /** Puts this calibration into a model's metadata (replacing any). */
    public void into(Map<String, Object> meta) {
        Map<String, Object> m = Json.object();
        m.put("temperature", temperature);
        m.put("threshold", threshold);
        m.put("samples", samples);
        if (Double.isFinite(nllBefore)) m.put("nll_before", nllBefore);
        if (Double.isFinite(nllAfter)) m.put("nll_after", nllAfter);
        if (Double.isFinite(falseAlarmsPerHour)) m.put("false_alarms_per_hour", falseAlarmsPerHour);
        if (Double.isFinite(falseAlarmShare)) m.put("false_alarm_share", falseAlarmShare);
        meta.put(META_KEY, m);
    }

    /** Calibrated probabilities of one score vector: {@code probs[k] = softmax(β·s)_k} rounded to float; e is scratch (≥ k). */
    public void probabilities(float[] scores, float[] probs, double[] e) {
        Readout.softmax(scores, 0, 1, scores.length, beta(), e);
        for (int k = 0; k < scores.length; k++) probs[k] = (float) e[k];
    }

    /**
     * Mean negative log-likelihood of {@code labels} under softmax(β·s) of the n score rows
     * ({@code scores[i·k + c]}).
     */
    public static double nll(float[] scores, int[] labels, int n, int k, double beta) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) mx = Math.max(mx, scores[off + c]);
            double z = 0;
            for (int c = 0; c < k; c++) z += Math.exp(beta * (scores[off + c] - mx));
            sum += Math.log(z) - beta * (scores[off + labels[i]] - mx);
        }
        return sum / n;
    }

    /**
     * The temperature minimising the held-out NLL (see the class comment).
     *
     * @param what names the data in messages (e.g. "--calibrate: the held-out part")
     * @throws IllegalArgumentException naming {@code what} when there are no samples, a label is
     *         out of range, or every label is the same class (a temperature then only grows without bound)
     */
    public static Calibration fitTemperature(float[] scores, int[] labels, int n, int k, String what) {
        if (n < 1) throw new IllegalArgumentException(what + ": no samples to calibrate on");
        if (scores.length < (long) n * k || labels.length < n) throw new IllegalArgumentException(what + ": " + n + " samples need " + n * k + " scores");
        boolean twoClasses = false;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException(what + ": label " + labels[i] + " outside [0, " + k + ")");
            if (labels[i] != labels[0]) twoClasses = true;
        }
        if (!twoClasses) throw new IllegalArgumentException(what + ": every sample is class " + labels[0] + "; calibration needs at least two classes");
        for (int i = 0; i < n * k; i++) {
            if (!Float.isFinite(scores[i])) throw new IllegalArgumentException(what + ": a score of sample " + i / k + " is not finite");
        }
        double lo = -12, hi = 6, g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
        double fa = nll(scores, labels, n, k, Math.exp(a)), fb = nll(scores, labels, n, k, Math.exp(b));
        while (hi - lo > 1e-6) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = nll(scores, labels, n, k, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = nll(scores, labels, n, k, Math.exp(b));
            }
        }
        double beta = Math.exp(0.5 * (lo + hi));
        return new Calibration(1 / beta, 0, n, nll(scores, labels, n, k, 1), nll(scores, labels, n, k, beta), Double.NaN);
    }

    /**
     * The threshold {@code train} stores: how a threshold θ does on held-out keywords and
     * non-keyword examples. A non-keyword (its label a rejection class) is a false alarm at θ when
     * its prediction is a keyword class with calibrated p ≥ θ; a keyword is a miss at θ unless
     * predicted as its own class with p ≥ θ.
     *
     * @param threshold        the lowest θ with at most {@code share} of the non-keywords false alarms
     * @param falseAlarms      non-keywords that are false alarms at θ, of {@code nonKeywords}
     * @param misses           keywords missed at θ, of {@code keywords}
     */
    public record ShareThreshold(double threshold, int falseAlarms, int nonKeywords, int misses, int keywords) {}

    /**
     * The lowest threshold at which at most {@code share} of the non-keyword rows are false alarms
     * (see {@link ShareThreshold}); p as the engine computes it (the calibrated softmax rounded to
     * float). θ is 0 when that many false alarms are allowed at θ = 0, else the float just above
     * the p of the first false alarm too many (in descending p); when that p is 1, the largest
     * double below 1 (the target is then not reached: {@code falseAlarms} says so).
     *
     * @param rejection whether each class is a rejection class (length k)
     * @throws IllegalArgumentException naming {@code what} when there are no keyword or no non-keyword rows
     */
    public ShareThreshold thresholdForShare(float[] scores, int[] labels, int n, int k, boolean[] rejection, double share, String what) {
        if (!(share > 0 && share < 1)) throw new IllegalArgumentException(what + ": the share of false alarms must be in (0, 1), got " + share);
        float[] probs = new float[k], row = new float[k];
        double[] e = new double[k];
        float[] faP = new float[n], hitP = new float[n];
        int neg = 0, pos = 0, fa = 0, hits = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(scores, i * k, row, 0, k);
            probabilities(row, probs, e);
            int pred = Readout.argmax(row);
            if (rejection[labels[i]]) {
                neg++;
                if (!rejection[pred]) faP[fa++] = probs[pred];
            } else {
                pos++;
                if (pred == labels[i]) hitP[hits++] = probs[pred];
            }
        }
        if (neg == 0 || pos == 0) throw new IllegalArgumentException(what + ": a threshold needs keyword and non-keyword examples (" + pos + " and " + neg + ")");
        double th = thresholdAllowing(faP, fa, (int) Math.floor(share * neg + 1e-9));
        int faAt = 0, missAt = pos - hits;
        for (int i = 0; i < fa; i++) if (faP[i] >= th) faAt++;
        for (int i = 0; i < hits; i++) if (hitP[i] < th) missAt++;
        return new ShareThreshold(th, faAt, neg, missAt, pos);
    }

    /**
     * The lowest threshold θ at which at most {@code allowed} of {@code p[0, n)} are ≥ θ: 0 when
     * n ≤ allowed, else the float just above the (allowed+1)-th largest p; when that p is 1, the
     * largest double below 1 (a threshold must be below 1; then more than {@code allowed} pass).
     */
    public static double thresholdAllowing(float[] p, int n, int allowed) {
        if (allowed < 0) throw new IllegalArgumentException("allowed must be ≥ 0, got " + allowed);
        if (n <= allowed) return 0;
        float[] sorted = java.util.Arrays.copyOf(p, n);
        java.util.Arrays.sort(sorted); // ascending: the (allowed+1)-th largest is at n - 1 - allowed
        float v = sorted[n - 1 - allowed];
        return v >= 1f ? Math.nextDown(1.0) : Math.nextUp(v);
    }

    /** A reliability table: per confidence bin, the samples, their mean confidence and their accuracy; and the expected calibration error. */
    public record Reliability(int[] count, double[] confidence, double[] accuracy, double ece) {
        /** Rows "lo–hi  n  confidence  accuracy" for the bins that hold samples. */
        public String table() {
            StringBuilder sb = new StringBuilder("confidence     samples  mean p  accuracy\n");
            int bins = count.length;
            for (int b = 0; b < bins; b++) {
                if (count[b] == 0) continue;
                sb.append(String.format(Locale.ROOT, "%.2f-%.2f  %9d  %6.3f  %8.3f%n", b / (double) bins, (b + 1) / (double) bins, count[b], confidence[b], accuracy[b]));
            }
            return sb.toString();
        }
    }

    /**
     * The reliability of calibrated predictions over {@code bins} equal bins of confidence (the
     * predicted class's p; p = 1 falls in the last bin). ECE = Σ_b (n_b / n)·|accuracy_b − confidence_b|.
     */
    public Reliability reliability(float[] scores, int[] labels, int n, int k, int bins) {
        if (bins < 1) throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        int[] count = new int[bins];
        double[] conf = new double[bins], acc = new double[bins], e = new double[k];
        for (int i = 0; i < n; i++) {
            Readout.softmax(scores, i * k, 1, k, beta(), e);
            int pred = Readout.argmax(scores, i * k, 1, k);
            double p = e[pred];
            int b = Math.min(bins - 1, (int) (p * bins));
            count[b]++;
            conf[b] += p;
            if (pred == labels[i]) acc[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) continue;
            ece += Math.abs(acc[b] - conf[b]) / n;
            conf[b] /= count[b];
            acc[b] /= count[b];
        }
        return new Reliability(count, conf, acc, ece);
    }
}
