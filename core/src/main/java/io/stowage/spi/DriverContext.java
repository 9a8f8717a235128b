package io.stowage.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the SDK lends a driver when it creates one.
 *
 * @param clock the clock for deadlines and timestamps (tests pass a controlled one)
 * @param stateDirectory the host's state directory, where a driver may keep small files of its
 *     own under a subdirectory named after it
 */
public record DriverContext(Clock clock, Path stateDirectory) {
  /**
   * Validates the context.
   */
  public DriverContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
  }
}
