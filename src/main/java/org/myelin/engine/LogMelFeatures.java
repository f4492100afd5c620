package org.myelin.engine;

/**
 * A self-contained reference {@link FrameFeatures}: Hamming window, |rfft|² with n_fft the next
 * power of two ≥ the window, 40 triangular HTK-Mel filters from 0 Hz to Nyquist (no area
 * normalisation), natural log with a floor of 1e-10. Pre-emphasis is the front end's job.
 *
 * <p>This is the engine's stand-in so that the streaming path can be built and tested on its own;
 * a deployment should use the data package's per-frame function, so that the features match the
 * ones the model was trained on bit for bit in definition (log base, floor and filter normalisation
 * are exactly the kind of detail that differs between implementations).
 */
public final class LogMelFeatures implements FrameFeatures {
    private final int sampleRate, len, hop, nfft, mels;
    private final float[] hamming;
    private final int[] firstBin;
    private final float[][] filter;
    private final double[] re, im, cos, sin;
    private final int[] rev;
    private final double[] power;

    /** 25 ms windows every 10 ms and 40 Mel bands at the given sample rate. */
    public LogMelFeatures(int sampleRate) {
        this(sampleRate, (int) Math.round(0.025 * sampleRate), (int) Math.round(0.010 * sampleRate), 40);
    }

    public LogMelFeatures(int sampleRate, int frameLength, int hop, int mels) {
        if (sampleRate <= 0 || frameLength < 2 || hop <= 0 || mels <= 0) throw new IllegalArgumentException("bad log-Mel settings");
        this.sampleRate = sampleRate;
        this.len = frameLength;
        this.hop = hop;
        this.mels = mels;
        int n = 1;
        while (n < frameLength) n <<= 1;
        this.nfft = n;
        hamming = new float[len];
        for (int i = 0; i < len; i++) hamming[i] = (float) (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (len - 1)));
        re = new double[n];
        im = new double[n];
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            cos[k] = Math.cos(-2 * Math.PI * k / n);
            sin[k] = Math.sin(-2 * Math.PI * k / n);
        }
        rev = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) rev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        int bins = n / 2 + 1;
        power = new double[bins];
        double mMax = hzToMel(sampleRate / 2.0);
        double[] f = new double[mels + 2];
        for (int m = 0; m < mels + 2; m++) f[m] = melToHz(mMax * m / (mels + 1));
        firstBin = new int[mels];
        filter = new float[mels][];
        for (int m = 0; m < mels; m++) {
            int lo = -1, hi = -1;
            double[] w = new double[bins];
            for (int k = 0; k < bins; k++) {
                double fk = (double) k * sampleRate / n;
                double up = (fk - f[m]) / (f[m + 1] - f[m]);
                double down = (f[m + 2] - fk) / (f[m + 2] - f[m + 1]);
                w[k] = Math.max(0, Math.min(up, down));
                if (w[k] > 0) {
                    if (lo < 0) lo = k;
                    hi = k;
                }
            }
            if (lo < 0) {
                lo = 0;
                hi = -1; // an empty filter (too many bands for n_fft): its energy is 0
            }
            firstBin[m] = lo;
            filter[m] = new float[hi - lo + 1];
            for (int k = lo; k <= hi; k++) filter[m][k - lo] = (float) w[k];
        }
    }

    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    @Override
    public int frameLength() {
        return len;
    }

    @Override
    public int hop() {
        return hop;
    }

    @Override
    public int size() {
        return mels;
    }

    /** Sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** FFT length. */
    public int fftLength() {
        return nfft;
    }

    @Override
    public void compute(float[] window, float[] out) {
        if (window.length != len) throw new IllegalArgumentException("window: expected " + len + " samples, got " + window.length);
        if (out.length != mels) throw new IllegalArgumentException("features: expected " + mels + " values, got " + out.length);
        int n = nfft;
        for (int i = 0; i < n; i++) {
            int r = rev[i];
            re[i] = r < len ? (double) window[r] * hamming[r] : 0;
            im[i] = 0;
        }
        for (int size = 2; size <= n; size <<= 1) {
            int half = size >> 1, step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < half; k++) {
                    double c = cos[k * step], s = sin[k * step];
                    int a = start + k, b = a + half;
                    double tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        for (int k = 0; k < power.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
        for (int m = 0; m < mels; m++) {
            double e = 0;
            float[] w = filter[m];
            for (int q = 0; q < w.length; q++) e += w[q] * power[firstBin[m] + q];
            out[m] = (float) Math.log(Math.max(e, 1e-10));
        }
    }
}
