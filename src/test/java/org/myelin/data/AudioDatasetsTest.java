package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.data.audio.BadAudioException;
import org.myelin.io.Npy;

class AudioDatasetsTest {
    @TempDir
    Path tmp;

    static final String[] SPEAKERS = {"george", "jackson"};

    /**
     * A 40-file FSDD-shaped folder: digits 0–9, two speakers, take 0 (test) and take 5 (train),
     * with split files. The recordings are copied from ../shared/data/fsdd when it is there, and
     * generated ({@link GeneratedAudio}, 8 kHz) on a fresh clone without it, or when
     * {@code -Dmyelin.fixtures=generated} asks for them, so these tests run everywhere.
     */
    Path fsddSubset() throws IOException {
        Path src = TestData.shared("fsdd", "recordings");
        boolean generate = !Files.isDirectory(src) || "generated".equals(System.getProperty("myelin.fixtures"));
        java.util.Random rng = new java.util.Random(28);
        Path dir = tmp.resolve("fsdd");
        Files.createDirectories(dir.resolve("recordings"));
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            for (String s : SPEAKERS) {
                for (int take : new int[] {0, 5}) {
                    String n = d + "_" + s + "_" + take + ".wav";
                    if (generate) GeneratedAudio.wav(dir.resolve("recordings").resolve(n), 8000, GeneratedAudio.word(d, 8000, rng));
                    else Files.copy(src.resolve(n), dir.resolve("recordings").resolve(n));
                    (take < 5 ? test : train).append(n).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve("train_filenames.txt"), train);
        Files.writeString(dir.resolve("test_filenames.txt"), test);
        return dir;
    }

    static AudioDatasets.Options opts() {
        return new AudioDatasets.Options().threads(2).progress(false);
    }

    /** Options with the feature cache below this test's temporary folder (never the user's). */
    AudioDatasets.Options cached() {
        return opts().cacheRoot(tmp.resolve("cache"));
    }

    @Test
    void fsddSubsetLoadsWithLabelsSplitAndCache() throws IOException {
        Path dir = fsddSubset();
        Dataset.Split s = AudioDatasets.load(dir, cached());
        assertEquals(20, s.train.size);
        assertEquals(20, s.test.size);
        assertEquals(10, s.train.classes);
        assertEquals(80, s.train.steps);
        assertEquals(40, s.train.channels);
        for (int k = 0; k < s.train.size; k++) {
            String name = s.train.names.get(k);
            assertTrue(name.startsWith("recordings/") && name.contains("_5.wav"), name);
            assertEquals(name.charAt("recordings/".length()) - '0', s.train.y[k], name);
        }
        // the cached row is exactly the file's features
        float[] direct = AudioDatasets.featuresOf(dir.resolve(s.test.names.get(3)), "x");
        assertArrayEquals(direct, Arrays.copyOfRange(s.test.x, 3 * 3200, 4 * 3200));
        Path cache = AudioDatasets.cacheFolder(dir, tmp.resolve("cache"));
        assertTrue(cache.startsWith(tmp.resolve("cache")) && cache.getFileName().toString().matches("fsdd-[0-9a-f]{16}"), cache.toString());
        assertTrue(Files.isRegularFile(cache.resolve("meta.json")));
        try (java.util.stream.Stream<Path> inData = Files.list(dir)) {
            assertEquals(List.of("recordings", "test_filenames.txt", "train_filenames.txt"),
                    inData.map(p -> p.getFileName().toString()).sorted().toList(), "nothing is written into the dataset");
        }
        FileTime stamp = Files.getLastModifiedTime(cache.resolve("x.npy"));
        // reused while the key matches
        AudioDatasets.Summary again = AudioDatasets.build(dir, cache, opts());
        assertTrue(again.reused, "cache should be reused");
        assertEquals(stamp, Files.getLastModifiedTime(cache.resolve("x.npy")));
        // the cache folder itself loads as a features folder
        Dataset.Split c = AudioDatasets.load(cache, cached());
        assertArrayEquals(s.train.x, c.train.x);
        assertEquals(s.test.names, c.test.names);
    }

    @Test
    void cacheIsRebuiltWhenTheFileListOrAFileChanges() throws IOException {
        Path dir = fsddSubset();
        Path out = tmp.resolve("out");
        AudioDatasets.Summary first = AudioDatasets.build(dir, out, opts());
        assertFalse(first.reused);
        String key1 = metaKey(out);
        // a file's content changes (size and time)
        Path f = dir.resolve("recordings/3_george_5.wav");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 200 - (b.length % 2))); // data chunk size now wrong -> bad
        assertThrows(BadAudioException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertEquals(key1, metaKey(out), "a failed rebuild leaves the old cache in place");
        Files.write(f, b);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        AudioDatasets.Summary second = AudioDatasets.build(dir, out, opts());
        assertFalse(second.reused);
        String key2 = metaKey(out);
        assertNotEquals(key1, key2);
        // the file list changes: a recording leaves the train split
        List<String> train = new ArrayList<>(Files.readAllLines(dir.resolve("train_filenames.txt")));
        train.remove("7_jackson_5.wav");
        Files.write(dir.resolve("train_filenames.txt"), train);
        AudioDatasets.Summary third = AudioDatasets.build(dir, out, opts());
        assertFalse(third.reused);
        assertEquals(19, third.train);
        assertNotEquals(key2, metaKey(out));
        assertEquals(39, Files.readAllLines(out.resolve("files.txt")).size());
        assertTrue(AudioDatasets.build(dir, out, opts()).reused);
    }

    static String metaKey(Path out) throws IOException {
        String meta = Files.readString(out.resolve("meta.json"));
        return String.valueOf(((java.util.Map<?, ?>) org.myelin.io.Json.parse(meta)).get("key"));
    }

    @Test
    void outputDoesNotDependOnTheThreadCount() throws IOException {
        Path dir = fsddSubset();
        AudioDatasets.build(dir, tmp.resolve("one"), opts().threads(1));
        AudioDatasets.build(dir, tmp.resolve("four"), opts().threads(4));
        for (String f : new String[] {"x.npy", "y.npy", "split.npy", "files.txt"}) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(f)), Files.readAllBytes(tmp.resolve("four").resolve(f)), f);
        }
    }

    @Test
    void badFilesStopTheBuildOrAreSkipped() throws IOException {
        Path dir = fsddSubset();
        Path f = dir.resolve("recordings/4_jackson_0.wav");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, 30));
        Path out = tmp.resolve("out");
        BadAudioException e = assertThrows(BadAudioException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertTrue(e.getMessage().startsWith("recordings/4_jackson_0.wav: ") && e.getMessage().contains("--skip-bad"), e.getMessage());
        assertFalse(Files.exists(out.resolve("x.npy")) || Files.exists(out.resolve("meta.json")), "nothing is written");
        // an unsupported format under an audio name
        Files.write(dir.resolve("recordings/8_george_5.wav"), new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfb});
        e = assertThrows(BadAudioException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertTrue(e.getMessage().startsWith("recordings/8_george_5.wav: "), "the first bad file in row order (train rows first) is reported: " + e.getMessage());
        AudioDatasets.Summary s = AudioDatasets.build(dir, out, opts().skipBad(true));
        assertEquals(2, s.skipped);
        assertEquals(19, s.train);
        assertEquals(19, s.test);
        assertTrue(s.toString().contains("skipped 2 bad files"), s.toString());
        assertTrue(s.skippedFiles.contains("recordings/8_george_5.wav: unsupported audio format (neither FLAC nor RIFF/WAVE)"), s.skippedFiles.toString());
        assertTrue(Files.readString(out.resolve("meta.json")).contains("4_jackson_0.wav"));
        assertFalse(Files.readString(out.resolve("files.txt")).contains("4_jackson_0.wav"));
    }

    @Test
    void layoutProblemsHaveClearMessages() throws IOException {
        Path dir = fsddSubset();
        Path out = tmp.resolve("out");
        // a split file naming a missing recording
        Files.writeString(dir.resolve("test_filenames.txt"), "0_george_0.wav\n9_nobody_1.wav\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertTrue(e.getMessage().contains("test_filenames.txt line 2") && e.getMessage().contains("does not exist"), e.getMessage());
        // a mislabeled recording (split by speaker without split files)
        Files.delete(dir.resolve("test_filenames.txt"));
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertTrue(e.getMessage().contains("train_filenames.txt but no test_filenames.txt"), e.getMessage());
        Files.delete(dir.resolve("train_filenames.txt"));
        Files.copy(dir.resolve("recordings/0_george_0.wav"), dir.resolve("recordings/zero_george.wav"));
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.build(dir, out, opts()));
        assertTrue(e.getMessage().contains("zero_george.wav") && e.getMessage().contains("{digit}_{speaker}_{index}.wav"), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written");
        // no split files: FSDD's own rule, takes 0-4 of every speaker and digit are test
        Files.delete(dir.resolve("recordings/zero_george.wav"));
        AudioDatasets.Summary s = AudioDatasets.build(dir, out, opts());
        assertEquals(20, s.train);
        assertEquals(20, s.test);
        assertEquals(DatasetLayouts.FSDD_RULE, s.split);
        assertTrue(s.toString().contains("split: " + DatasetLayouts.FSDD_RULE), s.toString());
        for (String line : Files.readAllLines(out.resolve("files.txt")).subList(20, 40)) assertTrue(line.endsWith("_0.wav"), line);
        // --split speaker: jackson (the last of two speakers) is the test speaker
        s = AudioDatasets.build(dir, out, opts().split("speaker"));
        assertFalse(s.reused, "another split rule is another cache key");
        assertEquals(20, s.test);
        assertTrue(s.split.startsWith("by speaker"), s.split);
        for (String line : Files.readAllLines(out.resolve("files.txt")).subList(20, 40)) assertTrue(line.contains("_jackson_"), line);
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.build(dir, out, opts().split("speaker").format("folders")));
        assertTrue(e.getMessage().contains("--split speaker is for the fsdd layout"), e.getMessage());
        // empty and unrecognisable folders
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(empty, cached()));
        assertTrue(e.getMessage().contains("cannot tell the dataset layout"), e.getMessage());
        Files.createDirectories(empty.resolve("recordings"));
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(empty, cached()));
        assertTrue(e.getMessage().contains("recordings") && e.getMessage().contains("no audio files"), e.getMessage());
        try (java.util.stream.Stream<Path> inEmpty = Files.list(empty)) {
            assertEquals(List.of("recordings"), inEmpty.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** An HD-shaped folder made at test time from the committed synthetic FLAC fixtures. */
    @Test
    void heidelbergDigitsLayout() throws IOException {
        Path dir = tmp.resolve("hd");
        Files.createDirectories(dir.resolve("audio"));
        String[] sources = {"m16_16000.l5.flac", "m8_8000.l5.flac", "m24_48000.l5.flac", "m16w_48000.l8.flac",
                "s16_44100.l8.flac", "m16v_16000.vbs.flac"};
        String[] names = {"lang-english_speaker-01_trial-0_digit-3.flac", "lang-german_speaker-02_trial-1_digit-3.flac",
                "lang-german_speaker-02_trial-2_digit-9.flac", "lang-english_speaker-03_trial-0_digit-0.flac",
                "lang-english_speaker-04_trial-0_digit-7.flac", "lang-german_speaker-04_trial-0_digit-0.flac"};
        for (int k = 0; k < names.length; k++) Files.copy(TestData.resource("flac", sources[k]), dir.resolve("audio").resolve(names[k]));
        // names with and without the extension
        Files.writeString(dir.resolve("train_filenames.txt"), names[0] + "\n" + names[1].replace(".flac", "") + "\n" + names[2] + "\n" + names[5] + "\n");
        Files.writeString(dir.resolve("test_filenames.txt"), names[3] + "\n" + names[4] + "\n");
        Dataset.Split s = AudioDatasets.load(dir, cached());
        assertEquals(20, s.train.classes);
        assertEquals(4, s.train.size);
        assertEquals(2, s.test.size);
        assertEquals(List.of("audio/" + names[0], "audio/" + names[1], "audio/" + names[2], "audio/" + names[5]), s.train.names);
        assertArrayEquals(new int[] {3, 13, 19, 10}, s.train.y);
        assertArrayEquals(new int[] {0, 7}, s.test.y);
        // a mislabeled HD file
        Files.copy(dir.resolve("audio").resolve(names[0]), dir.resolve("audio/lang-french_speaker-01_trial-0_digit-3.flac"));
        Files.writeString(dir.resolve("test_filenames.txt"), names[3] + "\nlang-french_speaker-01_trial-0_digit-3.flac\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(dir, cached().format("hd")));
        assertTrue(e.getMessage().contains("lang-french") && e.getMessage().contains("lang-{english|german}"), e.getMessage());
    }

    @Test
    void foldersLayouts() throws IOException {
        Path golden = Path.of("golden", "audio");
        // train/ and test/ above the class folders
        Path dir = tmp.resolve("folders");
        String[][] files = {{"train/yes", "g1_8000_m16.wav"}, {"train/yes", "g2_16000_m16.flac"}, {"train/no", "g3_48000_m16.flac"},
                {"train/no", "g5_22050_f32.wav"}, {"test/no", "g4_44100_s24.flac"}, {"test/yes", "g6_11025_s8.wav"}};
        for (String[] f : files) {
            Files.createDirectories(dir.resolve(f[0]));
            Files.copy(golden.resolve(f[1]), dir.resolve(f[0]).resolve(f[1]));
        }
        Files.writeString(dir.resolve("train/no/readme.txt"), "not audio");
        Dataset.Split s = AudioDatasets.load(dir, cached());
        assertEquals(2, s.train.classes);
        assertEquals(List.of("train/no/g3_48000_m16.flac", "train/no/g5_22050_f32.wav", "train/yes/g1_8000_m16.wav", "train/yes/g2_16000_m16.flac"), s.train.names);
        assertArrayEquals(new int[] {0, 0, 1, 1}, s.train.y);
        assertArrayEquals(new int[] {0, 1}, s.test.y);
        // the features equal the golden NumPy features (to the LogMelTest tolerance)
        Npy.Array ref = Npy.read(Path.of("golden", "features", "g3_48000_m16.npy"));
        for (int i = 0; i < 3200; i++) assertEquals(ref.f[i], s.train.x[i], LogMelTest.TOLERANCE);
        // a test class unknown to train/
        Files.createDirectories(dir.resolve("test/maybe"));
        Files.copy(golden.resolve("g7_16000_short.wav"), dir.resolve("test/maybe/a.wav"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(dir, cached()));
        assertTrue(e.getMessage().contains("class 'maybe' has no folder in"), e.getMessage());

        // class folders only, split by fraction
        Path flat = tmp.resolve("flat");
        for (String c : new String[] {"cat", "dog"}) {
            Files.createDirectories(flat.resolve(c));
            for (String g : new String[] {"g1_8000_m16.wav", "g6_11025_s8.flac", "g7_16000_short.wav", "g2_16000_m16.wav", "g3_48000_m16.wav"}) {
                Files.copy(golden.resolve(g), flat.resolve(c).resolve(g));
            }
        }
        Dataset.Split f = AudioDatasets.load(flat, new AudioDatasets.Options().format("folders").testFraction(0.4).progress(false));
        assertEquals(6, f.train.size);
        assertEquals(4, f.test.size);
        assertEquals(List.of("cat/g6_11025_s8.flac", "cat/g7_16000_short.wav", "dog/g6_11025_s8.flac", "dog/g7_16000_short.wav"), f.test.names);
        // an empty class folder
        Files.createDirectories(flat.resolve("emu"));
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(flat, cached().format("folders")));
        assertTrue(e.getMessage().contains("emu") && e.getMessage().contains("no audio files"), e.getMessage());
    }

    /**
     * An HD-shaped folder made at test time from 8 kHz recordings: eight of them upsampled to 48
     * kHz and written as FLAC (FIXED subframes) by the test-only writer, with HD names and split
     * files. The recordings are generated ({@link GeneratedAudio#fsdd}) and, as an extra check,
     * FSDD's (skipped with a message when ../shared/data/fsdd is absent).
     */
    @ParameterizedTest
    @ValueSource(strings = {"generated", "shared"})
    void heidelbergDigitsFromFsddAudio(String source) throws Exception {
        Path src = tmp.resolve("gen");
        if (source.equals("generated")) {   // the eight recordings read below, as 8 kHz 16-bit WAV
            Files.createDirectories(src);
            java.util.Random rng = new java.util.Random(48);
            for (int k = 0; k < 8; k++) {
                int digit = (3 * k) % 10;
                GeneratedAudio.wav(src.resolve(digit + "_theo_" + (k + 10) + ".wav"), 8000, GeneratedAudio.spoken(digit, 4, 8000, rng));
            }
        } else {
            src = TestData.requireShared("fsdd", "recordings");
        }
        Path dir = tmp.resolve("hd48");
        Files.createDirectories(dir.resolve("audio"));
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        List<float[]> expected = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            int digit = (3 * k) % 10;
            org.myelin.data.audio.Audio a = org.myelin.data.audio.WavReader.read(src.resolve(digit + "_theo_" + (k + 10) + ".wav"));
            int[] up = FlacTestWriter.upsample16(a.pcm[0], 6);
            byte[] flac = FlacTestWriter.write(new int[][] {up}, 48000, 16, 4096);
            org.myelin.data.audio.Audio back = org.myelin.data.audio.FlacDecoder.decode(flac, "written");
            assertArrayEquals(up, back.pcm[0], "test writer and decoder round trip");
            String lang = k % 2 == 0 ? "english" : "german";
            String name = "lang-" + lang + "_speaker-0" + (k % 3) + "_trial-" + k + "_digit-" + digit + ".flac";
            Files.write(dir.resolve("audio").resolve(name), flac);
            (k < 6 ? train : test).append(name).append('\n');
            expected.add(LogMel.features(org.myelin.data.audio.Audio.ofPcm(48000, 16, new int[][] {up}).mono(), 48000));
        }
        Files.writeString(dir.resolve("train_filenames.txt"), train);
        Files.writeString(dir.resolve("test_filenames.txt"), test);
        Dataset.Split s = AudioDatasets.load(dir, cached().format("hd"));
        assertEquals(6, s.train.size);
        assertEquals(2, s.test.size);
        assertEquals(20, s.test.classes);
        for (int r = 0; r < s.train.size; r++) {
            String n = s.train.names.get(r);
            int k = Integer.parseInt(n.replaceAll(".*_trial-(\\d+)_.*", "$1"));
            int digit = (3 * k) % 10;
            assertEquals(k % 2 == 0 ? digit : 10 + digit, s.train.y[r], n);
            assertArrayEquals(expected.get(k), Arrays.copyOfRange(s.train.x, r * 3200, (r + 1) * 3200), n);
        }
    }

    /** The full FSDD name set (6 speakers × 10 digits × 50 takes) as empty files: listing only. */
    @Test
    void fsddWithoutSplitFilesUsesItsOwnRuleAndSpeakerOnRequest() throws IOException {
        Path dir = tmp.resolve("fsdd-names");
        Files.createDirectories(dir.resolve("recordings"));
        String[] speakers = {"george", "jackson", "lucas", "nicolas", "theo", "yweweler"};
        for (String sp : speakers) for (int d = 0; d < 10; d++) for (int t = 0; t < 50; t++) {
            Files.createFile(dir.resolve("recordings").resolve(d + "_" + sp + "_" + t + ".wav"));
        }
        DatasetLayouts.Listing own = DatasetLayouts.list(dir, "fsdd", 0.2, null);
        long test = own.entries.stream().filter(e -> e.split == 1).count();
        assertEquals(300, test);
        assertEquals(2700, own.entries.size() - test);
        for (DatasetLayouts.Entry e : own.entries) {
            int take = Integer.parseInt(e.file.replaceAll(".*_(\\d+)\\.wav", "$1"));
            assertEquals(take <= 4 ? 1 : 0, e.split, e.file);
        }
        // the same split as the shared copy's split files, when they are there
        Path shared = Path.of("..", "shared", "data", "fsdd", "test_filenames.txt");
        if (Files.isRegularFile(shared)) {
            java.util.Set<String> listed = new java.util.TreeSet<>();
            for (String l : Files.readAllLines(shared)) if (!l.isBlank()) listed.add(l.trim().endsWith(".wav") ? l.trim() : l.trim() + ".wav");
            java.util.Set<String> ours = new java.util.TreeSet<>();
            for (DatasetLayouts.Entry e : own.entries) if (e.split == 1) ours.add(e.file.substring("recordings/".length()));
            assertEquals(listed, ours);
        }
        DatasetLayouts.Listing bySpeaker = DatasetLayouts.list(dir, "fsdd", 0.2, "speaker");
        assertEquals("by speaker: test speakers [yweweler]", bySpeaker.splitRule);
        assertEquals(500, bySpeaker.entries.stream().filter(e -> e.split == 1).count());
        // named hold-outs: exactly that speaker's (or those speakers') recordings are the test set
        for (String held : new String[] {"george", "jackson", "yweweler", "george,theo"}) {
            DatasetLayouts.Listing l = DatasetLayouts.list(dir, "fsdd", 0.2, "speaker:" + held);
            java.util.List<String> names = java.util.Arrays.asList(held.split(","));
            assertEquals("by speaker: test speakers " + new java.util.TreeSet<>(names), l.splitRule);
            for (DatasetLayouts.Entry e : l.entries) {
                String speaker = e.file.replaceAll("recordings/\\d_([a-z]+)_\\d+\\.wav", "$1");
                assertEquals(names.contains(speaker) ? 1 : 0, e.split, held + ": " + e.file);
            }
            assertEquals(500L * names.size(), l.entries.stream().filter(e -> e.split == 1).count(), held);
            assertEquals(3000, l.entries.size());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetLayouts.list(dir, "fsdd", 0.2, "speaker:nobody"));
        assertTrue(e.getMessage().contains("'nobody'") && e.getMessage().contains("george"), e.getMessage());
        for (String bad : new String[] {"speaker:", "speaker:a,", "speakers", "george"}) {
            assertThrows(IllegalArgumentException.class, () -> org.myelin.run.DataSpec.checkSplit(bad), bad);
        }
        org.myelin.run.DataSpec.checkSplit("speaker:george,theo");
    }

    @Test
    void cacheRootFollowsXdgThenHomeAndNoCacheWritesNothing() throws IOException {
        assertEquals(Path.of("/x/cache", "myelin"), AudioDatasets.defaultCacheRoot("/x/cache", "/home/u"));
        assertEquals(Path.of("/home/u", ".cache", "myelin"), AudioDatasets.defaultCacheRoot(null, "/home/u"));
        assertEquals(Path.of("/home/u", ".cache", "myelin"), AudioDatasets.defaultCacheRoot("", "/home/u"));
        assertEquals(Path.of("/home/u", ".cache", "myelin"), AudioDatasets.defaultCacheRoot("relative/dir", "/home/u"));
        Path dir = fsddSubset();
        Dataset.Split mem = AudioDatasets.load(dir, opts().noCache(true));
        Dataset.Split disk = AudioDatasets.load(dir, cached());
        assertArrayEquals(disk.train.x, mem.train.x);
        assertArrayEquals(disk.test.y, mem.test.y);
        assertEquals(disk.test.names, mem.test.names);
        try (java.util.stream.Stream<Path> inData = Files.list(dir)) {
            assertEquals(3, inData.count(), "recordings/ and the two split files only");
        }
    }

    /**
     * A whole FSDD-layout folder with its split files through the command, into a temporary folder
     * (the data stays untouched): a generated one of all six speakers and 10 takes (600
     * recordings), and, as an extra check, the shared FSDD (3,000; skipped with a message when
     * absent).
     */
    @ParameterizedTest
    @ValueSource(strings = {"generated", "shared"})
    void wholeFsddOfficialSplit(String source) throws Exception {
        // The audio pipeline does not use the Vector API, so the pom's second (scalar) surefire run
        // would only repeat this slowest test: run it once.
        org.junit.jupiter.api.Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "whole-FSDD test runs only in the surefire execution with the Vector API module");
        boolean generated = source.equals("generated");
        Path dir = generated ? GeneratedAudio.fsdd(tmp.resolve("gen"), 6, 10, true, 600) : TestData.requireShared("fsdd");
        int train = generated ? 300 : 2700, test = 300;
        Path out = tmp.resolve("fsdd-all");
        AudioDatasets.Summary s = AudioDatasets.build(dir, out, opts());
        assertEquals(train, s.train);
        assertEquals(test, s.test);
        assertEquals(10, s.classes);
        assertFalse(Files.exists(dir.resolve(".myelin-cache")), "the data folder is not written");
        assertEquals("train_filenames.txt/test_filenames.txt", s.split);
        Dataset.Split d = AudioDatasets.load(out, cached());
        assertEquals(train, d.train.size);
        int[] perClass = new int[10];
        for (int v : d.test.y) perClass[v]++;
        for (int c = 0; c < 10; c++) assertEquals(test / 10, perClass[c]);
    }
}
