package org.myelin.data;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive use of a features folder while it is checked, built and read, across threads and
 * processes: a {@link ReentrantLock} per folder inside this JVM (a JVM cannot take two file locks
 * on one file), then an operating-system lock ({@link FileChannel#lock}) on {@code FOLDER/.lock}
 * for the other processes, on this machine or — where the file system supports locks, as NFS with
 * its lock service does — on others. Two processes asking for the same cache at once thus get one
 * build: the second waits, then finds it up to date. The lock is released when the process ends,
 * however it ends, so a killed builder never leaves it held. On a folder where the lock file
 * cannot be created (a read-only cache prepared beforehand) the folder is used unlocked: nothing
 * can build there anyway.
 */
final class CacheLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CacheLock.class.getName());
    /** The lock file's name inside the folder. */
    static final String FILE = ".lock";
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel; // holds the file lock; null: unlocked (read-only folder)

    private CacheLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code folder} (created if needed), waiting as long as another thread or
     * process holds it; with {@code say} a line on stderr tells that it waits and for what.
     */
    static CacheLock take(Path folder, boolean say) throws IOException {
        Path abs = folder.toAbsolutePath().normalize();
        ReentrantLock local = IN_JVM.computeIfAbsent(abs, k -> new ReentrantLock());
        if (!local.tryLock()) {
            if (say) System.err.println("features: waiting for " + abs + " (another thread is building or reading it)");
            local.lock();
        }
        boolean ok = false;
        FileChannel ch = null;
        try {
            Files.createDirectories(abs);
            try {
                ch = FileChannel.open(abs.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                LOG.log(Level.DEBUG, "feature cache {0} is read-only: used without a lock", abs);
                ok = true;
                return new CacheLock(local, null);
            } catch (FileSystemException e) {
                if (!"Read-only file system".equals(e.getReason())) throw e;
                LOG.log(Level.DEBUG, "feature cache {0} is on a read-only file system: used without a lock", abs);
                ok = true;
                return new CacheLock(local, null);
            }
            FileLock l = ch.tryLock();
            if (l == null) {
                if (say) System.err.println("features: waiting for " + abs + " (another process is building or reading it)");
                l = ch.lock();
            }
            ok = true;
            return new CacheLock(local, ch);
        } catch (IOException e) {
            throw new IOException("cannot lock the feature cache " + abs + " (" + e.getMessage()
                    + "); choose another with --cache DIR or use --no-cache", e);
        } finally {
            if (!ok) {
                if (ch != null) ch.close();
                local.unlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) channel.close(); // releases the file lock
        } finally {
            local.unlock();
        }
    }
}
