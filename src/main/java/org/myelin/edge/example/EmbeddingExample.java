package org.myelin.edge.example;

import java.nio.file.Path;
import org.myelin.edge.KeywordSpotter;
import org.myelin.edge.Options;
import org.myelin.edge.Recording;
import org.myelin.edge.WordStream;

/**
 * How an application embeds the engine, using nothing but the {@code org.myelin.edge} API (so it
 * runs on the {@code myelin-engine} jar alone): load a model once (its front end, class names and
 * calibration come with it), give each audio source its own {@link WordStream}, push PCM as it
 * arrives, and get each word when it ends.
 *
 * <p>Run: {@code java -cp target/myelin-engine.jar org.myelin.edge.example.EmbeddingExample
 * MODEL.myelin RECORDING.wav} — it pushes the recording in 20 ms chunks, as a sound card would,
 * and prints one line per word.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddingExample MODEL.myelin RECORDING.wav");
            System.exit(2);
        }
        KeywordSpotter spotter = KeywordSpotter.load(Path.of(args[0]));   // immutable: share it
        Recording rec = Recording.read(Path.of(args[1]));                  // or PCM from a sound card
        Options options = Options.builder().sampleRate(rec.sampleRate()).build(); // resampled to the model's
        try (WordStream stream = spotter.openStream(options, w -> System.out.println(w))) {
            rec.pushTo(stream, 20);                                        // allocation-free per chunk
        }                                                                  // close(): the last word
    }
}
