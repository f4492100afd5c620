package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.GeneratedAudio;
import org.myelin.data.Waveforms;
import org.myelin.model.FeatureRecipe;

/**
 * {@code --reject-dir}'s folder: long recordings cut into words by the voice detector, short ones
 * whole, files held out by the seed, segments drawn evenly, and each bad folder refused in one
 * line naming the flag or the file.
 */
class RejectFolderTest {
    @TempDir
    Path dir;

    /** {@code words} stand-in words (classes 3..9 of {@link GeneratedAudio#word}) with 0.4–0.8 s of faint noise between and around them. */
    static float[] sentence(int rate, int words, Random r) {
        List<Float> x = new ArrayList<>();
        for (int w = 0; w <= words; w++) {
            int pause = (int) ((0.4 + 0.4 * r.nextDouble()) * rate);
            for (int i = 0; i < pause; i++) x.add((float) (0.003 * r.nextGaussian()));
            if (w == words) break;
            for (float v : GeneratedAudio.word(3 + r.nextInt(7), rate, r)) x.add(v);
        }
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = x.get(i);
        return out;
    }

    @Test
    void longRecordingsAreCutIntoTheirWordsAndShortOnesKeptWhole() throws Exception {
        FeatureRecipe recipe = FeatureRecipe.paper(8000);
        Random r = new Random(4);
        Path a = dir.resolve("a.wav"), b = dir.resolve("b.wav");
        GeneratedAudio.wav(a, 16000, sentence(16000, 4, r)); // another rate: resampled to the recipe's
        float[] word = GeneratedAudio.word(5, 8000, r);
        GeneratedAudio.wav(b, 8000, word);
        float[][] s = RejectFolder.segments(List.of(a, b), dir, recipe);
        assertEquals(5, s.length, "four words of the long file, the short file whole");
        int window = Waveforms.neededSamples(recipe);
        for (int k = 0; k < 4; k++) {
            assertTrue(s[k].length >= 0.3 * 8000 && s[k].length <= window, "segment " + k + ": " + s[k].length + " samples, a word with its pre-roll");
            double peak = 0;
            for (float v : s[k]) peak = Math.max(peak, Math.abs(v));
            assertTrue(peak > 0.1, "segment " + k + " holds a word, not the pause (peak " + peak + ")");
        }
        assertEquals(word.length, s[4].length, "the short file whole");
        assertArrayEquals(RejectFolder.segments(List.of(a, b), dir, recipe)[2], s[2], "the same segments every time");
    }

    @Test
    void filesAreHeldOutByTheSeedAndSegmentsDrawnEvenly() throws Exception {
        Random r = new Random(5);
        Files.createDirectories(dir.resolve("sub/.hidden"));
        for (int k = 0; k < 7; k++) GeneratedAudio.wav(dir.resolve((k < 4 ? "" : "sub/") + "f" + k + ".wav"), 8000, GeneratedAudio.word(k, 8000, r));
        Files.write(dir.resolve("sub/.hidden/x.wav"), new byte[] {1, 2, 3}); // hidden: not a recording of the folder
        Files.write(dir.resolve("notes.txt"), new byte[] {1});
        RejectFolder.Files all = RejectFolder.split(dir, false, 1);
        assertEquals(7, all.train().size());
        assertEquals(0, all.held().size());
        RejectFolder.Files f = RejectFolder.split(dir, true, 1);
        assertEquals(2, f.held().size(), "round(0.25 · 7) held out");
        assertEquals(5, f.train().size());
        assertEquals(f, RejectFolder.split(dir, true, 1), "the same seed holds out the same files");
        assertTrue(f.train().stream().noneMatch(f.held()::contains));
        boolean differs = false;
        for (long seed = 2; seed < 12 && !differs; seed++) differs = !RejectFolder.split(dir, true, seed).held().equals(f.held());
        assertTrue(differs, "another seed, other files");

        float[][] seg = new float[3][];
        for (int k = 0; k < 3; k++) seg[k] = new float[] {k};
        float[][] picked = RejectFolder.pick(seg, 8, 9);
        int[] uses = new int[3];
        for (float[] p : picked) uses[(int) p[0]]++;
        for (int u : uses) assertTrue(u == 2 || u == 3, "each segment used 2 or 3 times of 8: " + java.util.Arrays.toString(uses));
        assertArrayEquals(picked, RejectFolder.pick(seg, 8, 9));
    }

    @Test
    void aBadFolderIsRefusedInOneLineNamingTheFlagOrTheFile() throws Exception {
        FeatureRecipe recipe = FeatureRecipe.paper(8000);
        NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> RejectFolder.split(dir.resolve("missing"), false, 1));
        assertTrue(none.getMessage().contains("--reject-dir: no such folder"), none.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.write(empty.resolve("readme.txt"), new byte[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RejectFolder.split(empty, false, 1));
        assertEquals("--reject-dir " + empty + ": no .wav or .flac recordings in it", e.getMessage());
        Path file = empty.resolve("readme.txt");
        e = assertThrows(IllegalArgumentException.class, () -> RejectFolder.split(file, false, 1));
        assertEquals("--reject-dir " + file + ": not a folder", e.getMessage());
        Path one = Files.createDirectories(dir.resolve("one"));
        GeneratedAudio.wav(one.resolve("w.wav"), 8000, GeneratedAudio.word(3, 8000, new Random(1)));
        e = assertThrows(IllegalArgumentException.class, () -> RejectFolder.split(one, true, 1));
        assertTrue(e.getMessage().startsWith("--reject-dir " + one + ": one recording; the threshold is chosen on held-out ones"), e.getMessage());
        Path bad = Files.createDirectories(dir.resolve("bad")).resolve("broken.wav");
        Files.write(bad, "not audio at all".getBytes());
        e = assertThrows(IllegalArgumentException.class, () -> RejectFolder.segments(List.of(bad), bad.getParent(), recipe));
        assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        Path quiet = Files.createDirectories(dir.resolve("quiet")).resolve("silence.wav");
        GeneratedAudio.wav(quiet, 8000, new float[3 * 8000]);
        e = assertThrows(IllegalArgumentException.class, () -> RejectFolder.segments(List.of(quiet), quiet.getParent(), recipe));
        assertEquals("--reject-dir " + quiet.getParent() + ": the voice detector found no word in its 1 recordings", e.getMessage());
    }
}
