package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.GeneratedAudio;
import org.myelin.model.Model;

/** Google Speech Commands end to end: a model trained on the gsc layout keeps the words, and infer prints them. */
class GscNamesTest {
    @TempDir
    Path dir;

    @Test
    void aGscModelPrintsWords() throws Exception {
        Path d = dir.resolve("gsc");
        String[] words = {"cat", "dog", "yes"};
        Random r = new Random(5);
        StringBuilder val = new StringBuilder(), test = new StringBuilder();
        for (int w = 0; w < words.length; w++) {
            Files.createDirectories(d.resolve(words[w]));
            for (int k = 0; k < 6; k++) {
                String f = words[w] + "/spk" + k + "_nohash_0.wav";
                GeneratedAudio.wav(d.resolve(f), 16000, GeneratedAudio.word(w, 16000, r));
                if (k == 4) val.append(f).append('\n');
                if (k == 5) test.append(f).append('\n');
            }
        }
        Files.createDirectories(d.resolve("_background_noise_"));
        GeneratedAudio.wav(d.resolve("_background_noise_/white.wav"), 16000, GeneratedAudio.word(9, 16000, r));
        Files.writeString(d.resolve("validation_list.txt"), val);
        Files.writeString(d.resolve("testing_list.txt"), test);
        Path model = dir.resolve("g.myelin");
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("train", "--data", d.toString(), "--cache", dir.resolve("cache").toString(),
                "--epochs", "1", "--hidden", "8", "--max-delay", "3", "--batch", "4", "--threads", "1", "--calibrate", "0",
                "--out", model.toString());
        assertEquals(0, t.code, t.err);
        assertEquals(List.of(words), Model.load(model).classNames(), "the word folders' names");
        Path clip = d.resolve("dog/spk5_nohash_0.wav");
        TrainEvalCommandTest.Run i = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", clip.toString());
        assertEquals(0, i.code, i.err);
        assertTrue(i.out.matches("(?s).*  class (cat|dog|yes)  p .*"), i.out);
        assertTrue(!i.out.matches("(?s).*  class \\d.*"), "a word, not a class number: " + i.out);
    }
}
