package org.myelin.engine;

import java.util.Arrays;
import org.myelin.data.LogMel;
import org.myelin.data.Resampler;
import org.myelin.model.FeatureRecipe;

/**
 * One audio stream through a {@link Spotter}: mono PCM in, in chunks of any size (float in [-1, 1],
 * or 16-bit), words out.
 *
 * <p><b>Pipeline.</b> Samples at the stream's rate are resampled to the model's
 * ({@link Resampler}, streaming, the same bits as offline), cut into the recipe's frames as soon as
 * each is complete ({@link LogMel#frame}, the same bits as the offline frames), and grouped into
 * utterances: with a {@link Segmentation}, by voice activity; without one, consecutive runs of the
 * model's frame count T from the start of the stream. An utterance is reported to the
 * {@link Listener} when it ends (or reaches T frames); a shorter one is padded by repeating its last
 * frame, as offline. Between utterances the network state is reset.
 *
 * <p><b>Normalisation and latency.</b> With a {@code global} model each frame is normalised and run
 * through the network the moment it exists; the word is reported one hop after its last frame.
 * Without segmentation, a recording pushed in any chunking gives exactly the classes and scores of
 * {@link Spotter#classify} on it (tested). With an {@code utterance} model the stream keeps the
 * word's raw frames, standardises them when the word ends and then runs all T steps at once: the
 * report comes when the word is over (with segmentation: after the hangover), plus the time of T
 * network steps (tens of µs each on the paper's network).
 *
 * <p>Not thread-safe: one thread owns a stream. In the steady state (once C2 has compiled it: see
 * the package documentation) {@link #push} allocates nothing (tested); the {@link Detection} handed to the listener is reused and valid only during the
 * call. Bad input (a NaN or infinite sample, bad bounds, a chunk after {@link #close}) is refused
 * before anything changes.
 */
public final class KeywordStream {
    /** Receives each word. */
    @FunctionalInterface
    public interface Listener {
        void word(Detection d);
    }

    /** A detected word (reused between calls). */
    public static final class Detection {
        /** Predicted class and its calibrated probability. */
        public int label;
        public float p;
        /** Whether the class is a keyword and p reaches the model's threshold (a rejected word is still reported, with false). */
        public boolean accepted;
        /** Calibrated softmax of the scores, and the scores (logits). */
        public final float[] probs, scores;
        /** Seconds from the start of the stream to the start of the word's first frame and the end of its last. */
        public double start, end;
        /** Frames of audio in the word (before padding to the model's count). */
        public int frames;

        Detection(int classes) {
            probs = new float[classes];
            scores = new float[classes];
        }
    }

    private static final int BLOCK = 1024;
    private static final int IDLE = 0, OPEN = 1, SKIP = 2;

    private final StreamState st;
    private final FeatureRecipe r;
    private final LogMel mel;
    private final LogMel.Workspace ws;
    private final Segmentation seg;
    private final Resampler resampler;
    private final boolean global;
    private final int L, hop, mels, T;
    private final double modelRate;
    private final float[] inBlock, outBlock, buf, frame, norm, utt, ring, calFrames;
    private final double[] exp, calEnergy, calSorted;
    private final Detection det;
    private final org.myelin.model.Calibration cal;
    private final Spotter spotter;
    private int filled;
    private long received, framesSeen;
    private boolean closed;
    // utterance in progress
    private int uttFrames;
    private long uttStart;
    // voice activity
    private int state = IDLE, run, quiet, ringCount, ringHead;
    private double floor = Double.NaN;

    KeywordStream(Spotter spotter, int rate, Segmentation seg, boolean resample, boolean warmUp) {
        this.r = spotter.recipeFor(rate, resample, "stream");
        this.st = spotter.network().newStream(warmUp);
        this.mel = LogMel.of(r);
        this.ws = mel.workspace();
        this.seg = seg;
        this.resampler = rate == r.sampleRate ? null : new Resampler(rate, r.sampleRate);
        this.global = r.normalization == FeatureRecipe.Normalization.GLOBAL;
        this.L = r.frameLength;
        this.hop = r.hop;
        this.mels = r.mels;
        this.T = r.frames;
        this.modelRate = r.sampleRate;
        inBlock = new float[BLOCK];
        outBlock = new float[resampler == null ? BLOCK : resampler.maxOutput(BLOCK)];
        buf = new float[L + 1];
        frame = new float[mels];
        norm = new float[mels];
        utt = new float[T * mels];
        ring = new float[seg == null ? 0 : (seg.prerollFrames + seg.onsetFrames) * mels];
        calEnergy = new double[seg == null ? 0 : startCap(seg, T)];
        calFrames = new float[calEnergy.length * mels];
        calSorted = new double[calEnergy.length];
        exp = new double[spotter.classes()];
        det = new Detection(spotter.classes());
        cal = spotter.calibration();
        this.spotter = spotter;
    }

    /** The recipe this stream runs (the model's, or for a legacy model the paper's at the stream's rate). */
    public FeatureRecipe recipe() {
        return r;
    }

    /** Whether {@link #close} has been called (and no {@link #reset} since). */
    public boolean isClosed() {
        return closed;
    }

        /** Samples pushed so far (at the stream's rate). */
    public long samples() {
        return received;
    }

    /**
     * Pushes float samples {@code pcm[off, off+len)}; every word they complete goes to the listener.
     *
     * @throws IllegalArgumentException on bad bounds or a NaN, infinite or far out-of-range sample
     *         (magnitude over {@link #MAX_SAMPLE}; nothing changes)
     * @throws IllegalStateException after {@link #close}
     */
    public void push(float[] pcm, int off, int len, Listener listener) {
        check(pcm.length, off, len);
        checkSamples(pcm, off, len, "audio");
        for (int q = off; q < off + len; q += BLOCK) feed(pcm, q, Math.min(BLOCK, off + len - q), listener);
    }

    /**
     * Pushes signed 16-bit samples {@code pcm[off, off+len)}, scaled by 2^-15 as 16-bit files are.
     *
     * @throws IllegalArgumentException on bad bounds (nothing changes)
     * @throws IllegalStateException after {@link #close}
     */
    public void push(short[] pcm, int off, int len, Listener listener) {
        check(pcm.length, off, len);
        final double scale = 1.0 / (1L << 15);
        for (int q = off; q < off + len; q += BLOCK) {
            int n = Math.min(BLOCK, off + len - q);
            for (int i = 0; i < n; i++) inBlock[i] = (float) (pcm[q + i] * scale);
            feed(inBlock, 0, n, listener);
        }
    }

    /**
     * The largest sample magnitude a stream or {@link Spotter#classify} accepts: 8 (18 dB over full
     * scale). Float audio that clips a little passes; 16-bit integers handed over as floats (values
     * up to 32768, the usual mistake) are refused rather than classified as noise.
     */
    public static final float MAX_SAMPLE = 8f;

    /**
     * Refuses a NaN, infinite or far out-of-range sample in {@code pcm[off, off+len)}.
     *
     * @param what names the audio in the message
     * @throws IllegalArgumentException naming the index and the value
     */
    static void checkSamples(float[] pcm, int off, int len, String what) {
        for (int q = off; q < off + len; q++) {
            float v = pcm[q];
            if (!Float.isFinite(v)) throw new IllegalArgumentException(what + ": sample " + v + " at index " + q + " is not finite");
            if (Math.abs(v) > MAX_SAMPLE) {
                throw new IllegalArgumentException(what + ": sample " + v + " at index " + q + " is far outside [-1, 1] (limit ±" + MAX_SAMPLE
                        + "; 16-bit PCM goes to push(short[], ...))");
            }
        }
    }

    private void check(int length, int off, int len) {
        if (closed) throw new IllegalStateException("stream is closed: no samples after close()");
        if (off < 0 || len < 0 || off > length - len) throw new IllegalArgumentException("samples [" + off + ", " + off + "+" + len + ") outside an array of " + length);
    }

    /**
     * Ends the stream: flushes the resampler, completes a last frame when the stream held less than
     * one (without segmentation), and reports the utterance in progress. Further pushes fail;
     * closing twice does nothing.
     */
    public void close(Listener listener) {
        if (closed) return;
        closed = true;
        if (resampler != null) {
            float[] tail = new float[resampler.tailLength()];
            int n = resampler.finish(tail, 0);
            frames(tail, 0, n, listener);
        }
        if (seg == null) {
            if (framesSeen == 0 && filled > 0) {
                // a stream shorter than one frame: one frame, zero past the end (as offline)
                Arrays.fill(buf, 1 + filled, L + 1, 0f);
                emitFrame(listener, 1 + filled);
            }
            if (uttFrames > 0) finishUtterance(listener);
        } else {
            // a stream shorter than the start-up window: calibrate on what there is; the end of
            // the stream counts as silence, so a word still open is reported
            if (Double.isNaN(floor)) calibrate(listener, true);
            if (state == OPEN) finishUtterance(listener);
        }
    }

    /** Back to the start of a new stream (the same rate and settings). */
    public void reset() {
        if (resampler != null) resampler.reset();
        st.reset();
        filled = 0;
        received = framesSeen = 0;
        closed = false;
        uttFrames = 0;
        state = IDLE;
        run = quiet = ringCount = ringHead = 0;
        floor = Double.NaN;
        buf[0] = 0f;
    }

    private void feed(float[] x, int off, int n, Listener listener) {
        received += n;
        if (resampler == null) {
            frames(x, off, n, listener);
        } else {
            int m = resampler.process(x, off, n, outBlock, 0);
            frames(outBlock, 0, m, listener);
        }
    }

    /** Samples at the model's rate into frames. buf[0] is the sample before the frame (0 at the stream start). */
    private void frames(float[] y, int off, int n, Listener listener) {
        for (int q = off; q < off + n; q++) {
            buf[1 + filled++] = y[q];
            if (filled == L) {
                emitFrame(listener, L + 1);
                // the next frame starts hop samples later; its predecessor is buf[hop]
                buf[0] = buf[hop];
                System.arraycopy(buf, hop + 1, buf, 1, L - hop);
                filled = L - hop;
            }
        }
    }

    private void emitFrame(Listener listener, int end) {
        mel.frame(buf, 1, end, frame, 0, ws);
        long f = framesSeen++;
        if (seg == null) {
            if (uttFrames == 0) uttStart = f;
            add(frame);
            if (uttFrames == T) finishUtterance(listener);
            return;
        }
        double e = energy();
        if (Double.isNaN(floor)) {
            // the start-up window: held until the floor is known, then replayed
            System.arraycopy(frame, 0, calFrames, (int) f * mels, mels);
            calEnergy[(int) f] = e;
            calibrate(listener, false);
            return;
        }
        decide(frame, 0, e, f, listener);
    }

    /** Frames a stream may hold at its start: one word (T frames) and its hangover, at least the start-up window. */
    static int startCap(Segmentation seg, int T) {
        return Math.max(Segmentation.CALIBRATION_FRAMES, T + seg.hangoverFrames);
    }

    /**
     * Ends the start-up window once {@link Segmentation#startUp} knows the floor (at the latest at
     * the stream's end): the held frames then run through the detector as if they had just
     * arrived (the stream's start counts as silence, so a word may open at frame 0).
     */
    private void calibrate(Listener listener, boolean end) {
        int n = (int) framesSeen;
        if (n == 0) return;
        double start = seg.startUp(calEnergy, n, calEnergy.length, end, calSorted);
        if (Double.isNaN(start)) return;
        floor = start;
        for (int f = 0; f < n; f++) decide(calFrames, f * mels, calEnergy[f], f, listener);
    }

    /** The voice-activity state machine for frame {@code f} ({@code src[off..off+mels)}, energy e dB). */
    private void decide(float[] src, int off, double e, long f, Listener listener) {
        boolean loud = e > floor + seg.thresholdDb && e > seg.minLevelDb;
        if (state == IDLE) {
            run = loud ? run + 1 : 0;
            track(e);
            int cap = seg.prerollFrames + seg.onsetFrames;
            System.arraycopy(src, off, ring, ringHead * mels, mels);
            ringHead = (ringHead + 1) % cap;
            ringCount = Math.min(ringCount + 1, cap);
            if (run >= seg.onsetFrames) {
                state = OPEN;
                quiet = 0;
                uttStart = f - ringCount + 1;
                for (int k = ringCount; k >= 1; k--) {
                    int slot = ((ringHead - k) % cap + cap) % cap;
                    add(ring, slot * mels);
                    if (uttFrames == T) break;
                }
                ringCount = 0;
                if (uttFrames == T) {
                    finishUtterance(listener);
                    state = SKIP;
                }
            }
        } else if (state == OPEN) {
            add(src, off);
            quiet = loud ? 0 : quiet + 1;
            if (quiet >= seg.hangoverFrames || uttFrames == T) {
                boolean full = quiet < seg.hangoverFrames;
                finishUtterance(listener);
                state = full ? SKIP : IDLE;
                run = 0;
                quiet = 0;
            }
        } else {
            track(e);
            quiet = loud ? 0 : quiet + 1;
            if (quiet >= seg.hangoverFrames) {
                state = IDLE;
                run = 0;
                ringCount = 0;
            }
        }
    }

    /** The adaptive noise floor (only while no word is open). */
    private void track(double e) {
        floor += (e < floor ? 0.3 : seg.floorRise) * (e - floor);
    }

    /** 10·log10(mean square of the frame's samples + 1e-10). */
    private double energy() {
        double s = 0;
        for (int i = 1; i <= L; i++) s += (double) buf[i] * buf[i];
        return 10 * Math.log10(s / L + 1e-10);
    }

    private void add(float[] src) {
        add(src, 0);
    }

    /** Appends one raw frame to the utterance; a global model steps the network with it at once. */
    private void add(float[] src, int off) {
        System.arraycopy(src, off, utt, uttFrames * mels, mels);
        if (global) {
            System.arraycopy(src, off, norm, 0, mels);
            LogMel.normaliseFrame(r, norm, 0);
            st.step(norm, null);
        }
        uttFrames++;
    }

    private void finishUtterance(Listener listener) {
        int n = uttFrames;
        if (global) {
            // pad as offline: repeat the last (normalised) frame up to T
            for (int k = n; k < T; k++) st.step(norm, null);
        } else {
            LogMel.padFrames(utt, n, T, mels);
            LogMel.standardise(utt, 0, T * mels, r.stdFloor);
            for (int k = 0; k < T; k++) {
                System.arraycopy(utt, k * mels, norm, 0, mels);
                st.step(norm, null);
            }
        }
        st.scores(det.scores);
        cal.probabilities(det.scores, det.probs, exp);
        det.label = org.myelin.network.Readout.argmax(det.scores);
        det.p = det.probs[det.label];
        det.accepted = spotter.accepts(det.label, det.p);
        det.frames = n;
        det.start = uttStart * hop / modelRate;
        det.end = ((uttStart + n - 1) * hop + L) / modelRate;
        st.reset();
        uttFrames = 0;
        if (listener != null) listener.word(det);
    }
}
