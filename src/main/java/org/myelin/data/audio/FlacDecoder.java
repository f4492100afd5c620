package org.myelin.data.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A pure-Java FLAC decoder (native FLAC, RFC 9639).
 *
 * <p>Supported: the STREAMINFO block (other metadata blocks — padding, application, seek table,
 * Vorbis comment, cue sheet, picture — are skipped by their length; a leading ID3v2 tag is skipped),
 * fixed and variable block sizes, 1–8 channels, 4–32 bits per sample (except 32-bit stereo with
 * decorrelation, whose 33-bit side channel is rejected as unsupported), CONSTANT, VERBATIM, FIXED
 * (orders 0–4) and LPC (orders 1–32) subframes, Rice and Rice2 residual coding with partitions and
 * escape codes, wasted bits, and left/side, right/side and mid/side stereo decorrelation.
 *
 * <p>Checked: the frame header CRC-8, the frame CRC-16, the sample count and the MD5 signature in
 * STREAMINFO (unless it is all zero, meaning "not computed"). Any violation, truncation or
 * unsupported feature is a {@link BadAudioException} whose message names the file and the reason.
 * Decoding is linear in the input size: every loop consumes input bits or is bounded by the block
 * size, so corrupt input cannot make it hang or read out of bounds.
 */
public final class FlacDecoder {
    private static final int[] CRC8 = new int[256];
    private static final int[] CRC16 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
            CRC8[i] = c;
            int d = i << 8;
            for (int k = 0; k < 8; k++) d = (d & 0x8000) != 0 ? ((d << 1) ^ 0x8005) & 0xffff : (d << 1) & 0xffff;
            CRC16[i] = d;
        }
    }

    /** STREAMINFO fields. */
    public static final class StreamInfo {
        public int minBlockSize, maxBlockSize, minFrameSize, maxFrameSize;
        public int sampleRate, channels, bitsPerSample;
        /** Total samples per channel, 0 when unknown. */
        public long totalSamples;
        public byte[] md5 = new byte[16];
    }

    private final String name;
    private final byte[] buf;
    private final int end;
    // Bit reader state: `cache` holds `count` unread bits, left-aligned; `pos` is the next byte to load.
    private int pos;
    private long cache;
    private int count;

    private FlacDecoder(String name, byte[] data) {
        this.name = name;
        this.buf = data;
        this.end = data.length;
    }

    /** Decodes a FLAC file. */
    public static Audio decode(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Decodes FLAC bytes; {@code name} is used in error messages. */
    public static Audio decode(byte[] data, String name) {
        return new FlacDecoder(name, data).run();
    }

    /** True when the bytes start like a FLAC stream (possibly after an ID3v2 tag). */
    public static boolean looksLikeFlac(byte[] head) {
        int p = 0;
        if (head.length >= 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3') {
            p = 10 + (((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f));
        }
        return head.length >= p + 4 && head[p] == 'f' && head[p + 1] == 'L' && head[p + 2] == 'a' && head[p + 3] == 'C';
    }

    private BadAudioException bad(String why) {
        return new BadAudioException(name + ": " + why);
    }

    // ---------------------------------------------------------------- bit reader

    private void refill() {
        while (count <= 56 && pos < end) {
            cache |= (long) (buf[pos++] & 0xff) << (56 - count);
            count += 8;
        }
    }

    /** Reads n (0..32) bits as an unsigned value. */
    private long bits(int n) {
        if (n == 0) return 0;
        if (count < n) {
            refill();
            if (count < n) throw bad("truncated (unexpected end of file)");
        }
        long v = cache >>> (64 - n);
        cache <<= n;
        count -= n;
        return v;
    }

    private int ubits(int n) {
        return (int) bits(n);
    }

    /** Reads n (1..32) bits as a two's complement signed value. */
    private int sbits(int n) {
        if (n == 0) return 0;
        long v = bits(n);
        return (int) ((v << (64 - n)) >> (64 - n));
    }

    /** Counts zero bits up to and including the next one bit. */
    private long unary() {
        long zeros = 0;
        while (true) {
            if (count == 0) {
                refill();
                if (count == 0) throw bad("truncated (unexpected end of file)");
            }
            if (cache == 0) {
                zeros += count;
                count = 0;
                continue;
            }
            int lz = Long.numberOfLeadingZeros(cache);
            zeros += lz;
            cache <<= lz;
            cache <<= 1;
            count -= lz + 1;
            return zeros;
        }
    }

    /** Byte offset of the next unread bit (only meaningful when byte-aligned). */
    private int bytePos() {
        return pos - count / 8;
    }

    private void alignByte() {
        int r = count % 8;
        if (r != 0) {
            long padding = bits(r);
            if (padding != 0) throw bad("non-zero padding at end of frame");
        }
    }

    private void seekByte(int p) {
        pos = p;
        cache = 0;
        count = 0;
    }

    // ---------------------------------------------------------------- stream

    private Audio run() {
        int p = 0;
        if (end >= 10 && buf[0] == 'I' && buf[1] == 'D' && buf[2] == '3') {
            p = 10 + (((buf[6] & 0x7f) << 21) | ((buf[7] & 0x7f) << 14) | ((buf[8] & 0x7f) << 7) | (buf[9] & 0x7f));
            if ((buf[5] & 0x10) != 0) p += 10;
        }
        if (end < p + 4 || buf[p] != 'f' || buf[p + 1] != 'L' || buf[p + 2] != 'a' || buf[p + 3] != 'C') {
            throw bad(end < p + 4 ? "too short to be a FLAC file" : "not a FLAC file (no 'fLaC' marker)");
        }
        seekByte(p + 4);
        StreamInfo si = null;
        boolean last = false;
        int blockIndex = 0;
        while (!last) {
            last = bits(1) == 1;
            int type = ubits(7);
            int length = ubits(24);
            int start = bytePos();
            if ((long) start + length > end) throw bad("truncated metadata block " + blockIndex + " (type " + type + ")");
            if (type == 127) throw bad("invalid metadata block type 127");
            if (blockIndex == 0 && type != 0) throw bad("first metadata block is not STREAMINFO");
            if (type == 0) {
                if (blockIndex != 0) throw bad("second STREAMINFO block");
                if (length < 34) throw bad("STREAMINFO block too short (" + length + " bytes)");
                si = new StreamInfo();
                si.minBlockSize = ubits(16);
                si.maxBlockSize = ubits(16);
                si.minFrameSize = ubits(24);
                si.maxFrameSize = ubits(24);
                si.sampleRate = ubits(20);
                si.channels = ubits(3) + 1;
                si.bitsPerSample = ubits(5) + 1;
                si.totalSamples = bits(36);
                for (int k = 0; k < 16; k++) si.md5[k] = (byte) ubits(8);
                if (si.bitsPerSample < 4) throw bad("unsupported bits per sample " + si.bitsPerSample);
                if (si.maxBlockSize < 16 || si.minBlockSize > si.maxBlockSize) {
                    throw bad("invalid block sizes in STREAMINFO (" + si.minBlockSize + ".." + si.maxBlockSize + ")");
                }
            }
            seekByte(start + length);
            blockIndex++;
        }
        if (si == null) throw bad("no STREAMINFO block");
        return frames(si);
    }

    private Audio frames(StreamInfo si) {
        int channels = si.channels;
        // Never trust the declared length for the allocation: a damaged STREAMINFO could ask for
        // gigabytes. Start small (bounded by the file size) and grow by doubling.
        int initial = (int) Math.max(4096, Math.min(si.totalSamples, Math.min(4L * end, 1 << 22)));
        int[][] out = new int[channels][initial];
        int have = 0;
        MessageDigest md5 = null;
        boolean checkMd5 = false;
        for (byte b : si.md5) if (b != 0) checkMd5 = true;
        if (checkMd5) {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 not available", e);
            }
        }
        int bytesPerSample = (si.bitsPerSample + 7) / 8;
        byte[] md5buf = new byte[0];
        int[][] block = new int[channels][];
        int frameNo = 0;
        int sampleRate = si.sampleRate;
        Boolean variable = null;
        while (true) {
            int start = bytePos();
            if (start >= end) break;
            if (end - start < 2 || (buf[start] & 0xff) != 0xff || (buf[start + 1] & 0xfe) != 0xf8) {
                if (si.totalSamples != 0 && have >= si.totalSamples) break; // trailing data (e.g. an ID3v1 tag)
                throw bad("frame " + frameNo + ": lost sync at byte " + start);
            }
            String where = "frame " + frameNo;
            // ---- header
            bits(15);
            boolean var = bits(1) == 1;
            if (variable == null) variable = var;
            else if (variable != var) throw bad(where + ": blocking strategy changes mid-stream");
            int bsCode = ubits(4);
            int srCode = ubits(4);
            int chCode = ubits(4);
            int ssCode = ubits(3);
            if (bits(1) != 0) throw bad(where + ": reserved header bit set");
            long number = utf8Number(where);
            if (!var && number != frameNo) throw bad(where + ": frame number " + number + " out of sequence");
            if (var && number != have) throw bad(where + ": sample number " + number + " out of sequence (expected " + have + ")");
            int blockSize;
            switch (bsCode) {
                case 0: throw bad(where + ": reserved block size code");
                case 1: blockSize = 192; break;
                case 2: case 3: case 4: case 5: blockSize = 576 << (bsCode - 2); break;
                case 6: blockSize = ubits(8) + 1; break;
                case 7: blockSize = ubits(16) + 1; break;
                default: blockSize = 256 << (bsCode - 8);
            }
            int rate;
            switch (srCode) {
                case 0: rate = si.sampleRate; break;
                case 1: rate = 88200; break;
                case 2: rate = 176400; break;
                case 3: rate = 192000; break;
                case 4: rate = 8000; break;
                case 5: rate = 16000; break;
                case 6: rate = 22050; break;
                case 7: rate = 24000; break;
                case 8: rate = 32000; break;
                case 9: rate = 44100; break;
                case 10: rate = 48000; break;
                case 11: rate = 96000; break;
                case 12: rate = ubits(8) * 1000; break;
                case 13: rate = ubits(16); break;
                case 14: rate = ubits(16) * 10; break;
                default: throw bad(where + ": invalid sample rate code");
            }
            int bps;
            switch (ssCode) {
                case 0: bps = si.bitsPerSample; break;
                case 1: bps = 8; break;
                case 2: bps = 12; break;
                case 4: bps = 16; break;
                case 5: bps = 20; break;
                case 6: bps = 24; break;
                case 7: bps = 32; break;
                default: throw bad(where + ": reserved sample size code");
            }
            int headerEnd = bytePos();
            int crc8 = ubits(8);
            if (crc8(start, headerEnd) != crc8) throw bad(where + ": header CRC-8 mismatch");
            int frameChannels = chCode < 8 ? chCode + 1 : 2;
            if (chCode > 10) throw bad(where + ": reserved channel assignment " + chCode);
            if (frameChannels != channels) {
                throw bad(where + ": " + frameChannels + " channels but STREAMINFO says " + channels);
            }
            if (bps != si.bitsPerSample) throw bad(where + ": " + bps + " bits per sample but STREAMINFO says " + si.bitsPerSample);
            if (rate != sampleRate) throw bad(where + ": sample rate " + rate + " differs from STREAMINFO " + sampleRate);
            if (blockSize > si.maxBlockSize) throw bad(where + ": block size " + blockSize + " exceeds STREAMINFO maximum " + si.maxBlockSize);
            // ---- subframes
            for (int ch = 0; ch < channels; ch++) {
                int sbps = bps;
                if ((chCode == 8 && ch == 1) || (chCode == 9 && ch == 0) || (chCode == 10 && ch == 1)) sbps++;
                if (block[ch] == null || block[ch].length < blockSize) block[ch] = new int[Math.max(blockSize, 4608)];
                subframe(block[ch], blockSize, sbps, where + " channel " + ch);
            }
            alignByte();
            int crcEnd = bytePos();
            int crc16 = ubits(16);
            if (crc16(start, crcEnd) != crc16) throw bad(where + ": frame CRC-16 mismatch");
            // ---- decorrelation
            if (chCode >= 8) {
                int[] a = block[0];
                int[] b = block[1];
                for (int i = 0; i < blockSize; i++) {
                    int x = a[i];
                    int y = b[i];
                    if (chCode == 8) { // left, side
                        b[i] = x - y;
                    } else if (chCode == 9) { // side, right
                        a[i] = x + y;
                    } else { // mid, side
                        long mid = ((long) x << 1) | (y & 1);
                        a[i] = (int) ((mid + y) >> 1);
                        b[i] = (int) ((mid - y) >> 1);
                    }
                }
            }
            // ---- append
            if (have + (long) blockSize > Integer.MAX_VALUE - 16) throw bad("too many samples");
            if (have + blockSize > out[0].length) {
                int cap = Math.max(have + blockSize, (int) Math.min(Integer.MAX_VALUE - 16, out[0].length * 2L));
                for (int ch = 0; ch < channels; ch++) out[ch] = Arrays.copyOf(out[ch], cap);
            }
            for (int ch = 0; ch < channels; ch++) System.arraycopy(block[ch], 0, out[ch], have, blockSize);
            if (md5 != null) {
                int need = blockSize * channels * bytesPerSample;
                if (md5buf.length < need) md5buf = new byte[need];
                int q = 0;
                for (int i = 0; i < blockSize; i++) {
                    for (int ch = 0; ch < channels; ch++) {
                        int v = block[ch][i];
                        for (int k = 0; k < bytesPerSample; k++) md5buf[q++] = (byte) (v >> (8 * k));
                    }
                }
                md5.update(md5buf, 0, q);
            }
            have += blockSize;
            frameNo++;
        }
        if (si.totalSamples != 0 && have != si.totalSamples) {
            if (have < si.totalSamples) throw bad("truncated: " + have + " of " + si.totalSamples + " samples present");
            throw bad(have + " samples decoded but STREAMINFO says " + si.totalSamples);
        }
        if (have == 0) throw bad("no audio frames");
        if (md5 != null && !Arrays.equals(md5.digest(), si.md5)) throw bad("MD5 signature mismatch (decoded audio differs from what was encoded)");
        for (int ch = 0; ch < channels; ch++) out[ch] = Arrays.copyOf(out[ch], have);
        if (sampleRate <= 0) throw bad("sample rate 0 in STREAMINFO");
        return Audio.ofPcm(sampleRate, si.bitsPerSample, out);
    }

    private long utf8Number(String where) {
        int b0 = ubits(8);
        if ((b0 & 0x80) == 0) return b0;
        int extra;
        long v;
        if ((b0 & 0xe0) == 0xc0) { extra = 1; v = b0 & 0x1f; }
        else if ((b0 & 0xf0) == 0xe0) { extra = 2; v = b0 & 0x0f; }
        else if ((b0 & 0xf8) == 0xf0) { extra = 3; v = b0 & 0x07; }
        else if ((b0 & 0xfc) == 0xf8) { extra = 4; v = b0 & 0x03; }
        else if ((b0 & 0xfe) == 0xfc) { extra = 5; v = b0 & 0x01; }
        else if (b0 == 0xfe) { extra = 6; v = 0; }
        else throw bad(where + ": invalid coded frame/sample number");
        for (int k = 0; k < extra; k++) {
            int b = ubits(8);
            if ((b & 0xc0) != 0x80) throw bad(where + ": invalid coded frame/sample number");
            v = (v << 6) | (b & 0x3f);
        }
        return v;
    }

    private int crc8(int from, int to) {
        int c = 0;
        for (int i = from; i < to; i++) c = CRC8[c ^ (buf[i] & 0xff)];
        return c;
    }

    private int crc16(int from, int to) {
        int c = 0;
        for (int i = from; i < to; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >>> 8) ^ (buf[i] & 0xff)];
        return c;
    }

    // ---------------------------------------------------------------- subframes

    private void subframe(int[] s, int n, int bps, String where) {
        if (bits(1) != 0) throw bad(where + ": subframe padding bit set");
        int type = ubits(6);
        int wasted = 0;
        if (bits(1) == 1) {
            long w = unary() + 1;
            if (w >= bps) throw bad(where + ": " + w + " wasted bits of " + bps);
            wasted = (int) w;
        }
        int b = bps - wasted;
        if (b > 32) throw bad(where + ": unsupported sample size " + b + " bits");
        if (type == 0) {
            int v = sbits(b);
            Arrays.fill(s, 0, n, v);
        } else if (type == 1) {
            for (int i = 0; i < n; i++) s[i] = sbits(b);
        } else if (type >= 8 && type <= 12) {
            int order = type - 8;
            if (order > n) throw bad(where + ": FIXED order " + order + " exceeds block size " + n);
            for (int i = 0; i < order; i++) s[i] = sbits(b);
            residual(s, n, order, where);
            fixed(s, n, order);
        } else if (type >= 32) {
            int order = type - 31;
            if (order > n) throw bad(where + ": LPC order " + order + " exceeds block size " + n);
            for (int i = 0; i < order; i++) s[i] = sbits(b);
            int precision = ubits(4) + 1;
            if (precision == 16) throw bad(where + ": invalid LPC precision");
            int shift = sbits(5);
            if (shift < 0) throw bad(where + ": negative LPC shift");
            int[] coef = new int[order];
            for (int k = 0; k < order; k++) coef[k] = sbits(precision);
            residual(s, n, order, where);
            for (int i = order; i < n; i++) {
                long sum = 0;
                for (int k = 0; k < order; k++) sum += (long) coef[k] * s[i - 1 - k];
                s[i] += (int) (sum >> shift);
            }
        } else {
            throw bad(where + ": reserved subframe type " + type);
        }
        if (wasted > 0) for (int i = 0; i < n; i++) s[i] <<= wasted;
    }

    private static void fixed(int[] s, int n, int order) {
        switch (order) {
            case 0: break;
            case 1: for (int i = 1; i < n; i++) s[i] += s[i - 1]; break;
            case 2: for (int i = 2; i < n; i++) s[i] += 2 * s[i - 1] - s[i - 2]; break;
            case 3: for (int i = 3; i < n; i++) s[i] += 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3]; break;
            default: for (int i = 4; i < n; i++) s[i] += 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4];
        }
    }

    /** Reads the residual into s[order..n). */
    private void residual(int[] s, int n, int order, String where) {
        int method = ubits(2);
        if (method > 1) throw bad(where + ": reserved residual coding method " + method);
        int paramBits = method == 0 ? 4 : 5;
        int escape = method == 0 ? 15 : 31;
        int partitionOrder = ubits(4);
        int partitions = 1 << partitionOrder;
        if ((n & (partitions - 1)) != 0) throw bad(where + ": partition order " + partitionOrder + " does not divide block size " + n);
        int per = n >> partitionOrder;
        if (per < order) throw bad(where + ": partition order " + partitionOrder + " too large for predictor order " + order);
        int i = order;
        for (int p = 0; p < partitions; p++) {
            int stop = (p + 1) * per;
            int k = ubits(paramBits);
            if (k == escape) {
                int raw = ubits(5);
                for (; i < stop; i++) s[i] = sbits(raw);
            } else {
                for (; i < stop; i++) {
                    long q = unary();
                    if (q > (0xffffffffL >>> k)) throw bad(where + ": residual out of range");
                    long u = (q << k) | bits(k);
                    s[i] = (int) ((u >>> 1) ^ -(u & 1));
                }
            }
        }
    }
}
