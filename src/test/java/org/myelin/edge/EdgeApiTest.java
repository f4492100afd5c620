package org.myelin.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.GeneratedAudio;
import org.myelin.engine.TestModels;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;
import org.myelin.network.Readout;

/**
 * The public API (org.myelin.edge): loading from a path, a stream and bytes; bad models as the
 * checked {@link InvalidModelException} naming the source and the fault; misuse as
 * IllegalArgumentException / IllegalStateException with the stream's state untouched; words that
 * carry the class names; and a surface that shows no internal type.
 */
class EdgeApiTest {
    static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    @TempDir
    static Path dir;
    static Path modelFile;
    static byte[] modelBytes;

    /** A random 40 → 48 → 10 network with the paper's front end at 8 kHz, global normalisation and class names. */
    static Model model(long seed) {
        Model m = TestModels.random(seed, 40, 48, 10, 80, 8, Readout.VSUM, true, 0.3f);
        float[] mean = new float[40], std = new float[40];
        Random q = new Random(seed);
        for (int c = 0; c < 40; c++) {
            mean[c] = -6f + q.nextFloat() * 4f;
            std[c] = 1.5f + q.nextFloat() * 2f;
        }
        Map<String, Object> meta = Json.object();
        meta.put(Model.CLASS_NAMES, NAMES);
        return new Model(m.config, m.layers, m.norms, meta, m.learntDelays, FeatureRecipe.paper(8000).withGlobalNormalization(mean, std));
    }

    /** Three words with pauses, at {@code rate}. */
    static float[] speech(int rate, long seed) {
        Random r = new Random(seed);
        List<float[]> parts = new ArrayList<>();
        for (int c : new int[] {0, 2, 1}) parts.add(GeneratedAudio.word(c, rate, r));
        float[] x = new float[rate / 2 + parts.size() * (parts.get(0).length + rate / 3)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.003 * r.nextGaussian());
        int at = rate / 4;
        for (float[] p : parts) {
            for (int i = 0; i < p.length; i++) x[at + i] += p[i];
            at += p.length + rate / 3;
        }
        return x;
    }

    @BeforeAll
    static void writeModel() throws IOException {
        modelFile = dir.resolve("m.myelin");
        model(5).save(modelFile);
        modelBytes = Files.readAllBytes(modelFile);
    }

    static List<Word> streamed(KeywordSpotter sp, Options o, float[] x, int chunk) {
        List<Word> words = new ArrayList<>();
        try (WordStream s = sp.openStream(o, words::add)) {
            for (int q = 0; q < x.length; q += chunk) s.push(x, q, Math.min(chunk, x.length - q));
        }
        return words;
    }

    @Test
    void aPathAStreamAndBytesLoadTheSameSpotterWithItsClassNames() throws IOException {
        KeywordSpotter a = KeywordSpotter.load(modelFile);
        KeywordSpotter b = KeywordSpotter.load(new ByteArrayInputStream(modelBytes), "resource:m.myelin");
        KeywordSpotter c = KeywordSpotter.load(modelBytes.clone(), "bytes");
        assertEquals(NAMES, a.classNames());
        assertEquals(10, a.classes());
        assertEquals(8000, a.sampleRate().getAsInt());
        assertEquals("resource:m.myelin", b.source());
        float[] x = speech(16000, 1);
        Options o = Options.builder().sampleRate(16000).build();
        List<Word> wa = streamed(a, o, x, 320);
        assertEquals(3, wa.size(), "three words in the recording: " + wa);
        assertEquals(wa, streamed(b, o, x, 320));
        assertEquals(wa, streamed(c, o, x, 97));
        for (Word w : wa) {
            assertEquals(NAMES.get(w.classIndex()), w.className(), "the word carries its class's name");
            assertTrue(w.p() > 0 && w.p() <= 1 && w.end() > w.start(), w.toString());
        }
    }

    @Test
    void aStreamOfWholeUtterancesGivesWhatClassifyGivesAndCloseReportsTheOpenWord() throws IOException {
        KeywordSpotter sp = KeywordSpotter.load(modelFile);
        float[] x = GeneratedAudio.word(3, 8000, new Random(9));
        Word offline = sp.classify(x, Options.defaults());
        assertEquals(NAMES.get(offline.classIndex()), offline.className());
        List<Word> words = new ArrayList<>();
        WordStream s = sp.openStream(Options.builder().wholeUtterances().build(), words::add);
        s.push(x);
        assertTrue(words.isEmpty(), "0.5 s is less than the model's 80 frames: the word is still open");
        s.close();
        assertTrue(s.isClosed());
        assertEquals(1, words.size());
        Word w = words.get(0);
        assertEquals(offline.classIndex(), w.classIndex());
        assertEquals(offline.p(), w.p(), 0f, "a global model's stream is bit-identical to the offline path");
        s.close(); // again: nothing
        assertEquals(1, words.size());
    }

    @Test
    void classifyAllGivesTheSameWordsOnAnyThreadCount() throws IOException {
        KeywordSpotter sp = KeywordSpotter.load(modelFile);
        List<float[]> recs = new ArrayList<>();
        Random r = new Random(2);
        for (int k = 0; k < 7; k++) recs.add(GeneratedAudio.word(k, 8000, r));
        List<Word> one = sp.classifyAll(recs, Options.defaults());
        assertEquals(one, sp.classifyAll(recs, Options.builder().threads(3).build()));
        for (int k = 0; k < 7; k++) assertEquals(sp.classify(recs.get(k), Options.defaults()), one.get(k));
        recs.set(4, new float[] {0f, Float.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sp.classifyAll(recs, Options.builder().threads(2).build()));
        assertTrue(e.getMessage().startsWith("recording 4: sample NaN at index 1"), e.getMessage());
    }

    private static String refused(byte[] bytes, String name) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> KeywordSpotter.load(new ByteArrayInputStream(bytes), name));
        assertEquals(name, e.source());
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTruncatedForeignOrNewerModelIsACheckedExceptionNamingTheSourceAndTheFault() throws IOException {
        String m = refused(Arrays.copyOf(modelBytes, modelBytes.length - 100), "cut.myelin");
        assertTrue(m.contains("truncated"), m);
        m = refused(Arrays.copyOf(modelBytes, 30), "short.myelin");
        assertTrue(m.contains("not a Myelin model file"), m);
        m = refused("RIFF....WAVEfmt and then some more bytes to pass the length check...".getBytes(), "song.wav");
        assertTrue(m.contains("not a Myelin model file (bad magic)"), m);
        m = refused(new byte[0], "empty");
        assertTrue(m.contains("not a Myelin model file (only 0 bytes)"), m);

        // a newer container format (the version field after the magic)
        byte[] newer = modelBytes.clone();
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Container.VERSION + 1);
        m = refused(newer, "future.myelin");
        assertTrue(m.contains("format version " + (Container.VERSION + 1) + " is not supported, it was written by a newer Myelin"), m);

        // a newer model version inside a valid container
        Container c = Container.parse(modelBytes, "m", 'M');
        c.header.put("model_version", Model.VERSION + 1);
        Path v = dir.resolve("v-next.myelin");
        c.write(v, 'M');
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> KeywordSpotter.load(v));
        assertTrue(e.getMessage().startsWith(v + ": model format version " + (Model.VERSION + 1) + " is not supported, it was written by a newer Myelin"),
                e.getMessage());

        // a corrupt byte in the body: the checksum
        byte[] flipped = modelBytes.clone();
        flipped[flipped.length / 2] ^= 0x40;
        assertTrue(refused(flipped, "flipped.myelin").contains("checksum mismatch"));

        // a model without a front end (trained on features or the built-in task) cannot hear
        Model bare = TestModels.random(1, 40, 8, 3, 80, 4, Readout.VSUM, false, 0f);
        Path b = dir.resolve("bare.myelin");
        bare.save(b);
        e = assertThrows(InvalidModelException.class, () -> KeywordSpotter.load(b));
        assertTrue(e.getMessage().contains("no feature recipe"), e.getMessage());

        assertThrows(NoSuchFileException.class, () -> KeywordSpotter.load(dir.resolve("absent.myelin")));
        e = assertThrows(InvalidModelException.class, () -> KeywordSpotter.load(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void unusableOptionsAreRefusedWhereTheyAreSet() throws IOException {
        for (int hz : new int[] {0, -8000, 10_000_000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.builder().sampleRate(hz));
            assertTrue(e.getMessage().startsWith("sample rate " + hz + " Hz is not usable"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Options.builder().threads(0));
        assertThrows(IllegalArgumentException.class, () -> new VoiceActivity(-1, -55, 50, 120, 100));
        assertThrows(IllegalArgumentException.class, () -> new VoiceActivity(4, -55, 0, 120, 100));
        KeywordSpotter sp = KeywordSpotter.load(modelFile);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sp.openStream(Options.builder().sampleRate(16000).resampling(false).build(), w -> {}));
        assertTrue(e.getMessage().contains("16000 Hz") && e.getMessage().contains("8000 Hz"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sp.classify(new float[0], Options.defaults()));
    }

    @Test
    void aRefusedChunkLeavesTheStreamAsIfItHadNeverBeenPushed() throws IOException {
        KeywordSpotter sp = KeywordSpotter.load(modelFile);
        float[] x = speech(16000, 3);
        Options o = Options.builder().sampleRate(16000).build();
        List<Word> clean = streamed(sp, o, x, 160);
        assertEquals(3, clean.size(), clean.toString());

        List<Word> words = new ArrayList<>();
        WordStream s = sp.openStream(o, words::add);
        float[] nan = {0.1f, Float.NaN, 0.2f};
        float[] loud = {0.1f, 1000f};
        float[] inf = {Float.NEGATIVE_INFINITY};
        short[] pcm16 = new short[10];
        int half = x.length / 2;
        for (int q = 0; q < x.length; q += 160) {
            if (q == half - half % 160) {
                // in the middle of the audio (inside a word or a pause), every kind of bad chunk
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.push(nan));
                assertTrue(e.getMessage().contains("NaN at index 1 is not finite"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> s.push(loud));
                assertTrue(e.getMessage().contains("1000.0 at index 1 is far outside [-1, 1]"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> s.push(inf));
                final int at = q;
                e = assertThrows(IllegalArgumentException.class, () -> s.push(x, at, 0));
                assertTrue(e.getMessage().contains("empty chunk"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> s.push(new float[0]));
                assertThrows(IllegalArgumentException.class, () -> s.push(pcm16, 0, 0));
                assertThrows(IllegalArgumentException.class, () -> s.push(x, x.length - 10, 20));
                assertThrows(IllegalArgumentException.class, () -> s.push(pcm16, -1, 5));
            }
            s.push(x, q, Math.min(160, x.length - q));
        }
        s.close();
        assertEquals(clean, words, "the same words, at the same times, with the same probabilities");
        assertEquals(x.length, s.samples());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.push(x, 0, 10));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.push(pcm16, 0, 10));
        assertThrows(IllegalStateException.class, () -> s.push(new float[0]), "closed comes before empty");
    }

    @Test
    void sixteenBitPcmGivesTheWordsOfItsFloatValues() throws IOException {
        KeywordSpotter sp = KeywordSpotter.load(modelFile);
        float[] x = speech(8000, 4);
        short[] s16 = new short[x.length];
        float[] back = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            s16[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
            back[i] = (float) (s16[i] * (1.0 / 32768));
        }
        List<Word> words = new ArrayList<>();
        try (WordStream s = sp.openStream(words::add)) {
            for (int q = 0; q < s16.length; q += 111) s.push(s16, q, Math.min(111, s16.length - q));
        }
        assertEquals(streamed(sp, Options.defaults(), back, 111), words);
        assertEquals(3, words.size());
    }

    /** A model from before front ends were stored takes audio at its own rate: the options must give it. */
    @Test
    void aModelWithoutAStoredFrontEndNeedsTheRateInTheOptions() throws IOException {
        Model m = TestModels.random(3, 40, 16, 10, 80, 5, Readout.VSUM, false, 0f);
        Map<String, Object> meta = Json.object();
        meta.put("data", "fsdd");
        Path f = dir.resolve("legacy.myelin");
        new Model(m.config, m.layers, m.norms, meta, m.learntDelays, null).save(f);
        KeywordSpotter sp = KeywordSpotter.load(f);
        assertTrue(sp.sampleRate().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sp.openStream(w -> {}));
        assertTrue(e.getMessage().contains("give it with Options.builder().sampleRate(hz)"), e.getMessage());
        float[] x = speech(16000, 5);
        List<Word> words = streamed(sp, Options.builder().sampleRate(16000).build(), x, 400);
        assertEquals(3, words.size(), words.toString());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), sp.classNames(), "no names stored: the numbers");
    }

    /** Every public and protected signature of the package: no type from another Myelin package. */
    @Test
    void thePublicSurfaceShowsNoInternalType() {
        Class<?>[] api = {KeywordSpotter.class, WordStream.class, Word.class, WordListener.class, Options.class, Options.Builder.class,
                VoiceActivity.class, InvalidModelException.class, Recording.class};
        List<String> leaks = new ArrayList<>();
        for (Class<?> k : api) {
            List<Type> types = new ArrayList<>();
            for (Method m : k.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) && !Modifier.isProtected(m.getModifiers())) continue;
                types.add(m.getGenericReturnType());
                types.addAll(Arrays.asList(m.getGenericParameterTypes()));
                types.addAll(Arrays.asList(m.getGenericExceptionTypes()));
            }
            for (var c : k.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) types.addAll(Arrays.asList(c.getGenericParameterTypes()));
            }
            for (var f : k.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) types.add(f.getGenericType());
            }
            for (Type t : types) {
                var m = java.util.regex.Pattern.compile("org\\.myelin\\.(\\w+)\\.").matcher(t.getTypeName());
                while (m.find()) if (!m.group(1).equals("edge")) leaks.add(k.getSimpleName() + ": " + t.getTypeName());
            }
        }
        assertEquals(List.of(), leaks);
    }
}
