package io.stowage.exception;

import java.util.List;

/** An external command (mkfs, mount, losetup, ...) failed or timed out. */
public class CommandFailedException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The command, one argument per element. */
  private final List<String> argv;
  /** The exit code; -1 for a timeout or a command that could not start. */
  private final int exitCode;
  /** The last part of standard error. */
  private final String stderrTail;

  /**
   * Creates the exception.
   *
   * @param argv the command and its arguments
   * @param exitCode the exit code, or -1 when the command timed out or could not start
   * @param stderrTail the last lines of its standard error
   * @param cause the underlying failure, if any
   */
  public CommandFailedException(List<String> argv, int exitCode, String stderrTail,
      Throwable cause) {
    super("command " + argv + " failed with exit code " + exitCode
        + (stderrTail.isBlank() ? "" : ": " + stderrTail.strip()), cause);
    this.argv = List.copyOf(argv);
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }

  /**
   * Returns the command and its arguments.
   *
   * @return the argument list
   */
  public List<String> argv() {
    return argv;
  }

  /**
   * Returns the exit code.
   *
   * @return the exit code, or -1 when the command timed out or could not start
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * Returns the tail of the command's standard error.
   *
   * @return the last lines of stderr
   */
  public String stderrTail() {
    return stderrTail;
  }
}
