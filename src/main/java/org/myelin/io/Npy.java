package org.myelin.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes NumPy {@code .npy} files (format version 1.0 and 2.0 on read, 1.0 on write),
 * C order, little-endian, dtypes {@code <f4}, {@code <f8} and {@code <i4}.
 *
 * <p>Every malformed input gives an {@link IllegalArgumentException} that names the file and what
 * is wrong with it.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** An array read from a file: its dtype descriptor, shape and values (as float or int). */
    public static final class Array {
        public final String dtype;
        public final int[] shape;
        /** Values for {@code <f4} and {@code <f8} (converted to float), else null. */
        public final float[] f;
        /** Values for {@code <i4}, else null. */
        public final int[] i;
        /** Values for {@code <f8} at full precision, else null. */
        public final double[] d;

        Array(String dtype, int[] shape, float[] f, int[] i, double[] d) {
            this.dtype = dtype;
            this.shape = shape;
            this.f = f;
            this.i = i;
            this.d = d;
        }

        /** Number of elements (the product of the shape; 1 for a scalar). */
        public int size() {
            return count(shape);
        }
    }

    private Npy() {}

    static int count(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("npy shape too large: " + Arrays.toString(shape));
        return (int) n;
    }

    /** Reads a whole file. */
    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return parse(all, file.toString());
    }

    /** Reads an array from a stream (the name is used in error messages). */
    public static Array read(InputStream in, String name) throws IOException {
        return parse(in.readAllBytes(), name);
    }

    static Array parse(byte[] all, String name) {
        if (all.length < 10) throw bad(name, "too short to be an .npy file (" + all.length + " bytes)");
        for (int k = 0; k < MAGIC.length; k++) {
            if (all[k] != MAGIC[k]) throw bad(name, "not an .npy file (bad magic)");
        }
        int major = all[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int pos;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            pos = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) throw bad(name, "truncated header");
            headerLen = bb.getInt(8);
            pos = 12;
        } else {
            throw bad(name, "unsupported .npy version " + major);
        }
        if (headerLen < 0 || pos + headerLen > all.length) throw bad(name, "truncated header");
        String header = new String(all, pos, headerLen, StandardCharsets.ISO_8859_1).trim();
        pos += headerLen;
        String descr = dictString(header, "descr", name);
        String fortran = dictRaw(header, "fortran_order", name);
        if (!fortran.startsWith("False")) throw bad(name, "fortran_order must be False (C order)");
        int[] shape = parseShape(dictRaw(header, "shape", name), name);
        int n = count(shape);
        int width;
        switch (descr) {
            case "<f4": case "<i4": width = 4; break;
            case "<f8": width = 8; break;
            case "|u1": case "|b1": case "|i1": width = 1; break;
            default: throw bad(name, "unsupported dtype '" + descr + "' (need <f4, <f8 or <i4)");
        }
        long need = (long) n * width;
        if (all.length - pos != need) {
            throw bad(name, "data has " + (all.length - pos) + " bytes but shape " + Arrays.toString(shape)
                    + " of " + descr + " needs " + need);
        }
        bb.position(pos);
        switch (descr) {
            case "<f4": {
                float[] f = new float[n];
                bb.asFloatBuffer().get(f);
                return new Array(descr, shape, f, null, null);
            }
            case "<f8": {
                double[] d = new double[n];
                bb.asDoubleBuffer().get(d);
                float[] f = new float[n];
                for (int k = 0; k < n; k++) f[k] = (float) d[k];
                return new Array(descr, shape, f, null, d);
            }
            case "<i4": {
                int[] v = new int[n];
                bb.asIntBuffer().get(v);
                return new Array(descr, shape, null, v, null);
            }
            default: {
                int[] v = new int[n];
                for (int k = 0; k < n; k++) v[k] = descr.equals("|u1") || descr.equals("|b1") ? all[pos + k] & 0xff : all[pos + k];
                return new Array(descr, shape, null, v, null);
            }
        }
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException(name + ": " + why);
    }

    private static String dictRaw(String header, String key, String name) {
        String k = "'" + key + "'";
        int at = header.indexOf(k);
        if (at < 0) throw bad(name, "header lacks '" + key + "'");
        int colon = header.indexOf(':', at + k.length());
        if (colon < 0) throw bad(name, "malformed header near '" + key + "'");
        return header.substring(colon + 1).trim();
    }

    private static String dictString(String header, String key, String name) {
        String raw = dictRaw(header, key, name);
        if (raw.isEmpty() || raw.charAt(0) != '\'') throw bad(name, "malformed '" + key + "' in header");
        int end = raw.indexOf('\'', 1);
        if (end < 0) throw bad(name, "malformed '" + key + "' in header");
        return raw.substring(1, end);
    }

    private static int[] parseShape(String raw, String name) {
        if (!raw.startsWith("(")) throw bad(name, "malformed shape in header");
        int end = raw.indexOf(')');
        if (end < 0) throw bad(name, "malformed shape in header");
        String inner = raw.substring(1, end).trim();
        List<Integer> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            try {
                int v = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (v < 0) throw bad(name, "negative dimension in shape (" + inner + ")");
                dims.add(v);
            } catch (NumberFormatException e) {
                throw bad(name, "malformed shape (" + inner + ")");
            }
        }
        int[] shape = new int[dims.size()];
        for (int k = 0; k < shape.length; k++) shape[k] = dims.get(k);
        return shape;
    }

    private static byte[] header(String descr, int[] shape) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int k = 0; k < shape.length; k++) {
            sb.append(shape[k]);
            if (shape.length == 1 || k < shape.length - 1) sb.append(shape.length == 1 ? "," : ", ");
        }
        sb.append("), }");
        int total = 10 + sb.length() + 1;
        int pad = (64 - total % 64) % 64;
        for (int k = 0; k < pad; k++) sb.append(' ');
        sb.append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(h.length & 0xff);
        out.write((h.length >>> 8) & 0xff);
        out.writeBytes(h);
        return out.toByteArray();
    }

    private static void checkShape(int[] shape, int n) {
        if (count(shape) != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape) + " values, array has " + n);
        }
    }

    /** Encodes float32 values with the given shape. */
    public static byte[] encode(float[] data, int... shape) {
        checkShape(shape, data.length);
        byte[] h = header("<f4", shape);
        ByteBuffer bb = ByteBuffer.allocate(h.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(h);
        bb.asFloatBuffer().put(data);
        return bb.array();
    }

    /** Encodes int32 values with the given shape. */
    public static byte[] encode(int[] data, int... shape) {
        checkShape(shape, data.length);
        byte[] h = header("<i4", shape);
        ByteBuffer bb = ByteBuffer.allocate(h.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(h);
        bb.asIntBuffer().put(data);
        return bb.array();
    }

    /** Writes float32 values atomically. */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        AtomicFiles.write(file, encode(data, shape));
    }

    /** Writes int32 values atomically. */
    public static void write(Path file, int[] data, int... shape) throws IOException {
        AtomicFiles.write(file, encode(data, shape));
    }
}
