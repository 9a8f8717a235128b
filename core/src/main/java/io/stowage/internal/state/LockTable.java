package io.stowage.internal.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-volume locks: a {@link ReentrantLock} excludes this process's threads, and an exclusive
 * {@link FileLock} on {@code <locks>/<driver>/<name>.lock} excludes other processes. The file
 * lock is taken when a thread first takes the volume and released when it lets go entirely.
 * Lock files are never deleted: deleting one could let two processes lock different files of
 * the same name.
 */
final class LockTable {
  private static final Logger LOG = LoggerFactory.getLogger(LockTable.class);
  private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Path locksDirectory;
  private final StateFiles files;
  private final ConcurrentMap<VolumeKey, KeyLock> locks = new ConcurrentHashMap<>();

  LockTable(Path locksDirectory, StateFiles files) {
    this.locksDirectory = locksDirectory;
    this.files = files;
  }

  /** One volume's lock. The file lock fields are guarded by {@link #local}. */
  static final class KeyLock {
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    void release() {
      try {
        if (local.getHoldCount() == 1) {
          releaseFileLock();
        }
      } finally {
        local.unlock();
      }
    }

    private void releaseFileLock() {
      try {
        if (fileLock != null) {
          fileLock.release();
        }
      } catch (IOException e) {
        LOG.warn("Releasing a volume lock file failed; closing it releases the lock", e);
      } finally {
        fileLock = null;
        closeQuietly(channel);
        channel = null;
      }
    }
  }

  /**
   * Takes a volume's lock, waiting at most {@code timeout}.
   *
   * @return the lock, or empty when the wait ran out
   */
  Optional<VolumeLock> acquire(VolumeKey key, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    KeyLock keyLock = locks.computeIfAbsent(key, k -> new KeyLock());
    Path lockFile = lockFile(key);
    try {
      if (!keyLock.local.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while waiting for the lock on volume " + key,
          lockFile, e);
    }
    if (keyLock.local.getHoldCount() > 1) {
      return Optional.of(new VolumeLock(key, keyLock));
    }
    boolean locked = false;
    try {
      locked = lockFile(keyLock, lockFile, deadline);
      return locked ? Optional.of(new VolumeLock(key, keyLock)) : Optional.empty();
    } finally {
      if (!locked) {
        keyLock.local.unlock();
      }
    }
  }

  boolean isHeldByCurrentThread(VolumeKey key) {
    KeyLock keyLock = locks.get(key);
    return keyLock != null && keyLock.local.isHeldByCurrentThread();
  }

  Path lockFile(VolumeKey key) {
    return locksDirectory.resolve(key.driver()).resolve(key.name().value() + ".lock");
  }

  /** Takes the file lock, polling until the deadline. Called holding the local lock. */
  private boolean lockFile(KeyLock keyLock, Path lockFile, long deadline) {
    FileChannel channel = null;
    try {
      files.createPrivateDirectory(lockFile.getParent());
      channel = files.openLockFile(lockFile);
      long pause = MIN_POLL_NANOS;
      while (true) {
        FileLock fileLock = tryFileLock(channel);
        if (fileLock != null) {
          keyLock.channel = channel;
          keyLock.fileLock = fileLock;
          channel = null;
          return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
        pause = Math.min(pause * 2, MAX_POLL_NANOS);
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot lock", lockFile, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while waiting for the lock", lockFile, e);
    } finally {
      closeQuietly(channel);
    }
  }

  /**
   * Tries the file lock once. Another {@link StateStore} of this process holding the same file
   * shows as an {@link OverlappingFileLockException}: that is a held lock too.
   */
  private static FileLock tryFileLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Closing a volume lock file failed", e);
    }
  }
}
