package org.myelin.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A reader of the HDF5 files that h5py and PyTables write, in pure Java.
 *
 * <p>Coverage: superblock versions 0–3; object headers v1 and v2 (with continuation blocks);
 * groups as symbol tables (v1 B-tree and local heap) or compact link messages; datasets with
 * compact, contiguous or chunked storage, chunks indexed by a v1 B-tree, or (layout message v4,
 * h5py's {@code libver='latest'}) a single chunk, implicit index, unpaged fixed array or (for
 * one-dimensional datasets) an extensible array with unpaged data blocks; the
 * deflate, shuffle and Fletcher-32 filters; fixed-point numbers of 1, 2, 4 or 8 bytes, signed or
 * not, and IEEE floats of 2, 4 or 8 bytes, in either byte order; fixed-length strings; and
 * variable-length sequences and strings held in the global heap. Everything else (dense link
 * storage, the v2 B-tree chunk index, paged arrays, compound and other types, other
 * filters, external storage, soft and external links) is refused with a one-line
 * {@link FormatError} naming the file, the object and the feature.
 *
 * <p>Every address and size read from the file is checked against the file's length before it is
 * used, every traversal visits a node at most once, and no array is allocated larger than the
 * file could hold (times the largest deflate ratio, 1,032), so a damaged file gives a
 * {@link FormatError}, never a hang, an out-of-memory error or an exception from inside.
 *
 * <p>Random access through a {@link FileChannel}: a file larger than memory can be read a dataset,
 * or a variable-length sequence, at a time.
 */
public final class Hdf5 implements Closeable {
    /** A malformed or unsupported HDF5 file: the message is one line naming the file. */
    public static final class FormatError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        FormatError(String message) {
            super(message);
        }
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final long UNDEF = -1L;
    /** zlib cannot expand data more than about 1,032 times. */
    private static final long MAX_RATIO = 1032;
    private static final int MAX_DEPTH = 64;

    private final String name;
    private final FileChannel ch;
    private final long fileSize;
    private int sizeOfOffsets;
    private int sizeOfLengths;
    private long base;
    private long rootHeader;
    /** Global heap collections read so far (a few, most recent last). */
    private final Map<Long, Heap> heapCache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Heap> e) {
            return size() > 8;
        }
    };

    private Hdf5(Path file, FileChannel ch, long size) {
        this.name = file.toString();
        this.ch = ch;
        this.fileSize = size;
    }

    /** Opens a file and reads its superblock. */
    public static Hdf5 open(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FormatError(file + ": is a folder, not an HDF5 file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such HDF5 file");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        Hdf5 h = new Hdf5(file, ch, ch.size());
        try {
            h.readSuperblock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return h;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    FormatError bad(String what) {
        return new FormatError(name + ": " + what);
    }

    FormatError bad(String object, String what) {
        return new FormatError(name + ": " + object + ": " + what);
    }

    // ---------------------------------------------------------------- raw access

    /** A bounds-checked little-endian cursor over bytes read from the file. */
    final class Cur {
        final byte[] b;
        int pos;
        final int end;
        final String what;

        Cur(byte[] b, int pos, int end, String what) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.what = what;
        }

        void need(long n) {
            if (n < 0 || pos + n > end) throw bad(what, "truncated (needs " + n + " more bytes at byte " + pos + " of " + end + ")");
        }

        int u8() {
            need(1);
            return b[pos++] & 0xff;
        }

        int u16() {
            need(2);
            int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
            pos += 2;
            return v;
        }

        long u32() {
            need(4);
            long v = uint(b, pos, 4);
            pos += 4;
            return v;
        }

        /** An unsigned integer of n bytes; values that do not fit in 63 bits give -1 (undefined). */
        long un(int n) {
            need(n);
            long v = uint(b, pos, n);
            pos += n;
            return v;
        }

        long offset() {
            return un(sizeOfOffsets);
        }

        long length() {
            return un(sizeOfLengths);
        }

        void skip(long n) {
            need(n);
            pos += (int) n;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        Cur sub(int n, String w) {
            need(n);
            Cur c = new Cur(b, pos, pos + n, w);
            pos += n;
            return c;
        }
    }

    /** Unsigned little-endian integer of n ≤ 8 bytes; a value with the top bit set (or all ones) is -1. */
    static long uint(byte[] b, int p, int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) v = v << 8 | (b[p + k] & 0xff);
        if (n == 8 && v < 0) return UNDEF;
        if (n < 8 && v == (1L << (8 * n)) - 1) return UNDEF;
        return v;
    }

    /** Reads {@code len} bytes at a file position (not relative to the base address). */
    byte[] readAbs(long pos, long len, String what) throws IOException {
        if (pos < 0 || len < 0 || pos > fileSize || len > fileSize - pos) {
            throw bad(what, "points outside the file (" + len + " bytes at " + pos + ", file has " + fileSize + ")");
        }
        if (len > Integer.MAX_VALUE - 16) throw bad(what, "too large (" + len + " bytes)");
        byte[] out = new byte[(int) len];
        ByteBuffer bb = ByteBuffer.wrap(out);
        long p = pos;
        while (bb.hasRemaining()) {
            int r = ch.read(bb, p);
            if (r < 0) throw bad(what, "file ends early at byte " + p);
            p += r;
        }
        return out;
    }

    /** Reads {@code len} bytes at an address (relative to the base address). */
    byte[] read(long addr, long len, String what) throws IOException {
        if (addr == UNDEF) throw bad(what, "undefined address");
        return readAbs(base + addr, len, what);
    }

    /** A cursor over {@code len} bytes at an address, or as many as the file holds (at least {@code min}). */
    Cur cur(long addr, long len, long min, String what) throws IOException {
        if (addr == UNDEF || addr < 0) throw bad(what, "undefined address");
        long avail = fileSize - base - addr;
        if (avail < min) throw bad(what, "points outside the file (address " + addr + ", file has " + fileSize + " bytes)");
        byte[] b = read(addr, Math.min(len, avail), what);
        return new Cur(b, 0, b.length, what);
    }

    // ---------------------------------------------------------------- superblock

    private void readSuperblock() throws IOException {
        long at = -1;
        for (long p = 0; p + 8 <= fileSize; p = p == 0 ? 512 : p * 2) {
            byte[] sig = readAbs(p, 8, "superblock");
            if (Arrays.equals(sig, SIGNATURE)) {
                at = p;
                break;
            }
        }
        if (at < 0) throw bad("not an HDF5 file (no signature at byte 0, 512, 1024, ...)");
        byte[] head = readAbs(at, Math.min(fileSize - at, 256), "superblock");
        Cur c = new Cur(head, 8, head.length, "superblock");
        int version = c.u8();
        if (version == 0 || version == 1) {
            c.skip(4); // free-space, root symbol table, reserved, shared header versions
            sizeOfOffsets = c.u8();
            sizeOfLengths = c.u8();
            checkSizes();
            c.skip(1);
            c.skip(4); // group leaf and internal node K
            c.skip(4); // consistency flags
            if (version == 1) c.skip(4);
            long baseAddr = c.offset();
            c.offset(); // free space
            c.offset(); // end of file
            c.offset(); // driver info
            base = baseAddr == UNDEF ? at : baseAddr;
            if (base < 0 || base > fileSize) throw bad("superblock", "base address " + baseAddr + " is outside the file");
            c.offset(); // link name offset
            rootHeader = c.offset();
        } else if (version == 2 || version == 3) {
            sizeOfOffsets = c.u8();
            sizeOfLengths = c.u8();
            checkSizes();
            c.skip(1);
            long baseAddr = c.offset();
            c.offset(); // superblock extension
            c.offset(); // end of file
            rootHeader = c.offset();
            int sumEnd = c.pos;
            long sum = c.u32();
            if (lookup3(head, 0, sumEnd) != sum) throw bad("superblock", "checksum mismatch");
            base = baseAddr == UNDEF ? at : baseAddr;
            if (base < 0 || base > fileSize) throw bad("superblock", "base address " + baseAddr + " is outside the file");
        } else {
            throw bad("superblock", "version " + version + " is not supported (0-3)");
        }
        if (rootHeader == UNDEF) throw bad("superblock", "no root group");
    }

    private void checkSizes() {
        if (!(sizeOfOffsets == 2 || sizeOfOffsets == 4 || sizeOfOffsets == 8)) throw bad("superblock", "size of offsets " + sizeOfOffsets + " is not 2, 4 or 8");
        if (!(sizeOfLengths == 2 || sizeOfLengths == 4 || sizeOfLengths == 8)) throw bad("superblock", "size of lengths " + sizeOfLengths + " is not 2, 4 or 8");
    }

    /** Bob Jenkins' lookup3 hashlittle with seed 0, HDF5's metadata checksum. */
    static long lookup3(byte[] k, int off, int length) {
        int a, b, c;
        a = b = c = 0xdeadbeef + length;
        int p = off;
        int n = length;
        while (n > 12) {
            a += le32(k, p);
            b += le32(k, p + 4);
            c += le32(k, p + 8);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            n -= 12;
            p += 12;
        }
        if (n == 0) return c & 0xffffffffL;
        byte[] t = new byte[12];
        System.arraycopy(k, p, t, 0, n);
        a += le32(t, 0);
        b += le32(t, 4);
        c += le32(t, 8);
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c & 0xffffffffL;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    // ---------------------------------------------------------------- object headers

    /** One header message: its type and body. */
    static final class Msg {
        final int type;
        final Cur body;

        Msg(int type, Cur body) {
            this.type = type;
            this.body = body;
        }
    }

    /** The messages of the object header at an address (continuations followed once each). */
    List<Msg> messages(long addr, String obj) throws IOException {
        List<Msg> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        seen.add(addr);
        Cur first = cur(addr, 16, 4, obj + " object header");
        boolean v2 = first.b.length >= 4 && first.b[0] == 'O' && first.b[1] == 'H' && first.b[2] == 'D' && first.b[3] == 'R';
        List<long[]> blocks = new ArrayList<>();
        if (v2) {
            Cur c = cur(addr, 4 + 1 + 1 + 16 + 4 + 8, 6, obj + " object header");
            c.skip(4);
            int version = c.u8();
            if (version != 2) throw bad(obj, "object header version " + version + " is not supported");
            int flags = c.u8();
            if ((flags & 0x20) != 0) c.skip(16);
            if ((flags & 0x10) != 0) c.skip(4);
            int sizeBytes = 1 << (flags & 3);
            long chunk = c.un(sizeBytes);
            if (chunk == UNDEF || chunk > fileSize) throw bad(obj, "object header size " + chunk + " is impossible");
            int start = c.pos;
            Cur body = cur(addr, start + chunk + 4, start + chunk + 4, obj + " object header");
            checkSum(body.b, (int) (start + chunk), obj + " object header");
            body.pos = start;
            parseV2(new Cur(body.b, start, (int) (start + chunk), obj + " object header"), (flags & 4) != 0, out, blocks);
            readContinuations(blocks, out, seen, obj, true, (flags & 4) != 0);
        } else {
            int version = first.u8();
            if (version != 1) throw bad(obj, "object header version " + version + " is not supported (not an object header?)");
            first.skip(1);
            first.u16(); // message count: the blocks' bytes bound the list instead
            first.u32(); // reference count
            long size = first.u32();
            Cur body = cur(addr + 16, size, size, obj + " object header");
            parseV1(body, out, blocks);
            readContinuations(blocks, out, seen, obj, false, false);
        }
        return out;
    }

    private void readContinuations(List<long[]> blocks, List<Msg> out, Set<Long> seen, String obj, boolean v2, boolean order) throws IOException {
        for (int k = 0; k < blocks.size(); k++) {
            long a = blocks.get(k)[0];
            long len = blocks.get(k)[1];
            if (!seen.add(a)) throw bad(obj, "object header continuation loops back to " + a);
            if (seen.size() > 10_000) throw bad(obj, "too many object header continuation blocks");
            Cur c = cur(a, len, len, obj + " object header continuation");
            if (v2) {
                if (len < 8 || c.b[0] != 'O' || c.b[1] != 'C' || c.b[2] != 'H' || c.b[3] != 'K') throw bad(obj, "object header continuation block has no OCHK signature");
                checkSum(c.b, (int) len - 4, obj + " object header continuation");
                parseV2(new Cur(c.b, 4, (int) len - 4, c.what), order, out, blocks);
            } else {
                parseV1(c, out, blocks);
            }
        }
    }

    private void checkSum(byte[] b, int end, String what) {
        if (end < 0 || end + 4 > b.length) throw bad(what, "truncated");
        long stored = uint(b, end, 4);
        long want = lookup3(b, 0, end);
        if (stored != want && !(stored == UNDEF && want == 0xffffffffL)) throw bad(what, "checksum mismatch");
    }

    private void parseV1(Cur c, List<Msg> out, List<long[]> blocks) {
        while (c.end - c.pos >= 8) {
            int type = c.u16();
            int size = c.u16();
            c.skip(4);
            if (size > c.end - c.pos) throw bad(c.what, "message of type " + type + " runs past the header (" + size + " bytes)");
            Cur body = c.sub(size, c.what);
            addMessage(type, body, out, blocks);
        }
    }

    private void parseV2(Cur c, boolean order, List<Msg> out, List<long[]> blocks) {
        int head = order ? 6 : 4;
        while (c.end - c.pos >= head) {
            int type = c.u8();
            int size = c.u16();
            c.skip(1);
            if (order) c.skip(2);
            if (size > c.end - c.pos) throw bad(c.what, "message of type " + type + " runs past the header (" + size + " bytes)");
            Cur body = c.sub(size, c.what);
            addMessage(type, body, out, blocks);
        }
    }

    private void addMessage(int type, Cur body, List<Msg> out, List<long[]> blocks) {
        if (type == 0x10) {
            long a = body.offset();
            long len = body.length();
            if (a == UNDEF || len == UNDEF || len < 0) throw bad(body.what, "bad continuation message");
            blocks.add(new long[] {a, len});
        } else if (type != 0) {
            out.add(new Msg(type, body));
        }
    }

    // ---------------------------------------------------------------- groups

    /** The object header address of the object at a '/'-separated path, or -1 when absent. */
    long locate(String path) throws IOException {
        long addr = rootHeader;
        String at = "/";
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            Map<String, Long> links = links(addr, at);
            Long next = links.get(part);
            if (next == null) return -1;
            addr = next;
            at = at.equals("/") ? "/" + part : at + "/" + part;
        }
        return addr;
    }

    /** The names of the members of the group at a path, in the order stored. */
    public List<String> list(String path) throws IOException {
        long addr = locate(path);
        if (addr < 0) throw bad(path, "no such group");
        return new ArrayList<>(links(addr, path).keySet());
    }

    /** True when an object exists at the path. */
    public boolean exists(String path) throws IOException {
        return locate(path) >= 0;
    }

    /** The links of a group: name → object header address. */
    Map<String, Long> links(long addr, String obj) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        boolean group = false;
        for (Msg m : messages(addr, obj)) {
            Cur c = m.body;
            if (m.type == 0x11) {
                group = true;
                long btree = c.offset();
                long heap = c.offset();
                symbolTable(btree, heap, obj, out);
            } else if (m.type == 0x06) {
                group = true;
                link(c, obj, out);
            } else if (m.type == 0x02) {
                group = true;
                int version = c.u8();
                if (version != 0) throw bad(obj, "link info message version " + version + " is not supported");
                int flags = c.u8();
                if ((flags & 1) != 0) c.skip(8);
                long fheap = c.offset();
                if (fheap != UNDEF) throw bad(obj, "dense link storage (a group of many members, fractal heap) is not supported");
            }
        }
        if (!group) throw bad(obj, "is not a group");
        return out;
    }

    private void link(Cur c, String obj, Map<String, Long> out) {
        int version = c.u8();
        if (version != 1) throw bad(obj, "link message version " + version + " is not supported");
        int flags = c.u8();
        int type = (flags & 8) != 0 ? c.u8() : 0;
        if ((flags & 4) != 0) c.skip(8);
        if ((flags & 16) != 0) c.skip(1);
        long len = c.un(1 << (flags & 3));
        if (len == UNDEF || len > c.end - c.pos) throw bad(obj, "link name runs past its message");
        String n = new String(c.bytes((int) len), StandardCharsets.UTF_8);
        if (type == 0) {
            out.put(n, c.offset());
        } else {
            // Soft and external links are listed but cannot be followed.
            out.put(n, -2L - type);
        }
    }

    private void symbolTable(long btree, long heap, String obj, Map<String, Long> out) throws IOException {
        Cur h = cur(heap, 8 + 2 * sizeOfLengths + sizeOfOffsets, 8 + 2 * sizeOfLengths + sizeOfOffsets, obj + " local heap");
        if (h.b[0] != 'H' || h.b[1] != 'E' || h.b[2] != 'A' || h.b[3] != 'P') throw bad(obj, "local heap has no HEAP signature");
        h.skip(8);
        long dataSize = h.length();
        h.length();
        long dataAddr = h.offset();
        if (dataSize == UNDEF) throw bad(obj, "local heap size is undefined");
        byte[] names = read(dataAddr, dataSize, obj + " local heap");
        Set<Long> seen = new HashSet<>();
        groupNode(btree, -1, names, obj, out, seen, 0);
    }

    /**
     * Reads and checks the header of the version-1 B-tree node at {@code addr} ({@code what}: "group"
     * for node type 0, "chunk" for type 1): visited once, within the depth bound, the TREE signature,
     * the node type, and the level the parent expects (any when {@code wantLevel} < 0). Returns
     * {level, entries used}.
     */
    private int[] btreeNode(long addr, int type, int wantLevel, String obj, String what, Set<Long> seen, int depth) throws IOException {
        if (!seen.add(addr)) throw bad(obj, what + " B-tree visits node " + addr + " twice");
        if (depth > MAX_DEPTH) throw bad(obj, what + " B-tree deeper than " + MAX_DEPTH);
        Cur c = cur(addr, 8 + 2 * sizeOfOffsets, 8 + 2 * sizeOfOffsets, obj + " " + what + " B-tree");
        if (c.b[0] != 'T' || c.b[1] != 'R' || c.b[2] != 'E' || c.b[3] != 'E') throw bad(obj, what + " B-tree node has no TREE signature");
        c.skip(4);
        int t = c.u8();
        int level = c.u8();
        int used = c.u16();
        if (t != type) throw bad(obj, what + " B-tree node has type " + t + ", not " + type);
        if (wantLevel >= 0 && level != wantLevel) throw bad(obj, what + " B-tree levels are inconsistent");
        return new int[] {level, used};
    }

    private void groupNode(long addr, int wantLevel, byte[] names, String obj, Map<String, Long> out, Set<Long> seen, int depth) throws IOException {
        int[] h = btreeNode(addr, 0, wantLevel, obj, "group", seen, depth);
        int level = h[0], used = h[1];
        long size = 8 + 2L * sizeOfOffsets + (long) used * (sizeOfLengths + sizeOfOffsets) + sizeOfLengths;
        Cur c = cur(addr, size, size, obj + " group B-tree");
        c.skip(8 + 2L * sizeOfOffsets);
        for (int k = 0; k < used; k++) {
            c.length();
            long child = c.offset();
            if (level > 0) {
                groupNode(child, level - 1, names, obj, out, seen, depth + 1);
            } else {
                symbolNode(child, names, obj, out, seen);
            }
        }
    }

    private void symbolNode(long addr, byte[] names, String obj, Map<String, Long> out, Set<Long> seen) throws IOException {
        if (!seen.add(addr)) throw bad(obj, "group B-tree names symbol node " + addr + " twice");
        Cur c = cur(addr, 8, 8, obj + " symbol table node");
        if (c.b[0] != 'S' || c.b[1] != 'N' || c.b[2] != 'O' || c.b[3] != 'D') throw bad(obj, "symbol table node has no SNOD signature");
        c.skip(6);
        int n = c.u16();
        int entry = 2 * sizeOfOffsets + 24;
        c = cur(addr + 8, (long) n * entry, (long) n * entry, obj + " symbol table node");
        for (int k = 0; k < n; k++) {
            long nameOff = c.offset();
            long header = c.offset();
            long cache = c.u32();
            c.skip(20);
            if (cache == 2) header = -3; // a soft link: listed, not followed
            if (nameOff == UNDEF || nameOff >= names.length) throw bad(obj, "link name offset " + nameOff + " is outside the local heap");
            int e = (int) nameOff;
            while (e < names.length && names[e] != 0) e++;
            out.put(new String(names, (int) nameOff, e - (int) nameOff, StandardCharsets.UTF_8), header);
        }
    }

    // ---------------------------------------------------------------- datatypes

    /** A datatype: class 0 fixed-point, 1 float, 3 string, 9 variable-length. */
    static final class Type {
        final int cls;
        final int size;
        final boolean bigEndian;
        final boolean signed;
        /** Variable-length: true for a string, false for a sequence of {@link #base}. */
        final boolean vlenString;
        final Type base;

        Type(int cls, int size, boolean bigEndian, boolean signed, boolean vlenString, Type base) {
            this.cls = cls;
            this.size = size;
            this.bigEndian = bigEndian;
            this.signed = signed;
            this.vlenString = vlenString;
            this.base = base;
        }

        String describe() {
            switch (cls) {
                case 0: return (signed ? "int" : "uint") + 8 * size;
                case 1: return "float" + 8 * size;
                case 3: return "string" + size;
                default: return vlenString ? "vlen string" : "vlen " + base.describe();
            }
        }
    }

    private static final String[] CLASS_NAMES = {"fixed-point", "floating-point", "time", "string", "bitfield", "opaque", "compound", "reference", "enumerated", "variable-length", "array"};

    Type type(Cur c, String obj, int depth) {
        if (depth > 4) throw bad(obj, "datatype nested too deeply");
        int cv = c.u8();
        int cls = cv & 15;
        int version = cv >> 4;
        int f0 = c.u8();
        int f1 = c.u8();
        c.u8();
        long size = c.u32();
        if (version < 1 || version > 4) throw bad(obj, "datatype version " + version + " is not supported");
        String cname = cls < CLASS_NAMES.length ? CLASS_NAMES[cls] : "class " + cls;
        switch (cls) {
            case 0: {
                if (!(size == 1 || size == 2 || size == 4 || size == 8)) throw bad(obj, "integers of " + size + " bytes are not supported");
                int off = c.u16();
                int prec = c.u16();
                if (off != 0 || prec != 8 * size) throw bad(obj, "integers with bit offset " + off + " and precision " + prec + " are not supported");
                return new Type(0, (int) size, (f0 & 1) != 0, (f0 & 8) != 0, false, null);
            }
            case 1: {
                if ((f0 & 0x40) != 0) throw bad(obj, "VAX byte order is not supported");
                int off = c.u16();
                int prec = c.u16();
                int eloc = c.u8();
                int esize = c.u8();
                int mloc = c.u8();
                int msize = c.u8();
                long bias = c.u32();
                boolean ieee = off == 0 && prec == 8 * size && mloc == 0
                        && (size == 2 && eloc == 10 && esize == 5 && msize == 10 && bias == 15
                            || size == 4 && eloc == 23 && esize == 8 && msize == 23 && bias == 127
                            || size == 8 && eloc == 52 && esize == 11 && msize == 52 && bias == 1023);
                if (!ieee) throw bad(obj, "floating-point type of " + size + " bytes is not IEEE half, single or double");
                return new Type(1, (int) size, (f0 & 1) != 0, true, false, null);
            }
            case 3:
                if (size < 1 || size > 1 << 20) throw bad(obj, "string of " + size + " bytes");
                return new Type(3, (int) size, false, false, false, null);
            case 9: {
                int kind = f0 & 15;
                if (kind > 1) throw bad(obj, "variable-length type kind " + kind + " is not supported");
                Type b = type(c, obj, depth + 1);
                if (kind == 0 && b.cls != 0 && b.cls != 1) throw bad(obj, "variable-length sequences of " + b.describe() + " are not supported");
                if (size != 4 + sizeOfOffsets + 4) throw bad(obj, "variable-length element of " + size + " bytes (expected " + (8 + sizeOfOffsets) + ")");
                return new Type(9, (int) size, false, false, kind == 1, b);
            }
            default:
                throw bad(obj, cname + " datatypes are not supported");
        }
    }

    // ---------------------------------------------------------------- datasets

    /** A dataset's shape and type, and its values on request. */
    public final class Data {
        public final String path;
        final long[] shape;
        final Type type;
        final long header;
        private byte[] raw;

        Data(String path, long[] shape, Type type, long header) {
            this.path = path;
            this.shape = shape;
            this.type = type;
            this.header = header;
        }

        /** The dimensions (empty for a scalar). */
        public long[] shape() {
            return shape.clone();
        }

        /** The element type in words: int16, uint8, float16, float64, string12, vlen float16, vlen string, ... */
        public String type() {
            return type.describe();
        }

        /** The number of elements. */
        public long count() {
            long n = 1;
            for (long s : shape) n *= s;
            return n;
        }

        private byte[] raw() throws IOException {
            if (raw == null) raw = readRaw(this);
            return raw;
        }

        /** The values of a numeric dataset, as doubles (exact for integers below 2^53). */
        public double[] doubles() throws IOException {
            if (type.cls != 0 && type.cls != 1) throw bad(path, type.describe() + " is not numeric");
            byte[] r = raw();
            int n = (int) count();
            double[] out = new double[n];
            decode(r, 0, type, n, out);
            return out;
        }

        /** The values of an integer dataset (unsigned 64-bit values above 2^63 are refused). */
        public long[] longs() throws IOException {
            if (type.cls != 0) throw bad(path, type.describe() + " is not an integer type");
            byte[] r = raw();
            int n = (int) count();
            long[] out = new long[n];
            for (int k = 0; k < n; k++) {
                out[k] = integer(r, k * type.size, type);
                if (!type.signed && type.size == 8 && out[k] < 0) throw bad(path, "value " + k + " does not fit in 63 bits");
            }
            return out;
        }

        /** The values of a string dataset (fixed-length or variable-length), trailing NULs and spaces removed. */
        public String[] strings() throws IOException {
            byte[] r = raw();
            int n = (int) count();
            String[] out = new String[n];
            if (type.cls == 3) {
                for (int k = 0; k < n; k++) out[k] = text(r, k * type.size, type.size);
            } else if (type.cls == 9 && type.vlenString) {
                for (int k = 0; k < n; k++) {
                    byte[] b = vlenBytes(r, k, 1);
                    out[k] = text(b, 0, b.length);
                }
            } else {
                throw bad(path, type.describe() + " is not a string type");
            }
            return out;
        }

        /** Element {@code i} of a variable-length sequence dataset, its values as doubles. */
        public double[] sequence(long i) throws IOException {
            if (type.cls != 9 || type.vlenString) throw bad(path, type.describe() + " is not a variable-length sequence");
            if (i < 0 || i >= count()) throw bad(path, "no element " + i + " (" + count() + " elements)");
            byte[] b = vlenBytes(raw(), (int) i, type.base.size);
            int n = b.length / type.base.size;
            double[] out = new double[n];
            decode(b, 0, type.base, n, out);
            return out;
        }

        private byte[] vlenBytes(byte[] r, int k, int elem) throws IOException {
            Cur c = new Cur(r, k * type.size, k * type.size + type.size, path + " element " + k);
            long len = c.u32();
            long coll = c.offset();
            long idx = c.u32();
            if (len == 0) return new byte[0];
            return heapObject(coll, idx, len * elem, path + " element " + k);
        }
    }

    static String text(byte[] b, int off, int n) {
        int e = off + n;
        while (e > off && (b[e - 1] == 0 || b[e - 1] == ' ')) e--;
        int z = off;
        while (z < e && b[z] != 0) z++;
        return new String(b, off, z - off, StandardCharsets.UTF_8);
    }

    static long integer(byte[] b, int p, Type t) {
        return integer(b, p, t.size, t.bigEndian, t.signed);
    }

    static long integer(byte[] b, int p, int size, boolean bigEndian, boolean signed) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int by = b[p + (bigEndian ? k : size - 1 - k)] & 0xff;
            v = v << 8 | by;
        }
        if (signed && size < 8) {
            int shift = 64 - 8 * size;
            v = v << shift >> shift;
        }
        return v;
    }

    static void decode(byte[] b, int off, Type t, int n, double[] out) {
        for (int k = 0; k < n; k++) {
            int p = off + k * t.size;
            long bits = integer(b, p, t.size, t.bigEndian, t.cls == 0 && t.signed);
            if (t.cls == 0) {
                out[k] = !t.signed && t.size == 8 && bits < 0 ? (double) (bits >>> 1) * 2.0 + (bits & 1) : (double) bits;
            } else if (t.size == 8) {
                out[k] = Double.longBitsToDouble(bits);
            } else if (t.size == 4) {
                out[k] = Float.intBitsToFloat((int) bits);
            } else {
                out[k] = half((int) bits);
            }
        }
    }

    /** IEEE binary16 bits to a float (exact: every half is a float). */
    static float half(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1f;
        int man = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = man * 0x1p-24f;
        } else if (exp == 31) {
            v = man == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat((exp - 15 + 127) << 23 | man << 13);
        }
        return sign == 1 ? -v : v;
    }

    /** A global heap collection and where each of its objects lies: index → {start, size}. */
    static final class Heap {
        final byte[] b;
        final Map<Integer, long[]> objects = new java.util.HashMap<>();

        Heap(byte[] b) {
            this.b = b;
        }
    }

    /** The bytes of one object of a global heap collection; exactly {@code want} bytes. */
    byte[] heapObject(long coll, long idx, long want, String obj) throws IOException {
        Heap h = heapCache.get(coll);
        if (h == null) {
            Cur c = cur(coll, 8 + sizeOfLengths, 8 + sizeOfLengths, obj + " global heap");
            if (c.b[0] != 'G' || c.b[1] != 'C' || c.b[2] != 'O' || c.b[3] != 'L') throw bad(obj, "global heap collection has no GCOL signature");
            c.skip(8);
            long size = c.length();
            if (size == UNDEF || size < 8 + sizeOfLengths) throw bad(obj, "global heap collection size " + size + " is impossible");
            h = new Heap(read(coll, size, obj + " global heap"));
            Cur o = new Cur(h.b, 8 + sizeOfLengths, h.b.length, obj + " global heap");
            while (o.end - o.pos >= 8 + sizeOfLengths) {
                int index = o.u16();
                o.skip(6);
                long osize = o.length();
                if (index == 0) break;
                if (osize == UNDEF || osize > o.end - o.pos) throw bad(obj, "global heap object " + index + " runs past its collection");
                h.objects.put(index, new long[] {o.pos, osize});
                long padded = (osize + 7) & ~7L;
                o.skip(Math.min(padded, o.end - o.pos));
            }
            heapCache.put(coll, h);
        }
        long[] at = h.objects.get((int) Math.min(idx, Integer.MAX_VALUE));
        if (at == null) throw bad(obj, "global heap object " + idx + " not found in collection " + coll);
        if (at[1] < want) throw bad(obj, "global heap object " + idx + " holds " + at[1] + " bytes, " + want + " needed");
        return Arrays.copyOfRange(h.b, (int) at[0], (int) (at[0] + want));
    }

    /** The dataset at a path. */
    public Data dataset(String path) throws IOException {
        long addr = locate(path);
        if (addr == -1) throw bad(path, "no such dataset");
        if (addr < -1) throw bad(path, "is a soft or external link, which this reader does not follow");
        long[] shape = null;
        Type type = null;
        boolean layout = false;
        for (Msg m : messages(addr, path)) {
            if (m.type == 0x01) shape = dataspace(new Cur(m.body.b, m.body.pos, m.body.end, path + " dataspace"), path);
            else if (m.type == 0x03) type = type(new Cur(m.body.b, m.body.pos, m.body.end, path + " datatype"), path, 0);
            else if (m.type == 0x08) layout = true;
        }
        if (shape == null || type == null || !layout) throw bad(path, "is not a dataset");
        long n = 1;
        for (long s : shape) {
            if (s > Integer.MAX_VALUE) throw bad(path, "has more than 2^31 elements " + Arrays.toString(shape));
            n *= s;
            if (n > Integer.MAX_VALUE) throw bad(path, "has more than 2^31 elements " + Arrays.toString(shape));
        }
        return new Data(path, shape, type, addr);
    }

    private long[] dataspace(Cur c, String obj) {
        int version = c.u8();
        int rank = c.u8();
        int flags = c.u8();
        if (rank > 32) throw bad(obj, "dataspace of rank " + rank);
        boolean nul = false;
        if (version == 1) {
            c.skip(5);
        } else if (version == 2) {
            int t = c.u8();
            if (t == 2) nul = true;
            else if (t > 2) throw bad(obj, "dataspace type " + t + " is not supported");
        } else {
            throw bad(obj, "dataspace version " + version + " is not supported");
        }
        long[] s = new long[rank];
        for (int k = 0; k < rank; k++) {
            s[k] = c.length();
            if (s[k] < 0) throw bad(obj, "dimension " + k + " is undefined");
        }
        if ((flags & 1) != 0) for (int k = 0; k < rank; k++) c.length();
        if (nul) throw bad(obj, "has a null dataspace (no data)");
        return s;
    }

    /** The filter pipeline: ids and client values, in order of application on write. */
    private int[][] filters(Cur c, String obj) {
        int version = c.u8();
        int n = c.u8();
        if (n > 32) throw bad(obj, n + " filters");
        if (version == 1) c.skip(6);
        else if (version != 2) throw bad(obj, "filter pipeline version " + version + " is not supported");
        int[][] out = new int[n][];
        for (int k = 0; k < n; k++) {
            int id = c.u16();
            int nameLen = version == 1 || id >= 256 ? c.u16() : 0;
            c.u16(); // flags
            int nv = c.u16();
            if (version == 1) c.skip((nameLen + 7) & ~7);
            else c.skip(nameLen);
            int[] f = new int[1 + nv];
            f[0] = id;
            for (int v = 0; v < nv; v++) f[1 + v] = (int) c.u32();
            if (version == 1 && nv % 2 == 1) c.skip(4);
            if (id != 1 && id != 2 && id != 3) {
                String fname = id == 4 ? "szip" : id == 5 ? "n-bit" : id == 6 ? "scale-offset" : id == 32000 ? "lzf" : id == 32001 ? "blosc" : "number " + id;
                throw bad(obj, "the " + fname + " filter is not supported (deflate, shuffle and fletcher32 are)");
            }
            out[k] = f;
        }
        return out;
    }

    /** Reads the raw bytes (file byte order) of a whole dataset, chunks assembled in C order. */
    byte[] readRaw(Data d) throws IOException {
        String obj = d.path;
        int[][] filters = new int[0][];
        Cur lay = null;
        for (Msg m : messages(d.header, obj)) {
            if (m.type == 0x08) lay = new Cur(m.body.b, m.body.pos, m.body.end, obj + " layout");
            else if (m.type == 0x0B) filters = filters(new Cur(m.body.b, m.body.pos, m.body.end, obj + " filters"), obj);
            else if (m.type == 0x07) throw bad(obj, "external data storage is not supported");
        }
        if (lay == null) throw bad(obj, "has no layout message");
        long total = d.count() * d.type.size;
        long limit = Math.min(Integer.MAX_VALUE - 16L, fileSize * MAX_RATIO + 1024);
        if (total > limit) throw bad(obj, "claims " + total + " bytes, more than the file could hold");
        int rank = d.shape.length;
        int version = lay.u8();
        if (version < 1 || version > 4) throw bad(obj, "layout version " + version + " is not supported");
        if (version <= 2) {
            int dims = lay.u8();
            int cls = lay.u8();
            lay.skip(5);
            long addr = cls == 0 ? UNDEF : lay.offset();
            if (dims < 1 || dims > 33) throw bad(obj, "layout of rank " + dims);
            long[] cd = new long[dims];
            for (int k = 0; k < dims; k++) cd[k] = lay.u32();
            if (cls == 2) {
                lay.u32();
                return chunkedBtree(d, addr, Arrays.copyOf(cd, dims - 1), filters, (int) total);
            }
            if (cls == 1) return contiguous(obj, addr, total);
            if (cls == 0) {
                long size = lay.u32();
                return compact(lay, obj, size, total);
            }
            throw bad(obj, "layout class " + cls + " is not supported");
        }
        int cls = lay.u8();
        if (cls == 0) {
            int size = lay.u16();
            return compact(lay, obj, size, total);
        }
        if (cls == 1) {
            long addr = lay.offset();
            lay.length();
            return contiguous(obj, addr, total);
        }
        if (cls == 3) throw bad(obj, "virtual dataset layout is not supported");
        if (cls != 2) throw bad(obj, "layout class " + cls + " is not supported");
        if (version == 3) {
            int dims = lay.u8();
            long addr = lay.offset();
            if (dims < 1 || dims > 33) throw bad(obj, "layout of rank " + dims);
            long[] cd = new long[dims];
            for (int k = 0; k < dims; k++) cd[k] = lay.u32();
            return chunkedBtree(d, addr, Arrays.copyOf(cd, dims - 1), filters, (int) total);
        }
        int flags = lay.u8();
        int dims = lay.u8();
        int enc = lay.u8();
        if (dims < 1 || dims > 33 || enc < 1 || enc > 8) throw bad(obj, "chunked layout of rank " + dims + " with " + enc + "-byte sizes");
        long[] cd = new long[dims];
        for (int k = 0; k < dims; k++) cd[k] = lay.un(enc);
        long[] chunk = Arrays.copyOf(cd, dims - 1);
        int index = lay.u8();
        checkChunkShape(d, chunk);
        switch (index) {
            case 1: {
                long size = -1;
                long mask = 0;
                if ((flags & 2) != 0) {
                    size = lay.length();
                    mask = lay.u32();
                }
                long addr = lay.offset();
                List<long[]> chunks = new ArrayList<>();
                long[] one = new long[3 + rank];
                one[0] = addr;
                one[1] = size < 0 ? chunkBytes(chunk, d.type.size) : size;
                one[2] = mask;
                chunks.add(one);
                return assemble(d, chunk, chunks, filters, (int) total);
            }
            case 2: {
                long addr = lay.offset();
                if (filters.length > 0) throw bad(obj, "implicit chunk index with filters");
                return implicit(d, chunk, addr, (int) total);
            }
            case 3: {
                lay.u8();
                long addr = lay.offset();
                return fixedArray(d, chunk, addr, filters, (int) total);
            }
            case 4: {
                lay.skip(5);
                long addr = lay.offset();
                return extensibleArray(d, chunk, addr, filters, (int) total);
            }
            case 5: throw bad(obj, "the v2 B-tree chunk index (h5py libver='latest', several unlimited dimensions) is not supported; rewrite the file with libver='earliest'");
            default: throw bad(obj, "chunk index type " + index + " is not supported");
        }
    }

    private byte[] compact(Cur lay, String obj, long size, long total) {
        if (size != total) throw bad(obj, "compact data holds " + size + " bytes, the shape needs " + total);
        return lay.bytes((int) size);
    }

    private byte[] contiguous(String obj, long addr, long total) throws IOException {
        if (total == 0) return new byte[0];
        if (addr == UNDEF) return new byte[(int) total]; // never written: the fill value, zero
        return read(addr, total, obj + " data");
    }

    private void checkChunkShape(Data d, long[] chunk) {
        if (d.shape.length == 0) throw bad(d.path, "a scalar cannot be chunked");
        if (chunk.length != d.shape.length) throw bad(d.path, "chunks of rank " + chunk.length + " for a dataset of rank " + d.shape.length);
        long n = 1;
        for (long c : chunk) {
            if (c < 1 || c > Integer.MAX_VALUE) throw bad(d.path, "chunk dimension " + c);
            n = Math.multiplyExact(n, c);
            if (n * d.type.size > Integer.MAX_VALUE - 16L || n * d.type.size > fileSize * MAX_RATIO + 1024) throw bad(d.path, "chunks of " + Arrays.toString(chunk) + " are too large");
        }
    }

    private static long chunkBytes(long[] chunk, int elem) {
        long n = elem;
        for (long c : chunk) n *= c;
        return n;
    }

    /** Chunks given by a v1 B-tree; each entry {address, stored size, filter mask, offsets...}. */
    private byte[] chunkedBtree(Data d, long root, long[] chunk, int[][] filters, int total) throws IOException {
        checkChunkShape(d, chunk);
        List<long[]> chunks = new ArrayList<>();
        if (root != UNDEF) chunkNode(d, root, -1, chunks, new HashSet<>(), 0);
        return assemble(d, chunk, chunks, filters, total);
    }

    private void chunkNode(Data d, long addr, int wantLevel, List<long[]> out, Set<Long> seen, int depth) throws IOException {
        String obj = d.path;
        int[] h = btreeNode(addr, 1, wantLevel, obj, "chunk", seen, depth);
        int level = h[0], used = h[1];
        int rank = d.shape.length;
        int key = 8 + 8 * (rank + 1);
        long size = 8 + 2L * sizeOfOffsets + (long) used * (key + sizeOfOffsets) + key;
        Cur c = cur(addr, size, size, obj + " chunk B-tree");
        c.skip(8 + 2L * sizeOfOffsets);
        for (int k = 0; k < used; k++) {
            long csize = c.u32();
            long mask = c.u32();
            long[] e = new long[3 + rank];
            for (int r = 0; r < rank; r++) e[3 + r] = c.un(8);
            c.skip(8);
            long child = c.offset();
            if (level > 0) {
                chunkNode(d, child, level - 1, out, seen, depth + 1);
            } else {
                e[0] = child;
                e[1] = csize;
                e[2] = mask;
                if (out.size() > 1 << 24) throw bad(obj, "too many chunks");
                out.add(e);
            }
        }
    }

    private byte[] implicit(Data d, long[] chunk, long addr, int total) throws IOException {
        List<long[]> chunks = new ArrayList<>();
        if (addr != UNDEF) {
            long[][] grid = grid(d, chunk);
            long bytes = chunkBytes(chunk, d.type.size);
            for (int i = 0; i < grid.length; i++) {
                long[] e = new long[3 + chunk.length];
                e[0] = addr + i * bytes;
                e[1] = bytes;
                System.arraycopy(grid[i], 0, e, 3, chunk.length);
                chunks.add(e);
            }
        }
        return assemble(d, chunk, chunks, new int[0][], total);
    }

    /** The offsets of every chunk of the grid in C order. */
    private long[][] grid(Data d, long[] chunk) {
        int rank = chunk.length;
        long[] n = new long[rank];
        long count = 1;
        for (int r = 0; r < rank; r++) {
            n[r] = (d.shape[r] + chunk[r] - 1) / chunk[r];
            count *= n[r];
            if (count > 1 << 24) throw bad(d.path, "too many chunks");
        }
        if (count > 1 << 24) throw bad(d.path, "too many chunks (" + count + ")");
        long[][] out = new long[(int) count][rank];
        for (int i = 0; i < count; i++) {
            long rest = i;
            for (int r = rank - 1; r >= 0; r--) {
                out[i][r] = (rest % n[r]) * chunk[r];
                rest /= n[r];
            }
        }
        return out;
    }

    private byte[] fixedArray(Data d, long[] chunk, long addr, int[][] filters, int total) throws IOException {
        String obj = d.path;
        List<long[]> chunks = new ArrayList<>();
        if (addr == UNDEF) return assemble(d, chunk, chunks, filters, total);
        int hsize = 4 + 4 + sizeOfLengths + sizeOfOffsets + 4;
        Cur h = cur(addr, hsize, hsize, obj + " fixed array index");
        if (h.b[0] != 'F' || h.b[1] != 'A' || h.b[2] != 'H' || h.b[3] != 'D') throw bad(obj, "fixed array index has no FAHD signature");
        checkSum(h.b, hsize - 4, obj + " fixed array index");
        h.skip(5);
        int client = h.u8();
        int entry = h.u8();
        int pageBits = h.u8();
        long max = h.length();
        long dblock = h.offset();
        long[][] grid = grid(d, chunk);
        if (max != grid.length) throw bad(obj, "fixed array holds " + max + " entries for " + grid.length + " chunks");
        boolean filtered = client == 1;
        if (filtered != (filters.length > 0)) throw bad(obj, "fixed array index client " + client + " disagrees with the filters");
        int want = filtered ? -1 : sizeOfOffsets;
        if (filtered ? entry <= sizeOfOffsets + 4 || entry > sizeOfOffsets + 12 : entry != want) throw bad(obj, "fixed array entries of " + entry + " bytes");
        if (pageBits > 30 || max > 1L << pageBits) throw bad(obj, "paged fixed array chunk index (more than 2^" + pageBits + " chunks) is not supported");
        if (dblock == UNDEF) return assemble(d, chunk, chunks, filters, total);
        long bsize = 6 + sizeOfOffsets + max * entry + 4;
        Cur b = cur(dblock, bsize, bsize, obj + " fixed array data block");
        if (b.b[0] != 'F' || b.b[1] != 'A' || b.b[2] != 'D' || b.b[3] != 'B') throw bad(obj, "fixed array data block has no FADB signature");
        checkSum(b.b, (int) bsize - 4, obj + " fixed array data block");
        b.skip(6 + sizeOfOffsets);
        for (int i = 0; i < max; i++) {
            long[] e = new long[3 + chunk.length];
            e[0] = b.offset();
            if (filtered) {
                e[1] = b.un(entry - sizeOfOffsets - 4);
                e[2] = b.u32();
            } else {
                e[1] = chunkBytes(chunk, d.type.size);
            }
            System.arraycopy(grid[i], 0, e, 3, chunk.length);
            if (e[0] != UNDEF) chunks.add(e);
        }
        return assemble(d, chunk, chunks, filters, total);
    }

    /**
     * Chunks indexed by an extensible array (h5py {@code libver='latest'}, one unlimited
     * dimension): elements in the index block, then data blocks addressed from the index block or
     * from secondary blocks; one-dimensional datasets, unpaged data blocks.
     */
    private byte[] extensibleArray(Data d, long[] chunk, long addr, int[][] filters, int total) throws IOException {
        String obj = d.path;
        String what = obj + " extensible array index";
        List<long[]> chunks = new ArrayList<>();
        if (addr == UNDEF) return assemble(d, chunk, chunks, filters, total);
        if (chunk.length != 1) throw bad(obj, "the extensible-array chunk index of a dataset of rank " + chunk.length + " is not supported");
        int hsize = 4 + 1 + 1 + 6 + 6 * sizeOfLengths + sizeOfOffsets + 4;
        Cur h = cur(addr, hsize, hsize, what);
        if (h.b[0] != 'E' || h.b[1] != 'A' || h.b[2] != 'H' || h.b[3] != 'D') throw bad(obj, "extensible array header has no EAHD signature");
        checkSum(h.b, hsize - 4, what);
        h.skip(5);
        int client = h.u8();
        int entry = h.u8();
        int maxBits = h.u8();
        int ibElems = h.u8();
        int dbMin = h.u8();
        int sbMinPtrs = h.u8();
        int pageBits = h.u8();
        for (int k = 0; k < 4; k++) h.length();
        long maxIndex = h.length();
        h.length();
        long iblock = h.offset();
        boolean filtered = client == 1;
        if (filtered != (filters.length > 0)) throw bad(obj, "extensible array client " + client + " disagrees with the filters");
        if (filtered ? entry <= sizeOfOffsets + 4 || entry > sizeOfOffsets + 12 : entry != sizeOfOffsets) throw bad(obj, "extensible array entries of " + entry + " bytes");
        if (maxBits < 1 || maxBits > 40 || pageBits > 30 || dbMin < 1 || Integer.bitCount(dbMin) != 1 || sbMinPtrs < 1
                || Integer.bitCount(sbMinPtrs) != 1) {
            throw bad(obj, "extensible array parameters are impossible");
        }
        long grid = (d.shape[0] + chunk[0] - 1) / chunk[0];
        if (maxIndex == UNDEF || maxIndex > grid) throw bad(obj, "extensible array sets " + maxIndex + " entries for " + grid + " chunks");
        if (iblock == UNDEF) return assemble(d, chunk, chunks, filters, total);
        int offSize = (maxBits + 7) / 8;
        int nsblks = 1 + maxBits - Integer.numberOfTrailingZeros(dbMin);
        int ibSblks = 2 * Integer.numberOfTrailingZeros(sbMinPtrs);
        int ibDblks = 2 * (sbMinPtrs - 1);
        int ibSblkAddrs = Math.max(0, nsblks - ibSblks);
        long isize = 4 + 1 + 1 + sizeOfOffsets + (long) ibElems * entry + (long) (ibDblks + ibSblkAddrs) * sizeOfOffsets + 4;
        Cur ib = cur(iblock, isize, isize, what);
        if (ib.b[0] != 'E' || ib.b[1] != 'A' || ib.b[2] != 'I' || ib.b[3] != 'B') throw bad(obj, "extensible array index block has no EAIB signature");
        checkSum(ib.b, (int) isize - 4, what);
        ib.skip(6 + sizeOfOffsets);
        long n = maxIndex;
        long i = 0;
        long bytes = chunkBytes(chunk, d.type.size);
        for (; i < Math.min(ibElems, n); i++) eaElement(ib, i, chunk, filtered, entry, bytes, chunks);
        ib.skip((ibElems - i) * (long) entry);
        long[] dblkAddr = new long[ibDblks];
        for (int k = 0; k < ibDblks; k++) dblkAddr[k] = ib.offset();
        long[] sblkAddr = new long[ibSblkAddrs];
        for (int k = 0; k < ibSblkAddrs; k++) sblkAddr[k] = ib.offset();
        long pageElems = 1L << pageBits;
        int dblk = 0;
        for (int u = 0; u < nsblks && i < n; u++) {
            long ndblks = 1L << (u / 2);
            long dnelm = (1L << ((u + 1) / 2)) * dbMin;
            if (dnelm > pageElems) throw bad(obj, "paged extensible array data blocks are not supported");
            long[] addrs;
            if (u < ibSblks) {
                addrs = new long[(int) ndblks];
                for (int k = 0; k < ndblks; k++) {
                    if (dblk >= ibDblks) throw bad(obj, "extensible array index block holds too few data blocks");
                    addrs[k] = dblkAddr[dblk++];
                }
            } else {
                long sa = sblkAddr[u - ibSblks];
                addrs = new long[(int) ndblks];
                if (sa == UNDEF) {
                    Arrays.fill(addrs, UNDEF);
                } else {
                    long ssize = 6 + sizeOfOffsets + offSize + ndblks * sizeOfOffsets + 4;
                    Cur sb = cur(sa, ssize, ssize, what);
                    if (sb.b[0] != 'E' || sb.b[1] != 'A' || sb.b[2] != 'S' || sb.b[3] != 'B') throw bad(obj, "extensible array secondary block has no EASB signature");
                    checkSum(sb.b, (int) ssize - 4, what);
                    sb.skip(6 + sizeOfOffsets + offSize);
                    for (int k = 0; k < ndblks; k++) addrs[k] = sb.offset();
                }
            }
            for (long a : addrs) {
                if (i >= n) break;
                long count = Math.min(dnelm, n - i);
                if (a == UNDEF) {
                    i += dnelm;
                    continue;
                }
                long dsize = 6 + sizeOfOffsets + offSize + dnelm * entry + 4;
                Cur db = cur(a, dsize, dsize, what);
                if (db.b[0] != 'E' || db.b[1] != 'A' || db.b[2] != 'D' || db.b[3] != 'B') throw bad(obj, "extensible array data block has no EADB signature");
                checkSum(db.b, (int) dsize - 4, what);
                db.skip(6 + sizeOfOffsets + offSize);
                for (long k = 0; k < count; k++) eaElement(db, i++, chunk, filtered, entry, bytes, chunks);
                i += dnelm - count;
            }
        }
        return assemble(d, chunk, chunks, filters, total);
    }

    private void eaElement(Cur c, long index, long[] chunk, boolean filtered, int entry, long bytes, List<long[]> out) {
        long[] e = new long[4];
        e[0] = c.offset();
        if (filtered) {
            e[1] = c.un(entry - sizeOfOffsets - 4);
            e[2] = c.u32();
        } else {
            e[1] = bytes;
        }
        e[3] = index * chunk[0];
        if (e[0] != UNDEF) out.add(e);
    }

    /** Copies each chunk's part that lies inside the dataset into a C-order array. */
    private byte[] assemble(Data d, long[] chunk, List<long[]> chunks, int[][] filters, int total) throws IOException {
        String obj = d.path;
        int rank = chunk.length;
        int elem = d.type.size;
        byte[] out = new byte[total];
        if (total == 0) return out;
        int cbytes = (int) chunkBytes(chunk, elem);
        long[] stride = new long[rank];
        long s = elem;
        for (int r = rank - 1; r >= 0; r--) {
            stride[r] = s;
            s *= d.shape[r];
        }
        Set<Long> done = new HashSet<>();
        for (long[] e : chunks) {
            long lin = 0;
            for (int r = 0; r < rank; r++) {
                long o = e[3 + r];
                if (o < 0 || o >= d.shape[r] || o % chunk[r] != 0) throw bad(obj, "chunk at offset " + o + " of dimension " + r + " does not fit the dataset");
                lin = lin * (d.shape[r] / chunk[r] + 2) + o / chunk[r];
            }
            if (!done.add(lin)) throw bad(obj, "two chunks at the same offsets");
            if (e[1] < 0 || e[1] > fileSize) throw bad(obj, "chunk of " + e[1] + " bytes is larger than the file");
            byte[] stored = read(e[0], e[1], obj + " chunk");
            byte[] data = unfilter(stored, filters, (int) e[2], cbytes, elem, obj);
            // Copy rows along the last dimension.
            long rowLen = Math.min(chunk[rank - 1], d.shape[rank - 1] - e[3 + rank - 1]);
            long rows = cbytes / (chunk[rank - 1] * elem);
            long[] idx = new long[rank];
            for (long row = 0; row < rows; row++) {
                long rest = row;
                boolean inside = true;
                long dst = 0;
                for (int r = rank - 2; r >= 0; r--) {
                    idx[r] = rest % chunk[r];
                    rest /= chunk[r];
                    long g = e[3 + r] + idx[r];
                    if (g >= d.shape[r]) inside = false;
                    dst += g * stride[r];
                }
                if (!inside) continue;
                dst += e[3 + rank - 1] * elem;
                System.arraycopy(data, (int) (row * chunk[rank - 1] * elem), out, (int) dst, (int) (rowLen * elem));
            }
        }
        return out;
    }

    /** Undoes the filters (in reverse order), skipping those the chunk's mask marks as not applied. */
    private byte[] unfilter(byte[] b, int[][] filters, int mask, int want, int elem, String obj) {
        for (int k = filters.length - 1; k >= 0; k--) {
            if ((mask & (1 << k)) != 0) continue;
            int id = filters[k][0];
            if (id == 1) {
                b = inflate(b, want, obj);
            } else if (id == 2) {
                int size = filters[k].length > 1 ? filters[k][1] : elem;
                b = unshuffle(b, size);
            } else if (id == 3) {
                if (b.length < 4) throw bad(obj, "chunk too short for its fletcher32 checksum");
                long stored = uint(b, b.length - 4, 4) & 0xffffffffL;
                b = Arrays.copyOf(b, b.length - 4);
                long sum = fletcher32(b);
                // Files from HDF5 before 1.6.3 hold the sum byte-swapped; the library accepts both.
                long swapped = Integer.reverseBytes((int) sum) & 0xffffffffL;
                if (stored != sum && stored != swapped && !(stored == (UNDEF & 0xffffffffL) && sum == 0xffffffffL)) {
                    throw bad(obj, "chunk fails its fletcher32 checksum");
                }
            }
        }
        if (b.length != want) throw bad(obj, "chunk holds " + b.length + " bytes after its filters, " + want + " expected");
        return b;
    }

    /** HDF5's Fletcher-32 over 16-bit big-endian words (a trailing odd byte as the high byte). */
    static long fletcher32(byte[] d) {
        long sum1 = 0, sum2 = 0;
        int words = d.length / 2;
        int p = 0;
        while (words > 0) {
            int t = Math.min(words, 360);
            words -= t;
            for (int k = 0; k < t; k++) {
                sum1 += (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
                p += 2;
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        if (d.length % 2 == 1) {
            sum1 += (d[p] & 0xff) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        return (sum2 << 16 | sum1) & 0xffffffffL;
    }

    private byte[] inflate(byte[] b, int want, String obj) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b);
            byte[] out = new byte[want];
            int n = 0;
            while (n < want) {
                int r = inf.inflate(out, n, want - n);
                if (r == 0) break;
                n += r;
            }
            if (n != want) throw bad(obj, "deflated chunk gives " + n + " bytes, " + want + " expected");
            return out;
        } catch (DataFormatException e) {
            throw bad(obj, "deflated chunk is corrupt (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    private static byte[] unshuffle(byte[] b, int size) {
        if (size <= 1 || b.length % size != 0) return b;
        int n = b.length / size;
        byte[] out = new byte[b.length];
        for (int j = 0; j < size; j++) for (int i = 0; i < n; i++) out[i * size + j] = b[j * n + i];
        return out;
    }
}
