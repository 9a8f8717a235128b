package io.stowage.spi;

import java.util.Objects;

/**
 * What a finished external command left behind.
 *
 * @param exitCode the process's exit code
 * @param stdout its standard output, decoded as UTF-8; only the tail when it was longer than the
 *     runner's capture limit
 * @param stderr its standard error, decoded as UTF-8; only the tail when it was longer than the
 *     runner's capture limit
 */
public record CommandResult(int exitCode, String stdout, String stderr) {
  /**
   * Validates the result.
   *
   * @param exitCode the process's exit code
   * @param stdout its standard output, decoded as UTF-8; only the tail when it was longer than the
   *     runner's capture limit
   * @param stderr its standard error, decoded as UTF-8; only the tail when it was longer than the
   *     runner's capture limit
   */
  public CommandResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }
}
