package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Google Speech Commands' layout on a tiny generated tree: splits from the lists, both tasks, silence clips. */
class GscLayoutTest {
    static final String[] WORDS = {"cat", "dog", "down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes"};

    @TempDir
    Path dir;

    static void wav(Path f, int rate, int n, long seed) throws IOException {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        double hz = 200 + 50 * (seed % 17);
        for (int i = 0; i < n; i++) b.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / rate) + 300 * r.nextGaussian()));
        Files.createDirectories(f.getParent());
        Files.write(f, b.array());
    }

    private Path tree() throws IOException {
        Path d = dir.resolve("gsc");
        StringBuilder val = new StringBuilder();
        StringBuilder test = new StringBuilder();
        long seed = 1;
        for (String w : WORDS) {
            for (int k = 0; k < 4; k++) wav(d.resolve(w).resolve("spk" + k + "_nohash_0.wav"), 16000, 4000, seed++);
            val.append(w).append("/spk2_nohash_0.wav\n");
            test.append(w).append("/spk3_nohash_0.wav\n");
        }
        wav(d.resolve("_background_noise_").resolve("white_noise.wav"), 16000, 24000, 99);
        wav(d.resolve("_background_noise_").resolve("pink_noise.wav"), 16000, 20000, 98);
        Files.writeString(d.resolve("validation_list.txt"), val);
        Files.writeString(d.resolve("testing_list.txt"), test);
        return d;
    }

    @Test
    void thirtyFiveWordTaskSplitsByTheLists() throws IOException {
        Path d = tree();
        assertEquals("gsc", DatasetLayouts.detect(d));
        DatasetLayouts.Listing l = DatasetLayouts.list(d, "gsc", 0.2);
        assertEquals(List.of(WORDS), l.classNames, "word folders sorted, _background_noise_ never a class");
        int[] count = new int[3];
        for (DatasetLayouts.Entry e : l.entries) {
            count[e.split]++;
            int want = e.file.contains("spk3") ? DatasetLayouts.TEST : e.file.contains("spk2") ? DatasetLayouts.VALID : DatasetLayouts.TRAIN;
            assertEquals(want, e.split, e.file);
            assertEquals(WORDS[e.label], e.file.substring(0, e.file.indexOf('/')));
        }
        assertArrayEquals(new int[] {24, 12, 12}, count, "train, test, validation");
        assertEquals("validation_list.txt/testing_list.txt", l.splitRule);
    }

    /** validation_list.txt is the validation part, in memory and through the feature cache alike. */
    @Test
    void validationListIsTheValidationPart() throws IOException {
        Path d = tree();
        Dataset.Split mem = AudioDatasets.load(d, new AudioDatasets.Options().format("gsc").noCache(true).progress(false).threads(1));
        Dataset.Split cached = AudioDatasets.load(d, new AudioDatasets.Options().cacheRoot(dir.resolve("cache")).progress(false).threads(1));
        for (Dataset.Split s : List.of(mem, cached)) {
            assertEquals(24, s.train.size);
            assertEquals(12, s.test.size);
            assertEquals(12, s.valid.size);
            for (String n : s.valid.names) assertTrue(n.endsWith("/spk2_nohash_0.wav"), n);
            for (String n : s.test.names) assertTrue(n.endsWith("/spk3_nohash_0.wav"), n);
            for (int i = 0; i < 12; i++) assertEquals(WORDS[s.valid.y[i]], s.valid.names.get(i).substring(0, s.valid.names.get(i).indexOf('/')));
        }
        assertArrayEquals(mem.valid.x, cached.valid.x, "the cache holds the same validation features");
        AudioDatasets.Summary again = AudioDatasets.build(d, AudioDatasets.cacheFolder(d, dir.resolve("cache")),
                new AudioDatasets.Options().progress(false).threads(1));
        assertTrue(again.reused, "the cache is reused");
        assertEquals(List.of(24, 12, 12), List.of(again.train, again.valid, again.test));
        assertTrue(again.toString().contains("24 train, 12 valid, 12 test"), again.toString());
    }

    @Test
    void twelveClassTaskHasUnknownAndSilence() throws IOException {
        Path d = tree();
        DatasetLayouts.Listing l = DatasetLayouts.list(d, "gsc12", 0.2);
        List<String> want = new ArrayList<>(List.of("_silence_", "_unknown_"));
        want.addAll(DatasetLayouts.GSC_KEYWORDS);
        assertEquals(want, l.classNames);
        int[][] counts = new int[3][12];
        for (DatasetLayouts.Entry e : l.entries) {
            counts[e.split][e.label]++;
            if (e.label == 0) assertTrue(e.file.matches("_background_noise_/(white|pink)_noise\\.wav@\\d+\\+16000"), e.file);
            if (e.label == 1) assertTrue(e.file.startsWith("cat/") || e.file.startsWith("dog/"), e.file);
        }
        // Train: 20 keyword clips → ⌈2⌉ unknown and 2 silence; test: 10 → 1 and 1.
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, counts[0]);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, counts[1]);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, counts[2], "the validation part: its own unknown and silence");
        // Deterministic, and the clips decode to features end to end.
        assertEquals(l.entries.get(0).file, DatasetLayouts.list(d, "gsc12", 0.2).entries.get(0).file);
        Dataset.Split s = AudioDatasets.load(d, new AudioDatasets.Options().format("gsc12").noCache(true).progress(false).threads(1));
        assertEquals(24, s.train.size);
        assertEquals(12, s.test.size);
        assertEquals(12, s.valid.size);
        assertEquals(12, s.train.classes);
        float[] clip = AudioDatasets.samplesOfName(d, s.train.names.stream().filter(n -> n.contains("@")).findFirst().get(), 16000);
        assertEquals(16000, clip.length);
    }

    @Test
    void backgroundNoiseIsTheDefaultNoiseOfAugSnr() throws IOException {
        Path d = tree();
        assertEquals(d.resolve("_background_noise_"), org.myelin.run.DataSpec.folder(d).layoutNoiseDir());
        org.myelin.run.DataSpec explicit = new org.myelin.run.DataSpec(d, "gsc12", false, 1, 2000, 1000, null, null, false);
        assertEquals(d.resolve("_background_noise_"), explicit.layoutNoiseDir());
        Path other = Files.createDirectories(dir.resolve("plain").resolve("a"));
        wav(other.resolve("x.wav"), 16000, 100, 3);
        assertEquals(null, org.myelin.run.DataSpec.folder(other.getParent()).layoutNoiseDir());
        assertEquals(null, org.myelin.run.DataSpec.builtInDefault().layoutNoiseDir());
    }

    @Test
    void listsNamingMissingFilesAreOneLine() throws IOException {
        Path d = tree();
        Files.writeString(d.resolve("validation_list.txt"), "# held out\n\nno/missing.wav\n");
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> DatasetLayouts.list(d, "gsc", 0.2));
        assertEquals(d.resolve("validation_list.txt") + " line 3: names 'no/missing.wav' but " + d.resolve("no/missing.wav") + " does not exist",
                v.getMessage());
        Files.writeString(d.resolve("validation_list.txt"), "");
        Files.writeString(d.resolve("testing_list.txt"), "yes/spk3_nohash_0.wav\nyes/gone.wav\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetLayouts.list(d, "gsc", 0.2));
        assertEquals(d.resolve("testing_list.txt") + " line 2: names 'yes/gone.wav' but " + d.resolve("yes/gone.wav") + " does not exist", e.getMessage());
        Files.writeString(d.resolve("testing_list.txt"), "");
        Files.delete(d.resolve("stop").resolve("spk0_nohash_0.wav"));
        Files.delete(d.resolve("stop").resolve("spk1_nohash_0.wav"));
        Files.delete(d.resolve("stop").resolve("spk2_nohash_0.wav"));
        Files.delete(d.resolve("stop").resolve("spk3_nohash_0.wav"));
        Files.delete(d.resolve("stop"));
        Files.writeString(d.resolve("validation_list.txt"), "");
        e = assertThrows(IllegalArgumentException.class, () -> DatasetLayouts.list(d, "gsc12", 0.2));
        assertEquals(d + ": the 12-class task needs a folder 'stop'", e.getMessage());
    }
}
