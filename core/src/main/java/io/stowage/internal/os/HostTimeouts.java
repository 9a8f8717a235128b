package io.stowage.internal.os;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of the commands {@link LinuxHost} runs.
 *
 * @param mkfs the longest a file system may take to create (big devices take minutes)
 * @param mount the longest a {@code mount} or {@code umount} may take
 * @param probe the longest a quick query ({@code blkid}, {@code losetup}) may take
 */
public record HostTimeouts(Duration mkfs, Duration mount, Duration probe) {
  /**
   * Validates the timeouts: each must be positive.
   *
   * @param mkfs the longest a file system may take to create (big devices take minutes)
   * @param mount the longest a {@code mount} or {@code umount} may take
   * @param probe the longest a quick query ({@code blkid}, {@code losetup}) may take
   * @throws IllegalArgumentException when one is zero or negative
   */
  public HostTimeouts {
    requirePositive("mkfs", mkfs);
    requirePositive("mount", mount);
    requirePositive("probe", probe);
  }

  /**
   * Returns the defaults: 5 minutes for mkfs, 60 seconds for mount and umount, 30 seconds for
   * queries.
   *
   * @return the default timeouts
   */
  public static HostTimeouts defaults() {
    return new HostTimeouts(Duration.ofMinutes(5), Duration.ofSeconds(60),
        Duration.ofSeconds(30));
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " timeout must be positive: " + value);
    }
  }
}
