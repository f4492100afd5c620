package org.myelin.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Recordings made at test time, so that tests of the audio paths run on a fresh clone without
 * ../shared/data: a spoken-digit stand-in per class and a 16-bit mono WAV writer.
 */
public final class GeneratedAudio {
    private GeneratedAudio() {}

    /** Writes {@code x} (in [-1, 1]) as a 16-bit mono PCM WAV file at {@code rate}. */
    public static void wav(Path f, int rate, float[] x) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * x.length);
        for (float v : x) b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        Files.write(f, b.array());
    }

    /**
     * Half a second standing in for the word of class {@code cls} (0..9 at 8 kHz): a tone pair at
     * 300 + 350·cls Hz with a rising or falling glide, silence around it, faint noise.
     */
    public static float[] word(int cls, int rate, Random r) {
        int n = (int) (0.5 * rate);
        float[] x = new float[n];
        double f = 300 + 350 * cls, glide = cls % 2 == 0 ? 400 : -150;
        int on = (int) (0.08 * rate), off = (int) (0.42 * rate);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (i - on) / (double) rate;
            phase += 2 * Math.PI * (f + glide * Math.max(0, t)) / rate;
            double v = 0.003 * r.nextGaussian();
            if (i >= on && i < off) v += 0.4 * Math.sin(Math.PI * (i - on) / (off - on)) * (Math.sin(phase) + 0.3 * Math.sin(2.7 * phase));
            x[i] = (float) v;
        }
        return x;
    }
}
