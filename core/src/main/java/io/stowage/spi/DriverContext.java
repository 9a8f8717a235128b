package io.stowage.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the SDK lends a driver when it creates one. {@code Stowage} builds it from its
 * configuration; a test builds one itself, with {@code Hosts.linux()} and
 * {@code Hosts.commands()} for the real host.
 *
 * @param clock the clock for timestamps (tests pass a controlled one)
 * @param stateDirectory the host's state directory, where a driver may keep small files of its
 *     own under a subdirectory named after it; it may not exist yet
 * @param host the host layer the core formats and mounts through; a driver reads its
 *     {@link HostOs#kind()} and mount table, and refuses in {@code create} a host it cannot
 *     work with
 * @param commands runs the external commands a driver needs
 */
public record DriverContext(Clock clock, Path stateDirectory, HostOs host, Commands commands) {
  /**
   * Validates the context.
   *
   * @param clock the clock for timestamps (tests pass a controlled one)
   * @param stateDirectory the host's state directory, where a driver may keep small files of its
   *     own under a subdirectory named after it; it may not exist yet
   * @param host the host layer the core formats and mounts through; a driver reads its {@link
   *     HostOs#kind()} and mount table, and refuses in {@code create} a host it cannot work with
   * @param commands runs the external commands a driver needs
   */
  public DriverContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(commands, "commands");
  }
}
