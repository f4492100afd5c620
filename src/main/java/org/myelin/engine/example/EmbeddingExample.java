package org.myelin.engine.example;

import java.nio.file.Path;
import java.util.Locale;
import org.myelin.engine.CompiledNetwork;
import org.myelin.engine.FeatureNormalizer;
import org.myelin.engine.DataLogMelFeatures;
import org.myelin.engine.StreamState;
import org.myelin.engine.StreamingFrontEnd;

/**
 * How an application embeds the engine: compile a model once, share it, give each audio stream its
 * own {@link StreamState} and {@link StreamingFrontEnd}, push audio as it arrives and read the
 * running scores after each 10 ms frame.
 *
 * <p>Run: {@code java -cp target/classes org.myelin.engine.example.EmbeddingExample MODEL.myelin}
 * (it feeds one second of a synthetic 48 kHz tone in 20 ms chunks, as a sound card would).
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** One audio stream: its front end, its network state and its current scores. */
    static final class Listener implements StreamingFrontEnd.FrameSink {
        final StreamState state;
        final StreamingFrontEnd frontEnd;
        final float[] scores;
        final int utteranceFrames;

        Listener(CompiledNetwork net, int sampleRate, FeatureNormalizer norm) {
            state = net.newStream();
            // the training recipe, frame for frame; it applies its own pre-emphasis, so the front end's is 0
            frontEnd = new StreamingFrontEnd(new DataLogMelFeatures(sampleRate), 0f, norm);
            scores = new float[net.outputs()];
            utteranceFrames = net.steps();
        }

        /** Called by the audio thread with each chunk of samples. */
        void onAudio(float[] chunk, int count) {
            frontEnd.push(chunk, 0, count, this);
        }

        @Override
        public void accept(float[] frame) {
            state.step(frame, scores); // allocation-free; scores = logits so far
            if (state.steps() == utteranceFrames) {
                System.out.printf(Locale.ROOT, "utterance done: class %d (score %.3f)%n", state.predict(), scores[state.predict()]);
                state.reset(); // next utterance (a real application would use voice activity)
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddingExample MODEL.myelin");
            System.exit(2);
        }
        CompiledNetwork net = CompiledNetwork.load(Path.of(args[0])); // immutable: share between threads
        if (net.inputs() != 40) {
            System.err.println("this example's front end makes 40 Mel bands; the model takes " + net.inputs());
            System.exit(2);
        }
        // Fixed statistics stand in for the offline per-utterance standardisation; a deployment
        // would use the training set's per-channel mean and std here.
        float[] mean = new float[40], std = new float[40];
        java.util.Arrays.fill(mean, -5f);
        java.util.Arrays.fill(std, 5f);
        int sr = 48_000;
        Listener l = new Listener(net, sr, FeatureNormalizer.fixed(mean, std));
        float[] chunk = new float[sr / 50];
        long n = 0;
        for (int c = 0; c < 50; c++) {
            for (int i = 0; i < chunk.length; i++, n++) chunk[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * n / sr));
            l.onAudio(chunk, chunk.length);
        }
        System.out.printf(Locale.ROOT, "after %d frames the leading class is %d%n", l.state.steps(), l.state.predict());
    }
}
