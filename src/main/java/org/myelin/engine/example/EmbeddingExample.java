package org.myelin.engine.example;

import java.nio.file.Path;
import java.util.Locale;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.engine.KeywordStream;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;

/**
 * How an application embeds the engine: load a model once (its front end and normalisation come
 * with it), give each audio source its own {@link KeywordStream}, push PCM as it arrives, and get
 * each word when it ends.
 *
 * <p>Run: {@code java -cp target/myelin.jar org.myelin.engine.example.EmbeddingExample MODEL.myelin
 * RECORDING.wav} — it pushes the recording in 20 ms chunks, as a sound card would, and prints the
 * words it hears. Nothing else is needed: no statistics, no recipe constants.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddingExample MODEL.myelin RECORDING.wav");
            System.exit(2);
        }
        Spotter spotter = Spotter.load(Path.of(args[0]));        // immutable: share between threads
        Audio audio = AudioFiles.read(Path.of(args[1]));          // any PCM source works the same way
        float[] pcm = audio.mono();
        // one stream per audio source; the recording's rate is resampled to the model's
        KeywordStream stream = spotter.newStream(audio.sampleRate, Segmentation.defaults(), true);
        KeywordStream.Listener print = w -> System.out.printf(Locale.ROOT, "%6.2f-%6.2f s  word: class %d (p %.3f)%n",
                w.start, w.end, w.label, w.p);
        int chunk = audio.sampleRate / 50;                          // 20 ms
        for (int q = 0; q < pcm.length; q += chunk) {
            stream.push(pcm, q, Math.min(chunk, pcm.length - q), print); // allocation-free
        }
        stream.close(print);                                        // the word still open, if any
    }
}
