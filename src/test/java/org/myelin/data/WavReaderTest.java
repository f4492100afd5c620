package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.BadAudioException;
import org.myelin.data.audio.FlacDecoder;
import org.myelin.data.audio.WavReader;

class WavReaderTest {

    static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] fmt(int tag, int channels, int rate, int bits, boolean extensible) {
        ByteBuffer b = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(3).putShort((short) tag);
            b.put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xaa, 0, 0x38, (byte) 0x9b, 0x71});
        }
        return b.array();
    }

    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteBuffer b = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }

    /** Interleaved little-endian integer samples of the given width (8-bit is offset binary). */
    static byte[] pcm(int[][] s, int bits) {
        int w = bits / 8;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < s[0].length; i++) {
            for (int[] c : s) {
                int v = bits == 8 ? c[i] + 128 : c[i];
                for (int k = 0; k < w; k++) o.write(v >> (8 * k));
            }
        }
        return o.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24, 32})
    void integerPcmAtEveryWidthAndOddChunkLayouts(int bits) {
        int[][] s = new int[3][5];
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        long[] vals = {0, 1, -1, max, min};
        for (int ch = 0; ch < 3; ch++) for (int i = 0; i < 5; i++) s[ch][i] = (int) (vals[(i + ch) % 5]);
        byte[] data = pcm(s, bits);
        for (boolean ext : new boolean[] {false, true}) {
            byte[] wav = riff(chunk("LIST", "INFOodd".getBytes(StandardCharsets.ISO_8859_1)), // odd size: pad byte
                    chunk("fmt ", fmt(1, 3, 16000, bits, ext)), chunk("fact", new byte[4]), chunk("data", data));
            Audio a = WavReader.read(wav, "t.wav");
            assertEquals(3, a.channels);
            assertEquals(16000, a.sampleRate);
            assertEquals(bits, a.bitsPerSample);
            for (int ch = 0; ch < 3; ch++) assertArrayEquals(s[ch], a.pcm[ch], "bits " + bits + " channel " + ch);
        }
    }

    @Test
    void floatSamples() {
        float[] v = {0f, 0.5f, -0.25f, 1f};
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        Audio a = WavReader.read(riff(chunk("fmt ", fmt(3, 1, 22050, 32, false)), chunk("data", b.array())), "f.wav");
        assertArrayEquals(v, a.floats[0]);
        assertArrayEquals(v, a.mono());
        Audio e = WavReader.read(riff(chunk("fmt ", fmt(3, 2, 22050, 32, true)), chunk("data", b.array())), "f.wav");
        assertArrayEquals(new float[] {0.25f, 0.375f}, e.mono());
    }

    @Test
    void goldenWavsWithOddLayoutsMatchTheirFlacTwins() throws IOException {
        for (String n : new String[] {"g2_16000_m16", "g4_44100_s24", "g6_11025_s8"}) {
            Audio w = WavReader.read(Path.of("golden", "audio", n + ".wav"));
            Audio f = FlacDecoder.decode(Path.of("golden", "audio", n + ".flac"));
            FlacDecoderTest.assertSameAudio(f, w, n);
        }
    }

    @Test
    void badFilesGiveOneLineReasons() {
        byte[] good = riff(chunk("fmt ", fmt(1, 1, 8000, 16, false)), chunk("data", new byte[20]));
        assertMessage(new byte[0], "too short");
        assertMessage("RIFF0000WAVX".getBytes(StandardCharsets.ISO_8859_1), "not a WAV file");
        assertMessage(java.util.Arrays.copyOf(good, good.length - 4), "truncated data chunk");
        assertMessage(riff(chunk("fmt ", fmt(2, 1, 8000, 16, false)), chunk("data", new byte[20])), "unsupported WAV format tag 0x2");
        assertMessage(riff(chunk("fmt ", fmt(1, 1, 8000, 12, false)), chunk("data", new byte[20])), "unsupported PCM sample size 12");
        assertMessage(riff(chunk("data", new byte[20])), "data chunk before fmt");
        assertMessage(riff(chunk("fmt ", fmt(1, 1, 8000, 16, false))), "no data chunk");
        assertMessage(riff(chunk("fmt ", fmt(1, 1, 8000, 16, false)), chunk("data", new byte[0])), "no samples");
    }

    static void assertMessage(byte[] bytes, String part) {
        BadAudioException e = assertThrows(BadAudioException.class, () -> WavReader.read(bytes, "x.wav"));
        assertTrue(e.getMessage().startsWith("x.wav: ") && e.getMessage().contains(part), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
