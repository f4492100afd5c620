package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.data.LogMel;

/**
 * Streaming the data package's recipe through the front end gives, frame for frame and bit for bit,
 * the offline features (before per-utterance standardisation), however the audio is chunked, and
 * again after a reset.
 */
class DataLogMelFeaturesTest {
    static float[] signal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.4 * Math.sin(i * 0.07) + 0.2 * Math.sin(i * 0.31) + 0.05 * r.nextGaussian());
        return x;
    }

    static List<float[]> stream(StreamingFrontEnd fe, float[] x, SplittableRandom chunks) {
        List<float[]> frames = new ArrayList<>();
        int off = 0;
        while (off < x.length) {
            int n = Math.min(x.length - off, 1 + chunks.nextInt(700));
            fe.push(x, off, n, f -> frames.add(f.clone()));
            off += n;
        }
        return frames;
    }

    @Test
    void streamingFramesEqualTheOfflineRecipe() {
        for (int rate : new int[] {8000, 16000, 48000}) {
            float[] x = signal(rate / 2 + 123, rate);
            LogMel mel = LogMel.forRate(rate);
            int t = Math.min(mel.frameCount(x.length), LogMel.FRAMES);
            float[] offline = mel.frames(x);
            StreamingFrontEnd fe = new StreamingFrontEnd(new DataLogMelFeatures(rate), 0f, FeatureNormalizer.identity());
            for (int pass = 0; pass < 2; pass++) {
                List<float[]> frames = stream(fe, x, new SplittableRandom(pass + 7));
                assertEquals(mel.frameCount(x.length), frames.size(), rate + " Hz: frames emitted");
                for (int k = 0; k < t; k++) {
                    assertArrayEquals(Arrays.copyOfRange(offline, k * LogMel.MELS, (k + 1) * LogMel.MELS), frames.get(k),
                            rate + " Hz, pass " + pass + ": frame " + k);
                }
                fe.reset();
            }
        }
    }
}
