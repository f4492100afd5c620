package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.BadAudioException;
import org.myelin.data.audio.FlacDecoder;
import org.myelin.data.audio.WavReader;

class FlacDecoderTest {

    static void assertSameAudio(Audio expected, Audio actual, String what) {
        assertEquals(expected.sampleRate, actual.sampleRate, what + ": sample rate");
        assertEquals(expected.channels, actual.channels, what + ": channels");
        assertEquals(expected.bitsPerSample, actual.bitsPerSample, what + ": bits per sample");
        assertEquals(expected.frames, actual.frames, what + ": sample count");
        for (int ch = 0; ch < expected.channels; ch++) {
            assertArrayEquals(expected.pcm[ch], actual.pcm[ch], what + ": channel " + ch);
        }
    }

    /**
     * Voice-like recordings made by golden/make_voice_fixtures.py (committed, so this runs on a
     * fresh clone), encoded as the shared real-encoder files are (48 kHz at block size 1152; 44.1
     * kHz at 4096, LPC subframes): the decode is exactly the samples of {@code flac -d}'s.
     */
    @ParameterizedTest
    @ValueSource(strings = {"voice_48k", "voice_44k"})
    void matchesReferenceDecodesOfVoiceLikeRecordings(String base) throws IOException {
        Audio ref = WavReader.read(TestData.resource("voice", base + ".reference.wav"));
        assertTrue(ref.frames > 10_000, base + ": the reference decode is there");
        assertSameAudio(ref, FlacDecoder.decode(TestData.resource("voice", base + ".flac")), base);
    }

    /** The same on real recordings from other encoders, where ../shared/data/flac is (an extra check). */
    @ParameterizedTest
    @ValueSource(strings = {"hd_spoken_digit_48k", "lena_44k"})
    void matchesReferenceDecodesOfRealEncoders(String base) throws IOException {
        Path flac = TestData.requireShared("flac", base + ".flac");
        Audio ref = WavReader.read(TestData.shared("flac", base + ".reference.wav"));
        Audio got = FlacDecoder.decode(flac);
        assertSameAudio(ref, got, base);
    }

    /** Every committed fixture X.flac decodes to exactly the samples of its expected WAV. */
    @Test
    void matchesCommittedFixtures() throws IOException {
        Path dir = TestData.resource("flac");
        List<Path> flacs = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".flac")).sorted().forEach(flacs::add);
        }
        assertTrue(flacs.size() >= 20, "expected the committed FLAC fixtures in " + dir + ", found " + flacs.size());
        int highBitDepths = 0;
        for (Path f : flacs) {
            String n = f.getFileName().toString();
            String signal = n.substring(0, n.indexOf('.'));
            Audio got = FlacDecoder.decode(f);
            if (Files.exists(dir.resolve(signal + ".wav"))) {
                assertSameAudio(WavReader.read(dir.resolve(signal + ".wav")), got, n);
            } else { // 12/20-bit: expected samples as int32 frames x channels
                org.myelin.io.Npy.Array e = org.myelin.io.Npy.read(dir.resolve(signal + ".npy"));
                int bits = Integer.parseInt(signal.replaceAll("^[ms](\\d+)_.*", "$1"));
                assertEquals(bits, got.bitsPerSample, n);
                assertEquals(e.shape[0], got.frames, n);
                assertEquals(e.shape[1], got.channels, n);
                for (int i = 0; i < got.frames; i++) {
                    for (int ch = 0; ch < got.channels; ch++) assertEquals(e.i[i * got.channels + ch], got.pcm[ch][i], n + " sample " + i);
                }
                highBitDepths++;
            }
        }
        assertEquals(3, highBitDepths, "the 12- and 20-bit fixtures");
    }

    static BadAudioException assertBad(byte[] bytes, String part) {
        BadAudioException e = assertThrows(BadAudioException.class, () -> FlacDecoder.decode(bytes, "t.flac"));
        assertTrue(e.getMessage().startsWith("t.flac: ") && e.getMessage().contains(part) && !e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void damagedFilesNameTheReason() throws IOException {
        byte[] good = Files.readAllBytes(TestData.resource("flac", "s16_44100.l5.flac"));
        FlacDecoder.decode(good, "t.flac");
        assertBad(Arrays.copyOf(good, good.length - 100), "truncated");
        assertBad(Arrays.copyOf(good, 30), "truncated metadata block");
        assertBad(new byte[] {'f', 'L', 'a'}, "too short");
        assertBad("RIFF....WAVE".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not a FLAC file");
        byte[] flipped = good.clone();
        flipped[flipped.length - 500] ^= 0x10; // inside the last frame's body
        assertBad(flipped, "CRC-16 mismatch");
        byte[] tail = Arrays.copyOf(good, good.length + 7); // trailing zeros after the last frame
        FlacDecoder.decode(tail, "t.flac");
    }

    @Test
    void md5MismatchIsReported() throws Exception {
        int[][] s = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
        byte[] f = FlacTestWriter.write(s, 8000, 16, 16);
        f[8 + 18] ^= 1; // first byte of the MD5 in STREAMINFO
        assertBad(f, "MD5 signature mismatch");
    }

    @Test
    void testWriterRoundTrips() throws Exception {
        java.util.Random r = new java.util.Random(3);
        for (int bits : new int[] {8, 16, 24}) {
            for (int channels = 1; channels <= 3; channels++) {
                for (int n : new int[] {1, 2, 17, 4097, 5000}) {
                    int[][] s = new int[channels][n];
                    for (int[] c : s) for (int i = 0; i < n; i++) c[i] = (int) (Math.sin(i * 0.01) * (1 << (bits - 2))) + r.nextInt(1 << (bits - 4)) - (1 << (bits - 5));
                    Audio a = FlacDecoder.decode(FlacTestWriter.write(s, 22050, bits, 4096), "w.flac");
                    assertEquals(22050, a.sampleRate);
                    for (int ch = 0; ch < channels; ch++) assertArrayEquals(s[ch], a.pcm[ch], bits + " bits, " + channels + " channels, " + n + " samples");
                }
            }
        }
    }

    /** An APPLICATION block spliced in after STREAMINFO and an ID3v2 tag in front are skipped. */
    @Test
    void foreignBlocksAndId3TagAreSkipped() throws IOException {
        Path f = TestData.resource("flac", "m8_8000.l5.flac");
        byte[] good = Files.readAllBytes(f);
        assertEquals(0, good[4] & 0x80, "STREAMINFO is not the last block");
        byte[] app = {2, 0, 0, 9, 'm', 'y', 'e', 'l', 1, 2, 3, 4, 5};
        byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0};
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(id3);
        o.write(good, 0, 42);
        o.writeBytes(app);
        o.write(good, 42, good.length - 42);
        Audio expected = FlacDecoder.decode(good, "good");
        assertSameAudio(expected, FlacDecoder.decode(o.toByteArray(), "spliced"), "spliced");
        assertSameAudio(expected, org.myelin.data.audio.AudioFiles.read(o.toByteArray(), "spliced"), "by content");
    }
}
