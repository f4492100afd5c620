package org.myelin.edge;

import java.util.Optional;
import org.myelin.model.FeatureRecipe;

/**
 * How audio is given to a {@link KeywordSpotter}: its sample rate, whether another rate than the
 * model's is resampled, how a stream is cut into words, and how many threads
 * {@link KeywordSpotter#classifyAll} uses. Immutable; made by {@link #builder()}:
 *
 * <pre>{@code
 * Options o = Options.builder().sampleRate(16000).build();   // resampled to the model's rate
 * }</pre>
 *
 * Every setting is checked when it is set: a bad one is an {@link IllegalArgumentException} naming
 * it.
 */
public final class Options {
    /** The highest sample rate accepted, in Hz. */
    public static final int MAX_SAMPLE_RATE = FeatureRecipe.MAX_RATE;

    private final int sampleRate;
    private final boolean resample;
    private final VoiceActivity voiceActivity;
    private final int threads;
    private final boolean warmUp;

    private Options(Builder b) {
        this.warmUp = b.warmUp;
        this.sampleRate = b.sampleRate;
        this.resample = b.resample;
        this.voiceActivity = b.voiceActivity;
        this.threads = b.threads;
    }

    /** The defaults: the model's own sample rate, resampling on, {@link VoiceActivity#defaults()}, one thread, warm-up on. */
    public static Options defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sampleRate = sampleRate;
        b.resample = resample;
        b.voiceActivity = voiceActivity;
        b.threads = threads;
        b.warmUp = warmUp;
        return b;
    }

    /** The sample rate of the audio given, in Hz, or empty for the model's own rate. */
    public Optional<Integer> sampleRate() {
        return sampleRate == 0 ? Optional.empty() : Optional.of(sampleRate);
    }

    /** Whether audio at another rate than the model's is resampled (else refused). */
    public boolean resampling() {
        return resample;
    }

    /** How a stream is cut into words, or empty: back-to-back utterances of the model's length. */
    public Optional<VoiceActivity> voiceActivity() {
        return Optional.ofNullable(voiceActivity);
    }

    /** Threads {@link KeywordSpotter#classifyAll} uses. */
    public int threads() {
        return threads;
    }

    /** Whether streams and classifications start on the scalar kernels while the vector ones warm up ({@link Builder#warmUp(boolean)}). */
    public boolean warmUp() {
        return warmUp;
    }

    /** The rate of audio given with these options to a spotter whose model runs at {@code modelRate}. */
    int rateFor(int modelRate) {
        return sampleRate == 0 ? modelRate : sampleRate;
    }

    @Override
    public String toString() {
        return "Options[sampleRate=" + (sampleRate == 0 ? "model's" : sampleRate + " Hz") + ", resampling=" + resample + ", voiceActivity="
                + (voiceActivity == null ? "off" : voiceActivity) + ", threads=" + threads + ", warmUp=" + warmUp + "]";
    }

    /** Builds {@link Options}; not thread-safe. */
    public static final class Builder {
        private int sampleRate;
        private boolean resample = true;
        private VoiceActivity voiceActivity = VoiceActivity.defaults();
        private int threads = 1;
        private boolean warmUp = true;

        private Builder() {}

        /**
         * The sample rate of the PCM that will be given, in Hz.
         *
         * @throws IllegalArgumentException unless 1 ≤ {@code hz} ≤ {@link #MAX_SAMPLE_RATE}
         */
        public Builder sampleRate(int hz) {
            if (hz < 1 || hz > MAX_SAMPLE_RATE) {
                throw new IllegalArgumentException("sample rate " + hz + " Hz is not usable (need 1 .. " + MAX_SAMPLE_RATE + " Hz)");
            }
            this.sampleRate = hz;
            return this;
        }

        /** The model's own sample rate (the default). */
        public Builder modelSampleRate() {
            this.sampleRate = 0;
            return this;
        }

        /** Whether audio at another rate than the model's is resampled (default) or refused. */
        public Builder resampling(boolean on) {
            this.resample = on;
            return this;
        }

        /** Cut streams into words by these voice-activity settings. */
        public Builder voiceActivity(VoiceActivity v) {
            if (v == null) throw new IllegalArgumentException("voice activity: null (wholeUtterances() turns it off)");
            this.voiceActivity = v;
            return this;
        }

        /** No voice activity: a stream is back-to-back utterances of the model's length from its start. */
        public Builder wholeUtterances() {
            this.voiceActivity = null;
            return this;
        }

        /**
         * Threads for {@link KeywordSpotter#classifyAll} (results do not depend on it).
         *
         * @throws IllegalArgumentException unless 1 ≤ {@code n} ≤ 1024
         */
        public Builder threads(int n) {
            if (n < 1 || n > 1024) throw new IllegalArgumentException("threads must be 1 .. 1024, got " + n);
            this.threads = n;
            return this;
        }

        /**
         * Whether a stream (or {@link KeywordSpotter#classify} call) starts on the scalar kernels
         * while the vector kernels warm up in the background (default), or runs the vector kernels
         * from its first step. With the Vector API ({@code --add-modules jdk.incubator.vector})
         * the vector kernels are the fast ones once the JIT has compiled them, but until then
         * several times slower than the scalar ones (the first word of a process: about 0.5 s of
         * CPU more): with warm-up on, the first stream opened starts a daemon thread that builds the
         * vector kernels and runs them on made-up frames until they are compiled, and every stream
         * then moves to them at its next step. The words are the same bits either way; only the
         * speed of the first steps differs. Off: the stream builds the vector kernels (if not yet
         * built) and runs them at once, slow until compiled; no thread is started for it. Without
         * the Vector API there is one set of kernels and this changes nothing.
         */
        public Builder warmUp(boolean on) {
            this.warmUp = on;
            return this;
        }

        public Options build() {
            return new Options(this);
        }
    }
}
