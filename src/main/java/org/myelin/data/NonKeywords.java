package org.myelin.data;

import org.myelin.model.Model;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Examples of "none of these" made from what a keyword dataset already holds: its own training
 * words and noise. A model trained with them as one more class ({@link #UNKNOWN}) can reject a
 * segment that is not one of its keywords. Nothing is read or written: the examples are made in
 * memory, deterministically from a seed.
 *
 * <p>Example i is of kind i mod 5 ({@link Kind}); a word is drawn uniformly from the given words,
 * and its <em>active part</em> is the run of 10 ms blocks from the first to the last whose mean
 * square is within {@link #ACTIVE_DB} dB of the word's loudest block (the word without the file's
 * leading and trailing silence):
 * <ol start="0">
 * <li>{@code NOISE}: a noise clip from a uniform start, 0.2–0.8 s long (uniform), scaled to an RMS
 *     of −60 to −20 dB full scale (uniform) — silence and background as the voice detector may cut
 *     them;</li>
 * <li>{@code REVERSED}: the whole word played backwards (speech-like sound, no keyword);</li>
 * <li>{@code ONSET}: the first 20–40 % (uniform) of the active part alone, as a word cut short;</li>
 * <li>{@code TAIL}: the last 20–40 % of the active part alone;</li>
 * <li>{@code SPLICE}: the first half of one word's active part followed by the second half of
 *     another word of a different class (a fused non-word).</li>
 * </ol>
 * A word or fragment keeps its recording's level. (Tried and measured worse at 40 epochs on
 * FSDD: onsets and tails framed by silence as the detector cuts them, without reversed words:
 * docs/KWS-IN-THE-FIELD.md.) With fewer than two classes there are no
 * splices (a plain word fragment, ONSET, takes their place).
 */
public final class NonKeywords {
    /** The name of the class the examples form, when the data have no non-keyword class of their own. */
    public static final String UNKNOWN = Model.UNKNOWN_CLASS;
    /** A block belongs to a word's active part when within this many dB of its loudest block. */
    public static final double ACTIVE_DB = 30;

    /** The kinds of example, in the order example i takes them (i mod 5). */
    public enum Kind { NOISE, REVERSED, ONSET, TAIL, SPLICE }

    private NonKeywords() {}

    /** Whether any of the names is a rejection class ({@link Model#isRejectionClass}); false for null. */
    public static boolean anyRejection(List<String> classNames) {
        if (classNames == null) return false;
        for (String n : classNames) if (Model.isRejectionClass(n)) return true;
        return false;
    }

    /** The number of examples that make them {@code share} of a set with {@code keywords} keyword examples: round(share/(1 − share)·keywords). */
    public static int countFor(double share, int keywords) {
        if (!(share >= 0 && share < 1)) throw new IllegalArgumentException("share must be in [0, 1), got " + share);
        return (int) Math.round(share / (1 - share) * keywords);
    }

    /**
     * Makes {@code n} examples.
     *
     * @param words  the keyword waveforms (at the noise's rate)
     * @param labels the class of each word (for splices of two classes)
     * @param noise  noise clips at the words' rate
     * @param seed   the draw (the same seed gives the same examples)
     * @return n waveforms, each at least one sample long
     */
    public static float[][] make(Waveforms words, int[] labels, NoiseBank noise, int n, long seed) {
        if (labels.length != words.size()) throw new IllegalArgumentException("non-keywords: " + labels.length + " labels for " + words.size() + " words");
        if (n > 0 && words.size() == 0) throw new IllegalArgumentException("non-keywords: no words to make them from");
        if (noise.sampleRate != words.recipe.sampleRate) {
            throw new IllegalArgumentException("non-keywords: noise at " + noise.sampleRate + " Hz for words at " + words.recipe.sampleRate + " Hz");
        }
        int rate = words.recipe.sampleRate;
        boolean twoClasses = false;
        for (int l : labels) twoClasses |= l != labels[0];
        SplittableRandom r = new SplittableRandom(seed ^ 0x4E4F_4E4B_5759_4453L); // "NONKWYDS"
        float[] all = words.samples();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            Kind kind = Kind.values()[i % 5];
            if (kind == Kind.SPLICE && !twoClasses) kind = Kind.ONSET;
            int w = r.nextInt(words.size());
            int s = words.start(w), len = words.length(w);
            int[] act = active(all, s, len, rate);
            int a0 = s + act[0], alen = act[1] - act[0];
            switch (kind) {
                case NOISE -> {
                    float[] clip = noise.clip(r.nextInt(noise.size()));
                    int m = (int) Math.round((0.2 + 0.6 * r.nextDouble()) * rate);
                    int at = r.nextInt(clip.length);
                    double db = -60 + 40 * r.nextDouble();
                    float[] x = new float[Math.max(1, m)];
                    double ss = 0;
                    for (int j = 0, q = at; j < x.length; j++) {
                        x[j] = clip[q];
                        ss += (double) clip[q] * clip[q];
                        if (++q == clip.length) q = 0;
                    }
                    double rms = Math.sqrt(ss / x.length);
                    float g = rms > 0 ? (float) (Math.pow(10, db / 20) / rms) : 0f;
                    for (int j = 0; j < x.length; j++) x[j] *= g;
                    out[i] = x;
                }
                case REVERSED -> {
                    float[] x = new float[len];
                    for (int j = 0; j < len; j++) x[j] = all[s + len - 1 - j];
                    out[i] = x;
                }
                case ONSET, TAIL -> {
                    int m = Math.max(1, (int) Math.round((0.2 + 0.2 * r.nextDouble()) * alen));
                    int from = kind == Kind.ONSET ? a0 : a0 + alen - m;
                    out[i] = java.util.Arrays.copyOfRange(all, from, from + m);
                }
                case SPLICE -> {
                    int v;
                    do v = r.nextInt(words.size()); while (labels[v] == labels[w]);
                    int[] bct = active(all, words.start(v), words.length(v), rate);
                    int h1 = Math.max(1, alen / 2);
                    int b0 = words.start(v) + bct[0], blen = bct[1] - bct[0], h2 = Math.max(1, blen - blen / 2);
                    float[] x = new float[h1 + h2];
                    System.arraycopy(all, a0, x, 0, h1);
                    System.arraycopy(all, b0 + blen - h2, x, h1, h2);
                    out[i] = x;
                }
                default -> throw new AssertionError(kind);
            }
        }
        return out;
    }

    /**
     * The active part of {@code x[s, s + len)} as {from, to} relative to s: from the first to the
     * end of the last 10 ms block within {@link #ACTIVE_DB} dB of the loudest (the whole when silent).
     */
    static int[] active(float[] x, int s, int len, int rate) {
        int block = Math.max(1, rate / 100), blocks = (len + block - 1) / block;
        double[] e = new double[blocks];
        double max = 0;
        for (int b = 0; b < blocks; b++) {
            int from = b * block, to = Math.min(len, from + block);
            double ss = 0;
            for (int j = from; j < to; j++) ss += (double) x[s + j] * x[s + j];
            e[b] = ss / (to - from);
            max = Math.max(max, e[b]);
        }
        if (max <= 0) return new int[] {0, len};
        double floor = max * Math.pow(10, -ACTIVE_DB / 10);
        int first = 0, last = blocks - 1;
        while (e[first] < floor) first++;
        while (e[last] < floor) last--;
        return new int[] {first * block, Math.min(len, (last + 1) * block)};
    }
}
