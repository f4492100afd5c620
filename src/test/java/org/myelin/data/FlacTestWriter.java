package org.myelin.data;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * A tiny FLAC encoder for tests only: fixed block size, independent channels, each subframe
 * FIXED order 2 with one Rice partition (or VERBATIM for blocks of fewer than 3 samples),
 * STREAMINFO with the MD5 signature. Enough to make realistic FLAC fixtures at test time.
 */
final class FlacTestWriter {
    private FlacTestWriter() {}

    private static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long acc;
        int n;

        void put(long value, int bits) {
            for (int k = bits - 1; k >= 0; k--) {
                acc = (acc << 1) | ((value >>> k) & 1);
                if (++n == 8) {
                    out.write((int) acc);
                    acc = 0;
                    n = 0;
                }
            }
        }

        void align() {
            while (n != 0) put(0, 1);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] write(int[][] s, int sampleRate, int bits, int blockSize) throws Exception {
        int channels = s.length;
        int total = s[0].length;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {'f', 'L', 'a', 'C'});
        Bits info = new Bits();
        info.put(1, 1);
        info.put(0, 7);
        info.put(34, 24);
        info.put(blockSize, 16);
        info.put(blockSize, 16);
        info.put(0, 24);
        info.put(0, 24);
        info.put(sampleRate, 20);
        info.put(channels - 1, 3);
        info.put(bits - 1, 5);
        info.put(total, 36);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        int bytes = (bits + 7) / 8;
        for (int i = 0; i < total; i++) for (int[] c : s) for (int k = 0; k < bytes; k++) md5.update((byte) (c[i] >> (8 * k)));
        for (byte b : md5.digest()) info.put(b & 0xff, 8);
        file.writeBytes(info.bytes());
        int frame = 0;
        for (int start = 0; start < total; start += blockSize, frame++) {
            int n = Math.min(blockSize, total - start);
            Bits f = new Bits();
            f.put(0xFFF8, 16);
            f.put(7, 4); // block size: 16 bits at the end of the header
            f.put(0, 4); // sample rate from STREAMINFO
            f.put(channels - 1, 4);
            f.put(0, 3); // sample size from STREAMINFO
            f.put(0, 1);
            putUtf8(f, frame);
            f.put(n - 1, 16);
            byte[] head = f.bytes();
            f.put(crc8(head, head.length), 8);
            for (int[] c : s) subframe(f, c, start, n, bits);
            f.align();
            byte[] body = f.bytes();
            f.put(crc16(body, body.length), 16);
            file.writeBytes(f.bytes());
        }
        return file.toByteArray();
    }

    private static void putUtf8(Bits f, int v) {
        if (v < 0x80) {
            f.put(v, 8);
        } else if (v < 0x800) {
            f.put(0xc0 | (v >> 6), 8);
            f.put(0x80 | (v & 0x3f), 8);
        } else {
            f.put(0xe0 | (v >> 12), 8);
            f.put(0x80 | ((v >> 6) & 0x3f), 8);
            f.put(0x80 | (v & 0x3f), 8);
        }
    }

    private static void subframe(Bits f, int[] c, int start, int n, int bits) {
        f.put(0, 1);
        if (n < 3) {
            f.put(1, 6);
            f.put(0, 1);
            for (int i = 0; i < n; i++) f.put(c[start + i] & ((1L << bits) - 1), bits);
            return;
        }
        f.put(8 + 2, 6);
        f.put(0, 1);
        f.put(c[start] & ((1L << bits) - 1), bits);
        f.put(c[start + 1] & ((1L << bits) - 1), bits);
        long[] u = new long[n - 2];
        double mean = 0;
        for (int i = 2; i < n; i++) {
            long r = (long) c[start + i] - 2L * c[start + i - 1] + c[start + i - 2];
            u[i - 2] = r >= 0 ? 2 * r : -2 * r - 1;
            mean += u[i - 2];
        }
        mean /= u.length;
        int k = 0;
        while (k < 14 && (1L << (k + 1)) <= mean) k++;
        f.put(0, 2); // Rice, 4-bit parameters
        f.put(0, 4); // partition order 0
        f.put(k, 4);
        for (long v : u) {
            long q = v >>> k;
            for (long z = 0; z < q; z++) f.put(0, 1);
            f.put(1, 1);
            f.put(v & ((1L << k) - 1), k);
        }
    }

    static int crc8(byte[] b, int len) {
        int c = 0;
        for (int i = 0; i < len; i++) {
            c ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
        }
        return c;
    }

    static int crc16(byte[] b, int len) {
        int c = 0;
        for (int i = 0; i < len; i++) {
            c ^= (b[i] & 0xff) << 8;
            for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
        }
        return c;
    }

    /** Linear-interpolation resampling by an integer factor, rounded and clipped to 16 bits. */
    static int[] upsample16(int[] x, int factor) {
        int[] y = new int[x.length * factor];
        for (int j = 0; j < y.length; j++) {
            int i = j / factor;
            double frac = (j % factor) / (double) factor;
            double next = i + 1 < x.length ? x[i + 1] : x[i];
            long v = Math.round(x[i] + frac * (next - x[i]));
            y[j] = (int) Math.max(-32768, Math.min(32767, v));
        }
        return y;
    }
}
