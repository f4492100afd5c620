package org.myelin.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checksummed, versioned file format of every file Myelin writes for later use (models,
 * checkpoints). Layout, little-endian:
 * <pre>
 *   magic    8 bytes  "MYELIN" 0x00 kindByte ('M' model, 'C' checkpoint)
 *   version  u32      format version (currently 1)
 *   length   u64      number of bytes of the body that follows
 *   body:
 *     header u32 length + UTF-8 JSON object (configuration and metadata)
 *     count  u32 number of arrays, then per array:
 *       name   u16 length + UTF-8
 *       dtype  u8 (1 = float32, 2 = int32, 3 = int64)
 *       n      u32 element count
 *       data   n elements
 *   sha256   32 bytes over everything before it
 * </pre>
 * A reader checks magic, version, length and checksum before it parses anything, so a truncated
 * or corrupted file is refused with a message naming the file, never half-read. Writes are atomic.
 */
public final class Container {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'M', 'Y', 'E', 'L', 'I', 'N', 0};

    /** The JSON header (configuration and metadata). */
    public final Map<String, Object> header;
    /** Named arrays: float[], int[] or long[]. */
    public final Map<String, Object> arrays;

    public Container(Map<String, Object> header, Map<String, Object> arrays) {
        this.header = header;
        this.arrays = arrays;
    }

    public Container() {
        this(Json.object(), new LinkedHashMap<>());
    }

    /** Writes the container atomically as the given kind ('M' or 'C'). */
    public void write(Path file, char kind) throws IOException {
        byte[] head = Json.write(header).getBytes(StandardCharsets.UTF_8);
        long size = 4 + head.length + 4;
        for (Map.Entry<String, Object> e : arrays.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + 4 + (long) elementSize(e.getValue()) * length(e.getValue());
        }
        long total = 8 + 4 + 8 + size + 32;
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(file + ": too large to write (" + total + " bytes)");
        ByteBuffer bb = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) kind).putInt(VERSION).putLong(size);
        bb.putInt(head.length).put(head);
        bb.putInt(arrays.size());
        for (Map.Entry<String, Object> e : arrays.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            bb.putShort((short) name.length).put(name);
            Object v = e.getValue();
            if (v instanceof float[]) {
                float[] a = (float[]) v;
                bb.put((byte) 1).putInt(a.length);
                for (float f : a) bb.putFloat(f);
            } else if (v instanceof int[]) {
                int[] a = (int[]) v;
                bb.put((byte) 2).putInt(a.length);
                for (int f : a) bb.putInt(f);
            } else {
                long[] a = (long[]) v;
                bb.put((byte) 3).putInt(a.length);
                for (long f : a) bb.putLong(f);
            }
        }
        bb.put(sha256(bb.array(), bb.position()));
        AtomicFiles.write(file, bb.array());
    }

    private static int elementSize(Object v) {
        if (v instanceof float[] || v instanceof int[]) return 4;
        if (v instanceof long[]) return 8;
        throw new IllegalArgumentException("container arrays must be float[], int[] or long[], got " + v.getClass().getSimpleName());
    }

    private static int length(Object v) {
        if (v instanceof float[]) return ((float[]) v).length;
        if (v instanceof int[]) return ((int[]) v).length;
        return ((long[]) v).length;
    }

    /**
     * Reads and verifies a container of the given kind.
     *
     * @throws IllegalArgumentException naming the file when it is not such a file, is from another
     *         format version, is truncated or fails its checksum
     */
    public static Container read(Path file, char kind) throws IOException {
        String what = kind == 'M' ? "model" : "checkpoint";
        // every model and checkpoint reader comes here: a folder or an absent file is named as such
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + ": is a folder, not a " + what + " file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, kind == 'M' ? "no such model file" : "no such checkpoint");
        return parse(Files.readAllBytes(file), file.toString(), kind);
    }

    /**
     * Verifies and parses the bytes of a container of the given kind (a whole file, e.g. read from
     * a stream); {@code source} names them in messages.
     *
     * @throws IllegalArgumentException naming the source when the bytes are not such a file, are
     *         from another format version, are truncated or fail their checksum
     */
    @SuppressWarnings("unchecked")
    public static Container parse(byte[] all, String source, char kind) {
        String what = kind == 'M' ? "model" : "checkpoint";
        if (all.length < 20 + 32) throw new IllegalArgumentException(source + ": not a Myelin " + what + " file (only " + all.length + " bytes)");
        for (int k = 0; k < MAGIC.length; k++) {
            if (all[k] != MAGIC[k]) throw new IllegalArgumentException(source + ": not a Myelin " + what + " file (bad magic)");
        }
        if (all[7] != kind) {
            throw new IllegalArgumentException(source + ": is a Myelin " + (all[7] == 'M' ? "model" : all[7] == 'C' ? "checkpoint" : "unknown") + " file, expected a " + what);
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int version = bb.getInt(8);
        if (version != VERSION) {
            throw new IllegalArgumentException(source + ": " + what + " format version " + Integer.toUnsignedString(version) + " is not supported"
                    + (Integer.compareUnsigned(version, VERSION) > 0 ? ", it was written by a newer Myelin" : "") + " (this build reads version " + VERSION + ")");
        }
        long size = bb.getLong(12);
        if (size < 0 || 20 + size + 32 != all.length) {
            throw new IllegalArgumentException(source + ": truncated or padded " + what + " file (header says " + (20 + size + 32) + " bytes, file has " + all.length + ")");
        }
        byte[] sum = sha256(all, all.length - 32);
        for (int k = 0; k < 32; k++) {
            if (sum[k] != all[all.length - 32 + k]) throw new IllegalArgumentException(source + ": checksum mismatch — the " + what + " file is corrupt");
        }
        try {
            bb.position(20);
            int hl = bb.getInt();
            String head = new String(all, bb.position(), hl, StandardCharsets.UTF_8);
            bb.position(bb.position() + hl);
            Map<String, Object> header = (Map<String, Object>) Json.parse(head);
            int count = bb.getInt();
            Map<String, Object> arrays = new LinkedHashMap<>();
            for (int a = 0; a < count; a++) {
                int nl = bb.getShort() & 0xffff;
                String name = new String(all, bb.position(), nl, StandardCharsets.UTF_8);
                bb.position(bb.position() + nl);
                int dtype = bb.get();
                int n = bb.getInt();
                if (n < 0) throw new IllegalArgumentException("negative length");
                if (dtype == 1) {
                    float[] v = new float[n];
                    bb.asFloatBuffer().get(v);
                    bb.position(bb.position() + 4 * n);
                    arrays.put(name, v);
                } else if (dtype == 2) {
                    int[] v = new int[n];
                    bb.asIntBuffer().get(v);
                    bb.position(bb.position() + 4 * n);
                    arrays.put(name, v);
                } else if (dtype == 3) {
                    long[] v = new long[n];
                    bb.asLongBuffer().get(v);
                    bb.position(bb.position() + 8 * n);
                    arrays.put(name, v);
                } else {
                    throw new IllegalArgumentException("unknown dtype " + dtype + " of array '" + name + "'");
                }
            }
            return new Container(header, arrays);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": malformed " + what + " file body (" + e.getMessage() + ")");
        }
    }

    /** A float array that must exist with the given length. */
    public float[] floats(String name, int length, Path file) {
        return floats(name, length, file.toString());
    }

    /** A float array that must exist with the given length; {@code file} names the source in messages. */
    public float[] floats(String name, int length, String file) {
        Object v = arrays.get(name);
        if (!(v instanceof float[])) throw new IllegalArgumentException(file + ": missing float array '" + name + "'");
        float[] a = (float[]) v;
        if (length >= 0 && a.length != length) throw new IllegalArgumentException(file + ": array '" + name + "' has " + a.length + " values, expected " + length);
        return a;
    }

    /** An int array that must exist with the given length (-1: any). */
    public int[] ints(String name, int length, Path file) {
        return ints(name, length, file.toString());
    }

    /** An int array that must exist with the given length (-1: any); {@code file} names the source in messages. */
    public int[] ints(String name, int length, String file) {
        Object v = arrays.get(name);
        if (!(v instanceof int[])) throw new IllegalArgumentException(file + ": missing int array '" + name + "'");
        int[] a = (int[]) v;
        if (length >= 0 && a.length != length) throw new IllegalArgumentException(file + ": array '" + name + "' has " + a.length + " values, expected " + length);
        return a;
    }

    static byte[] sha256(byte[] data, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
