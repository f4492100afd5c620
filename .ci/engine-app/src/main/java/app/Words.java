package app;

import java.nio.file.Path;
import org.myelin.edge.InvalidModelException;
import org.myelin.edge.KeywordSpotter;
import org.myelin.edge.Options;
import org.myelin.edge.Recording;
import org.myelin.edge.WordStream;

/**
 * Prints the words of a recording: {@code java -cp ENGINE.jar:target/classes app.Words MODEL
 * RECORDING}. Without arguments it loads an empty "model" and prints the engine's refusal, which
 * exercises the model reader through the API with no model at hand.
 */
public final class Words {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            try {
                KeywordSpotter.load(new byte[0], "empty");
            } catch (InvalidModelException e) {
                System.out.println("refused: " + e.getMessage());
            }
            return;
        }
        KeywordSpotter spotter = KeywordSpotter.load(Path.of(args[0]));
        Recording rec = Recording.read(Path.of(args[1]));
        try (WordStream s = spotter.openStream(Options.builder().sampleRate(rec.sampleRate()).build(), System.out::println)) {
            rec.pushTo(s, 20);
        }
    }
}
