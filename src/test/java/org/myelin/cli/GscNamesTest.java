package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.GeneratedAudio;
import org.myelin.io.Json;
import org.myelin.model.Model;

/**
 * Google Speech Commands end to end: a model trained on the gsc layout keeps the words, and infer
 * prints them; validation_list.txt is the validation part that chooses the epoch (as SSC's).
 */
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
                "--epochs", "2", "--hidden", "8", "--max-delay", "3", "--batch", "4", "--threads", "1", "--calibrate", "0",
                "--out", model.toString(), "--report", dir.resolve("r.json").toString());
        assertEquals(0, t.code, t.err);
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("r.json")));
        assertEquals(List.of(12, 3, 3), List.of(((Number) rep.get("train_samples")).intValue(), ((Number) rep.get("valid_samples")).intValue(),
                ((Number) rep.get("test_samples")).intValue()), "validation_list.txt's files are the validation part");
        assertEquals("valid", rep.get("chosen_on"));
        int best = ((Number) rep.get("best_epoch")).intValue();
        assertEquals(best, ((Number) rep.get("model_epoch")).intValue());
        assertEquals(best, ((Number) Model.load(model).meta.get("epoch")).intValue(), "the model is the epoch chosen on the validation part");
        assertTrue(t.err.contains("valid loss"), "progress scores the validation part: " + t.err);
        TrainEvalCommandTest.Run v = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--part", "valid", "--threads", "1");
        assertEquals(0, v.code, v.err);
        assertTrue(v.out.contains("valid accuracy") && v.out.contains("(3 samples"), v.out);
        assertEquals(List.of(words), Model.load(model).classNames(), "the word folders' names");
        Path clip = d.resolve("dog/spk5_nohash_0.wav");
        TrainEvalCommandTest.Run i = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", clip.toString());
        assertEquals(0, i.code, i.err);
        assertTrue(i.out.matches("(?s).*  class (cat|dog|yes)  p .*"), i.out);
        assertTrue(!i.out.matches("(?s).*  class \\d.*"), "a word, not a class number: " + i.out);
    }
}
