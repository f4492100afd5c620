package org.myelin.edge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.myelin.engine.Spotter;
import org.myelin.model.Model;

/**
 * A trained keyword spotter: a model file loaded and compiled for inference, with the front end
 * (sample rate, log-Mel features, normalisation), class names and calibration it was trained
 * with. Load it once; give each audio source its own {@link WordStream}:
 *
 * <pre>{@code
 * KeywordSpotter spotter = KeywordSpotter.load(Path.of("fsdd.myelin"));
 * Options o = Options.builder().sampleRate(16000).build();
 * try (WordStream s = spotter.openStream(o, w -> System.out.println(w.className()))) {
 *     s.push(chunk);                                    // as audio arrives
 * }                                                     // close() reports the last word
 * }</pre>
 *
 * <p><b>Thread-safe:</b> immutable; any number of threads may open streams and classify at once.
 *
 * <p><b>Fast start.</b> With the Vector API the streams start on the scalar kernels and move to the
 * vector kernels once a daemon thread (started by the first stream opened or recording classified)
 * has built them and the JIT has compiled them — the same words, bit for bit; only the speed of
 * the first steps differs ({@link Options.Builder#warmUp(boolean)}, docs/EMBEDDING.md).
 *
 * <p>A model that cannot be used is an {@link InvalidModelException} (checked) naming the source
 * and what is wrong; misuse (an unusable sample rate, bad PCM) is an
 * {@link IllegalArgumentException}.
 */
public final class KeywordSpotter {
    private final Spotter spotter;
    private final String source;

    private KeywordSpotter(Spotter spotter, String source) {
        this.spotter = spotter;
        this.source = source;
    }

    /**
     * Loads a model file.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws InvalidModelException  naming the file when it is not a usable model
     * @throws IOException            when it cannot be read
     */
    public static KeywordSpotter load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try {
            return new KeywordSpotter(Spotter.of(Model.load(file), file.toString(), true), file.toString());
        } catch (IllegalArgumentException e) {
            // the reader's messages name the file and the fault in one line
            throw new InvalidModelException(file.toString(), e.getMessage());
        }
    }

    /**
     * Loads a model from a stream, read to its end (the stream is not closed).
     *
     * @param name names the model in messages (e.g. a resource path)
     * @throws InvalidModelException naming {@code name} when the bytes are not a usable model
     * @throws IOException           when the stream fails
     */
    public static KeywordSpotter load(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        return load(in.readAllBytes(), name);
    }

    /**
     * Loads a model from the bytes of a model file.
     *
     * @param name names the model in messages
     * @throws InvalidModelException naming {@code name} when the bytes are not a usable model
     */
    public static KeywordSpotter load(byte[] model, String name) throws InvalidModelException {
        Objects.requireNonNull(model, "model");
        String source = name == null ? "model" : name;
        try {
            return new KeywordSpotter(Spotter.of(Model.parse(model, source), source, true), source);
        } catch (IllegalArgumentException e) {
            // the reader's messages name the source and the fault in one line
            throw new InvalidModelException(source, e.getMessage());
        }
    }

    /** The file or name the model was loaded from. */
    public String source() {
        return source;
    }

    /** The number of classes. */
    public int classes() {
        return spotter.classes();
    }

    /** The name of each class as the training data named it (its number as text when it named none); index = class. Unmodifiable. */
    public List<String> classNames() {
        return spotter.classNames();
    }

    /**
     * The sample rate the model was trained at (audio at another is resampled to it), or empty for a
     * model from before front ends were stored, which takes audio at its own rate.
     */
    public OptionalInt sampleRate() {
        return spotter.recipe() == null ? OptionalInt.empty() : OptionalInt.of(spotter.recipe().sampleRate);
    }

    /**
     * The kernels the engine runs (scalar or vector, its width), as the start-up log line says;
     * while the vector kernels warm up in the background, the scalar ones and a note saying so.
     */
    public String kernels() {
        return spotter.network().describeKernels();
    }

    private int rate(Options o) {
        Objects.requireNonNull(o, "options");
        OptionalInt model = sampleRate();
        if (o.sampleRate().isEmpty() && model.isEmpty()) {
            throw new IllegalArgumentException(source + ": this model takes audio at its own rate: give it with Options.builder().sampleRate(hz)");
        }
        return o.rateFor(model.orElse(0));
    }

    /**
     * A new stream of audio, cut into words as {@code options} say, each word to {@code listener}.
     *
     * @throws IllegalArgumentException when the options' rate differs from the model's and
     *                                  resampling is off
     */
    public WordStream openStream(Options options, WordListener listener) {
        Objects.requireNonNull(listener, "listener");
        int rate = rate(options);
        var front = spotter.recipeFor(rate, options.resampling(), source);
        double hopMs = front.hop * 1000.0 / front.sampleRate;
        return new WordStream(spotter, rate, options.voiceActivity().map(v -> v.toSegmentation(hopMs)).orElse(null), options.resampling(),
                options.warmUp(), listener);
    }

    /** {@link #openStream(Options, WordListener)} with {@link Options#defaults()}: audio at the model's rate, cut by voice activity. */
    public WordStream openStream(WordListener listener) {
        return openStream(Options.defaults(), listener);
    }

    /**
     * Classifies one recording as one word (mono PCM at the options' rate; its voice-activity
     * setting does not apply): start 0, end its length.
     *
     * @throws IllegalArgumentException on an empty recording, a NaN, infinite or far out-of-range
     *                                  sample, or a rate the options do not allow
     */
    public Word classify(float[] pcm, Options options) {
        return classify(pcm, options, "recording");
    }

    private Word classify(float[] pcm, Options options, String what) {
        Objects.requireNonNull(pcm, "pcm");
        int rate = rate(options);
        if (pcm.length == 0) throw new IllegalArgumentException(what + ": no samples");
        Spotter.Result r = spotter.classify(pcm, rate, options.resampling(), options.warmUp(), what);
        return new Word(0, pcm.length / (double) rate, r.label, spotter.classNames().get(r.label), r.p(), r.accepted);
    }

    /**
     * Classifies each recording as one word, on {@link Options#threads()} threads; the results are
     * in the recordings' order and do not depend on the thread count.
     *
     * @throws IllegalArgumentException naming the recording's index as {@link #classify} would
     */
    public List<Word> classifyAll(List<float[]> recordings, Options options) {
        Objects.requireNonNull(recordings, "recordings");
        rate(options);
        int n = recordings.size(), threads = Math.min(options.threads(), n);
        List<Word> out = new ArrayList<>(n);
        if (threads <= 1) {
            for (int k = 0; k < n; k++) out.add(classify(recordings.get(k), options, "recording " + k));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "myelin-classify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Word>> futures = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                float[] pcm = recordings.get(k);
                String what = "recording " + k;
                futures.add(pool.submit(() -> classify(pcm, options, what)));
            }
            for (Future<Word> f : futures) out.add(f.get());
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
            if (e.getCause() instanceof Error) throw (Error) e.getCause();
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while classifying", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "KeywordSpotter[" + source + ", " + classes() + " classes]";
    }
}
