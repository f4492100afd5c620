package org.myelin.data.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files: integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE float of 32 or 64
 * bits, any number of channels, plain {@code WAVE_FORMAT_PCM}/{@code WAVE_FORMAT_IEEE_FLOAT} or
 * {@code WAVE_FORMAT_EXTENSIBLE}. Chunks other than {@code fmt } and {@code data} (LIST, fact,
 * cue, ...) are skipped wherever they are, including the pad byte after an odd-sized chunk.
 *
 * <p>Integer samples are returned at their container width (a 24-bit container with 20 valid bits
 * is read as 24-bit values), so scaling by the container width gives the nominal [-1, 1) range.
 * A trailing partial sample frame in the data chunk is ignored. Truncated, corrupt or unsupported
 * files give a {@link BadAudioException} naming the file and the reason.
 */
public final class WavReader {
    private WavReader() {}

    public static Audio read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** True when the bytes start with a RIFF/WAVE header. */
    public static boolean looksLikeWav(byte[] head) {
        return head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'A' && head[10] == 'V' && head[11] == 'E';
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (long) (b[p + 3] & 0xff) << 24);
    }

    public static Audio read(byte[] b, String name) {
        if (b.length < 12) throw new BadAudioException(name + ": too short to be a WAV file (" + b.length + " bytes)");
        if (b[0] == 'R' && b[1] == 'F' && b[2] == '6' && b[3] == '4') throw new BadAudioException(name + ": RF64 WAV is not supported");
        if (!looksLikeWav(b)) throw new BadAudioException(name + ": not a WAV file (no RIFF/WAVE header)");
        int p = 12;
        int format = -1, channels = 0, sampleRate = 0, blockAlign = 0, bits = 0;
        boolean haveFmt = false;
        while (true) {
            if (p + 8 > b.length) {
                throw new BadAudioException(name + ": " + (haveFmt ? "no data chunk" : "no fmt chunk") + " (file ends at byte " + b.length + ")");
            }
            String id = new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = u32(b, p + 4);
            int body = p + 8;
            if (id.equals("fmt ")) {
                if (size < 16) throw new BadAudioException(name + ": fmt chunk too short (" + size + " bytes)");
                if (body + size > b.length) throw new BadAudioException(name + ": truncated fmt chunk");
                format = u16(b, body);
                channels = u16(b, body + 2);
                sampleRate = (int) Math.min(u32(b, body + 4), Integer.MAX_VALUE);
                blockAlign = u16(b, body + 12);
                bits = u16(b, body + 14);
                if (format == 0xFFFE) {
                    if (size < 40) throw new BadAudioException(name + ": WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + size + " bytes)");
                    format = u16(b, body + 24); // first two bytes of the sub-format GUID
                }
                haveFmt = true;
            } else if (id.equals("data")) {
                if (!haveFmt) throw new BadAudioException(name + ": data chunk before fmt chunk");
                long available = b.length - body;
                if (size > available) {
                    throw new BadAudioException(name + ": truncated data chunk (" + available + " of " + size + " bytes present)");
                }
                return decode(b, body, (int) size, format, channels, sampleRate, blockAlign, bits, name);
            }
            long next = body + size + (size & 1);
            if (next > b.length) {
                throw new BadAudioException(name + ": truncated '" + printable(id) + "' chunk");
            }
            p = (int) next;
        }
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        for (char c : id.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        return sb.toString();
    }

    private static Audio decode(byte[] b, int off, int size, int format, int channels, int sampleRate,
                                int blockAlign, int bits, String name) {
        if (channels < 1) throw new BadAudioException(name + ": zero channels");
        if (sampleRate < 1) throw new BadAudioException(name + ": sample rate 0");
        if (format != 1 && format != 3) throw new BadAudioException(name + ": unsupported WAV format tag 0x" + Integer.toHexString(format) + " (need PCM or IEEE float)");
        int width;
        if (format == 1) {
            if (bits != 8 && bits != 16 && bits != 24 && bits != 32) throw new BadAudioException(name + ": unsupported PCM sample size " + bits + " bits");
        } else if (bits != 32 && bits != 64) {
            throw new BadAudioException(name + ": unsupported float sample size " + bits + " bits");
        }
        width = bits / 8;
        if (blockAlign != width * channels) {
            throw new BadAudioException(name + ": block align " + blockAlign + " does not match " + channels + " channels of " + bits + " bits");
        }
        int frames = size / blockAlign;
        if (frames == 0) throw new BadAudioException(name + ": no samples in data chunk");
        if (format == 1) {
            int[][] s = new int[channels][frames];
            for (int i = 0; i < frames; i++) {
                int q = off + i * blockAlign;
                for (int ch = 0; ch < channels; ch++, q += width) {
                    int v;
                    switch (width) {
                        case 1: v = (b[q] & 0xff) - 128; break;
                        case 2: v = (short) u16(b, q); break;
                        case 3: v = ((b[q] & 0xff) | (b[q + 1] & 0xff) << 8 | b[q + 2] << 16); break;
                        default: v = (int) u32(b, q);
                    }
                    s[ch][i] = v;
                }
            }
            return Audio.ofPcm(sampleRate, bits, s);
        }
        float[][] s = new float[channels][frames];
        for (int i = 0; i < frames; i++) {
            int q = off + i * blockAlign;
            for (int ch = 0; ch < channels; ch++, q += width) {
                float v;
                if (width == 4) v = Float.intBitsToFloat((int) u32(b, q));
                else v = (float) Double.longBitsToDouble(u32(b, q) | (u32(b, q + 4) << 32));
                if (!Float.isFinite(v)) throw new BadAudioException(name + ": non-finite float sample at frame " + i);
                s[ch][i] = v;
            }
        }
        return Audio.ofFloat(sampleRate, s);
    }
}
