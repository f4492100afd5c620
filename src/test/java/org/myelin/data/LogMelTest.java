package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.io.Npy;

class LogMelTest {
    /** Largest allowed |Java − NumPy| of a standardised feature (values are O(1)). */
    static final double TOLERANCE = 1e-4;

    static List<Path> goldenWavs() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("golden", "audio"))) {
            s.filter(p -> p.toString().endsWith(".wav")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void matchesNumpyReference() throws IOException {
        List<Path> wavs = goldenWavs();
        assertTrue(wavs.size() >= 7, "golden/audio holds the golden inputs");
        for (Path wav : wavs) {
            String base = wav.getFileName().toString().replace(".wav", "");
            Npy.Array ref = Npy.read(Path.of("golden", "features", base + ".npy"));
            assertArrayEquals(new int[] {LogMel.FRAMES, LogMel.MELS}, ref.shape, base);
            Audio a = AudioFiles.read(wav);
            float[] got = LogMel.features(a.mono(), a.sampleRate);
            double worst = 0;
            for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref.f[i]));
            System.out.println(base + ": max |Java - NumPy| = " + worst);
            assertTrue(worst <= TOLERANCE, base + ": max |Java - NumPy| = " + worst);
        }
    }

    @Test
    void flacAndWavGiveIdenticalFeatures() throws IOException {
        int pairs = 0;
        for (Path wav : goldenWavs()) {
            Path flac = Path.of(wav.toString().replace(".wav", ".flac"));
            if (!Files.exists(flac)) continue;
            Audio w = AudioFiles.read(wav);
            Audio f = AudioFiles.read(flac);
            assertArrayEquals(LogMel.features(w.mono(), w.sampleRate), LogMel.features(f.mono(), f.sampleRate), flac.toString());
            pairs++;
        }
        assertTrue(pairs >= 5);
    }

    /**
     * The committed voice-like recordings (golden/make_voice_fixtures.py): the FLAC and its
     * reference decode give identical features, and those match the NumPy reference's
     * (features_ref.py on the reference decode) within {@link #TOLERANCE}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"voice_48k", "voice_44k"})
    void voiceLikeFlacReferenceWavAndNumpyGiveTheSameFeatures(String base) throws IOException {
        Audio f = AudioFiles.read(TestData.resource("voice", base + ".flac"));
        Audio w = AudioFiles.read(TestData.resource("voice", base + ".reference.wav"));
        assertEquals(base.equals("voice_48k") ? 48000 : 44100, f.sampleRate, base);
        float[] got = LogMel.features(f.mono(), f.sampleRate);
        assertArrayEquals(LogMel.features(w.mono(), w.sampleRate), got, base);
        Npy.Array ref = Npy.read(TestData.resource("voice", base + ".features.npy"));
        assertArrayEquals(new int[] {LogMel.FRAMES, LogMel.MELS}, ref.shape, base);
        double worst = 0;
        for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref.f[i]));
        assertTrue(worst <= TOLERANCE, base + ": max |Java - NumPy| = " + worst);
    }

    /** The same on a real recording, where ../shared/data/flac is (an extra check). */
    @Test
    void realRecordingFlacAndReferenceWavGiveIdenticalFeatures() throws IOException {
        Path flac = TestData.requireShared("flac", "hd_spoken_digit_48k.flac");
        Audio f = AudioFiles.read(flac);
        Audio w = AudioFiles.read(TestData.shared("flac", "hd_spoken_digit_48k.reference.wav"));
        assertEquals(48000, f.sampleRate);
        assertArrayEquals(LogMel.features(w.mono(), w.sampleRate), LogMel.features(f.mono(), f.sampleRate));
    }

    @Test
    void offlineFramesAreTheStreamingFrames() {
        int sr = 16000;
        float[] x = new float[sr];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.01 * r.nextGaussian());
        LogMel lm = LogMel.forRate(sr);
        float[] offline = lm.frames(x);
        // a streaming caller sees only a window of L + 1 samples (the predecessor plus the frame)
        float[] one = new float[LogMel.MELS];
        for (int t = 0; t < LogMel.FRAMES; t++) {
            int start = t * lm.hop;
            float[] window;
            int s;
            if (start == 0) {
                window = java.util.Arrays.copyOfRange(x, 0, lm.frameLength);
                s = 0;
            } else {
                window = java.util.Arrays.copyOfRange(x, start - 1, start + lm.frameLength);
                s = 1;
            }
            lm.frame(window, s, one, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(offline, t * LogMel.MELS, (t + 1) * LogMel.MELS), one, "frame " + t);
        }
    }

    @Test
    void pinnedFrameGeometry() {
        LogMel hd = LogMel.forRate(48000);
        assertEquals(1200, hd.frameLength);
        assertEquals(480, hd.hop);
        assertEquals(2048, hd.nFft);
        LogMel fsdd = LogMel.forRate(8000);
        assertEquals(200, fsdd.frameLength);
        assertEquals(80, fsdd.hop);
        assertEquals(256, fsdd.nFft);
        assertEquals(1103, LogMel.forRate(44100).frameLength);
        assertEquals(1, hd.frameCount(100));
        assertEquals(1, hd.frameCount(1200));
        assertEquals(1, hd.frameCount(1679));
        assertEquals(2, hd.frameCount(1680));
    }

    @Test
    void silenceStandardisesToZeros() {
        float[] f = LogMel.features(new float[4000], 8000);
        for (float v : f) assertEquals(0f, v);
    }
}
