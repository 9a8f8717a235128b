package io.stowage.internal.os.exec;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps only the last {@code capacity} bytes written to it, so a chatty
 * command cannot fill the heap. Thread-safe: the pump thread writes, the caller reads after the
 * process ended.
 */
final class TailBuffer extends OutputStream {
  private final Object lock = new Object();
  private final byte[] ring;
  private long written;

  TailBuffer(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.ring = new byte[capacity];
  }

  @Override
  public void write(int b) {
    synchronized (lock) {
      ring[(int) (written % ring.length)] = (byte) b;
      written++;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    synchronized (lock) {
      if (len >= ring.length) {
        off += len - ring.length;
        written += len - ring.length;
        len = ring.length;
      }
      for (int i = 0; i < len; i++) {
        ring[(int) (written % ring.length)] = b[off + i];
        written++;
      }
    }
  }

  /** Returns whether bytes were dropped from the front. */
  boolean truncated() {
    synchronized (lock) {
      return written > ring.length;
    }
  }

  /** Returns the kept bytes, oldest first. */
  byte[] bytes() {
    synchronized (lock) {
      int size = (int) Math.min(written, ring.length);
      byte[] out = new byte[size];
      int start = (int) ((written - size) % ring.length);
      for (int i = 0; i < size; i++) {
        out[i] = ring[(start + i) % ring.length];
      }
      return out;
    }
  }

  /** Returns the kept bytes as UTF-8 text. */
  String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }
}
