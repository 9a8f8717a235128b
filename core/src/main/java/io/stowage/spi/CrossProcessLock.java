package io.stowage.spi;

import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock that excludes other threads of this object and other processes: a
 * {@link ReentrantLock} for the threads, and an exclusive {@link FileLock} on a lock file for
 * the processes, taken when a thread first holds the lock and released when it lets go
 * entirely. Two such locks on one file in one JVM exclude each other too (the JVM's
 * overlapping-lock refusal counts as held). Every wait is bounded. The lock file (mode 0600) is
 * never deleted: deleting it could let two processes lock different files of the same name.
 * Thread-safe.
 */
public final class CrossProcessLock {
  private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Path file;
  private final ReentrantLock local = new ReentrantLock();
  // Guarded by local.
  private FileChannel channel;
  private FileLock fileLock;

  /**
   * Creates the lock over a lock file, which is created when it is first taken.
   *
   * @param file the lock file; its directory must exist when the lock is taken
   */
  public CrossProcessLock(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** A held lock; closing it lets go once. */
  @FunctionalInterface
  public interface Held extends AutoCloseable {
    /** Releases this hold. */
    @Override
    void close();
  }

  /**
   * Returns the lock file.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * Takes the lock, waiting at most {@code timeout}. A thread that holds it already takes it
   * again at once.
   *
   * @param timeout the longest wait
   * @return the hold, to close
   * @throws OperationTimeoutException when the wait runs out, naming the lock file
   * @throws StowageException when the lock file cannot be opened, or the thread is interrupted
   */
  public Held acquire(Duration timeout) {
    return tryAcquire(timeout).orElseThrow(() -> new OperationTimeoutException(
        "the lock " + file + " (held by another thread or process)", timeout));
  }

  /**
   * Takes the lock if it comes free within {@code timeout}.
   *
   * @param timeout the longest wait
   * @return the hold, or empty when the wait ran out
   * @throws StowageException when the lock file cannot be opened, or the thread is interrupted
   */
  public Optional<Held> tryAcquire(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!local.tryLock(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StowageException("interrupted while waiting for the lock " + file, e);
    }
    if (local.getHoldCount() > 1) {
      return Optional.of(new Hold());
    }
    boolean locked = false;
    try {
      locked = lockFile(deadline);
      return locked ? Optional.of(new Hold()) : Optional.empty();
    } finally {
      if (!locked) {
        local.unlock();
      }
    }
  }

  /**
   * Returns whether the calling thread holds the lock.
   *
   * @return true while it does
   */
  public boolean isHeldByCurrentThread() {
    return local.isHeldByCurrentThread();
  }

  /** One hold; closing it twice lets go once. */
  private final class Hold implements Held {
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release();
      }
    }
  }

  private void release() {
    try {
      if (local.getHoldCount() == 1) {
        releaseFileLock();
      }
    } finally {
      local.unlock();
    }
  }

  /** Takes the file lock, polling until the deadline. Called holding the local lock. */
  private boolean lockFile(long deadline) {
    FileChannel opened = null;
    try {
      opened = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
          StandardOpenOption.WRITE), AtomicFiles.privateFile());
      long pause = MIN_POLL_NANOS;
      while (true) {
        FileLock taken = tryFileLock(opened);
        if (taken != null) {
          channel = opened;
          fileLock = taken;
          opened = null;
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
      throw new StowageException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StowageException("interrupted while waiting for the lock " + file, e);
    } finally {
      closeQuietly(opened);
    }
  }

  /** Another lock of this JVM on the same file shows as overlapping: that is held too. */
  private static FileLock tryFileLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private void releaseFileLock() {
    try {
      if (fileLock != null) {
        fileLock.release();
      }
    } catch (IOException e) {
      // Closing the channel releases the lock as well.
    } finally {
      fileLock = null;
      closeQuietly(channel);
      channel = null;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // The lock goes with the channel; nothing is left to do.
      }
    }
  }

  @Override
  public String toString() {
    return "CrossProcessLock[" + file + "]";
  }
}
