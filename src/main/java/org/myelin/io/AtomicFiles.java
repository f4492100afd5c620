package org.myelin.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whole-file writes that are atomic: the bytes go to a temporary file in the target's folder, are
 * forced to disk, the temporary file is renamed over the target with an atomic move, and the
 * folder is forced so that the rename itself survives a crash. A reader sees either the old file
 * or the new one, never a half-written one. Where the file system cannot rename atomically the
 * write fails with an {@link IOException} saying so (there is no silent non-atomic fallback);
 * forcing the folder is skipped only on systems that cannot open a folder for it (Windows).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code bytes} to {@code file} atomically, creating parent folders as needed. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** What a streamed write puts into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /**
     * Writes what {@code content} streams to {@code file} atomically (for files too large to hold
     * in memory), creating parent folders as needed; on any failure the target is left as it was.
     */
    public static void write(Path file, Content content) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        if (Files.isDirectory(abs)) throw new IOException(file + ": is a folder, cannot write a file there");
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            // Temporary files are created owner-only; a finished file gets ordinary permissions.
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the defaults
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(file + ": the file system of " + dir + " cannot rename atomically, so the file cannot be written safely", e);
            }
            done = true;
            syncFolder(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Forces a folder's entries to disk (so a rename in it is durable); a no-op where folders cannot be opened. */
    private static void syncFolder(Path dir) throws IOException {
        if (dir == null) return;
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // e.g. Windows: a folder cannot be opened as a channel; NTFS journals the rename
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            throw new IOException(dir + ": the new file is in place but the folder could not be synced to disk (" + e.getMessage() + ")", e);
        }
    }

    /** Writes UTF-8 text atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
