package io.stowage.cli;

import io.stowage.exception.StowageException;

/** A command failed with a given exit code and a message for the user. */
final class CliException extends StowageException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
