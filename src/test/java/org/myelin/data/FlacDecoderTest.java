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
        for (Path f : flacs) {
            String n = f.getFileName().toString();
            String source = n.substring(0, n.indexOf('.')) + ".wav";
            Audio ref = WavReader.read(dir.resolve(source));
            assertSameAudio(ref, FlacDecoder.decode(f), n);
        }
    }
}
