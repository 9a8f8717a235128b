package io.stowage.internal.state;

import io.stowage.spi.CrossProcessLock;

/**
 * Exclusive use of one volume on this host, against other threads and other processes. Taken
 * with {@link StateStore#lock}; released by {@link #close()}.
 *
 * <p>The lock belongs to the thread that took it and must be closed by that thread. It is
 * reentrant: a thread that holds it may take it again, and the volume is released when every
 * lock taken is closed. Closing twice is harmless.
 */
public final class VolumeLock implements AutoCloseable {
  private final VolumeKey key;
  private final CrossProcessLock.Held held;
  private final Thread owner;
  private boolean closed;

  VolumeLock(VolumeKey key, CrossProcessLock.Held held) {
    this.key = key;
    this.held = held;
    this.owner = Thread.currentThread();
  }

  /**
   * Returns the volume this lock holds.
   *
   * @return the key
   */
  public VolumeKey key() {
    return key;
  }

  /**
   * Releases the lock; the first call releases it, later calls do nothing.
   *
   * @throws IllegalStateException when called by a thread other than the one that took it
   */
  @Override
  public void close() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("the lock on volume " + key + " belongs to thread "
          + owner.getName() + " and must be closed by it");
    }
    if (!closed) {
      closed = true;
      held.close();
    }
  }

  @Override
  public String toString() {
    return "VolumeLock[" + key + (closed ? ", closed]" : "]");
  }
}
