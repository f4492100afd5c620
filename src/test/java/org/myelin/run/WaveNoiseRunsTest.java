package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.train.SnrRange;
import org.myelin.train.TrainConfig;

/**
 * A run with --aug-snr through the run layer, on a small audio dataset written here (two classes
 * of tones, the folders layout): killed after epoch 1 and resumed on another thread count it ends
 * with the uninterrupted run's arrays; the checkpoint fingerprints the noise recordings, so a resume
 * after they changed is refused naming the checkpoint.
 */
class WaveNoiseRunsTest {
    @TempDir
    Path dir;

    static byte[] wav(int rate, short[] s) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(36 + 2 * s.length).put("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        h.put("fmt ".getBytes(StandardCharsets.ISO_8859_1)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes(StandardCharsets.ISO_8859_1)).putInt(2 * s.length);
        o.writeBytes(h.array());
        ByteBuffer d = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) d.putShort(v);
        o.writeBytes(d.array());
        return o.toByteArray();
    }

    static short[] tone(SplittableRandom r, double hz, int n) {
        short[] s = new short[n];
        for (int j = 0; j < n; j++) s[j] = (short) Math.round(6000 * Math.sin(2 * Math.PI * hz * j / 8000) + 200 * r.nextGaussian());
        return s;
    }

    private RunSpec spec(Path data, Path noise, String name, int epochs) {
        TrainConfig tc = new TrainConfig();
        tc.epochs = epochs;
        tc.batch = 6;
        tc.seed = 5;
        tc.augSnr = new SnrRange(0, 15);
        tc.augNoiseDir = noise;
        tc.augShift = 3;
        NetworkSpec n = new NetworkSpec(6, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        return new RunSpec(new DataSpec(data, null, false, 1, 2000, 1000, null, dir.resolve("cache"), false), n, tc,
                new Outputs(dir.resolve(name + ".myelin"), null, null, null));
    }

    @Test
    void killedResumedAndChangedNoiseRefused() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Path data = dir.resolve("tones");
        for (String cls : new String[] {"low", "high"}) {
            Files.createDirectories(data.resolve(cls));
            for (int k = 0; k < 8; k++) {
                Files.write(data.resolve(cls).resolve("t" + k + ".wav"), wav(8000, tone(r, cls.equals("low") ? 300 : 1500, 2000 + 500 * k)));
            }
        }
        Path noise = Files.createDirectories(dir.resolve("noise"));
        Files.write(noise.resolve("hum.wav"), wav(16000, tone(r, 120, 16000)));

        RunResult full = Runs.train(spec(data, noise, "full", 2), 1, null);
        assertTrue(full.dataFingerprint().contains("+noise:"), full.dataFingerprint());
        class Killed extends RuntimeException {}
        RunSpec part = spec(data, noise, "part", 2);
        assertThrows(Killed.class, () -> Runs.train(part, 1, new Runs.Listener() {
            @Override
            public void epochDone(org.myelin.train.EpochRecord e, int epochs) {
                if (e.epoch() == 1) throw new Killed();
            }
        }));
        Path ck = part.outputs().checkpoint();
        Codec.Checkpoint c = Codec.readCheckpoint(ck);
        assertEquals(1, c.epochsDone());
        assertEquals(new SnrRange(0, 15), c.spec().training().augSnr);
        assertEquals(noise.toAbsolutePath().normalize(), c.spec().training().augNoiseDir);
        Runs.resume(c, 2, null);
        Container a = Container.read(full.spec().outputs().model(), 'M'), b = Container.read(part.outputs().model(), 'M');
        assertEquals(a.arrays.keySet(), b.arrays.keySet());
        for (String k : a.arrays.keySet()) {
            Object x = a.arrays.get(k), y = b.arrays.get(k);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, k);
            else assertArrayEquals((int[]) x, (int[]) y, k);
        }

        // the noise changes: resuming the epoch-1 checkpoint again is refused
        RunSpec again = spec(data, noise, "again", 2);
        assertThrows(Killed.class, () -> Runs.train(again, 1, new Runs.Listener() {
            @Override
            public void epochDone(org.myelin.train.EpochRecord e, int epochs) {
                if (e.epoch() == 1) throw new Killed();
            }
        }));
        Files.write(noise.resolve("hum.wav"), wav(16000, tone(r, 130, 16000)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runs.resume(Codec.readCheckpoint(again.outputs().checkpoint()), 1, null));
        assertTrue(e.getMessage().startsWith(again.outputs().checkpoint().toString()) && e.getMessage().contains("noise"), e.getMessage());
    }
}
