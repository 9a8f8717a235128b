package io.stowage.internal.state;

import io.stowage.exception.StowageException;
import io.stowage.spi.CrossProcessLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-key locks: a {@link CrossProcessLock} on {@code <locks>/<owner>/<name>.lock} per
 * volume, which excludes this process's threads and other processes. Lock files are never
 * deleted: deleting one could let two processes lock different files of the same name.
 */
final class LockTable {
  private final Path locksDirectory;
  private final StateFiles files;
  private final ConcurrentMap<VolumeKey, CrossProcessLock> locks = new ConcurrentHashMap<>();

  LockTable(Path locksDirectory, StateFiles files) {
    this.locksDirectory = locksDirectory;
    this.files = files;
  }

  /**
   * Takes a volume's lock, waiting at most {@code timeout}.
   *
   * @return the lock, or empty when the wait ran out
   */
  Optional<VolumeLock> acquire(VolumeKey key, Duration timeout) {
    Path lockFile = lockFile(key);
    try {
      files.createPrivateDirectory(lockFile.getParent());
    } catch (IOException e) {
      throw new StateStoreException("cannot create the lock directory", lockFile.getParent(), e);
    }
    CrossProcessLock lock = locks.computeIfAbsent(key, k -> new CrossProcessLock(lockFile));
    try {
      return lock.tryAcquire(timeout).map(held -> new VolumeLock(key, held));
    } catch (StowageException e) {
      throw new StateStoreException("cannot lock volume " + key, lockFile, e);
    }
  }

  boolean isHeldByCurrentThread(VolumeKey key) {
    CrossProcessLock lock = locks.get(key);
    return lock != null && lock.isHeldByCurrentThread();
  }

  Path lockFile(VolumeKey key) {
    return locksDirectory.resolve(key.owner()).resolve(key.name().value() + ".lock");
  }
}
