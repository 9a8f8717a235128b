package io.stowage.spi;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Runs external commands for a driver (the fake driver's {@code losetup}, a driver's
 * {@code rbd map} or {@code iscsiadm}). A command is an argument list passed to the process
 * one by one, exactly as given: no shell, no quoting, no splitting, no variable expansion.
 * Every call has a timeout. Commands run with {@code LC_ALL=C} and standard input closed; an
 * executable named without a slash ({@code losetup}) is looked up on {@code PATH} and then in
 * the system {@code sbin} and {@code bin} directories. Thread-safe.
 */
public interface Commands {
  /**
   * Runs a command that must exit with code 0.
   *
   * @param argv the executable and its arguments, each passed literally
   * @param timeout the longest the command may run; it is killed after that
   * @return its exit code and output
   * @throws io.stowage.exception.CommandFailedException when it exits non-zero, times out or
   *     cannot start, with the argument list, the exit code and the tail of standard error
   */
  default CommandResult run(List<String> argv, Duration timeout) {
    return run(argv, timeout, Set.of());
  }

  /**
   * Runs a command that must exit with code 0 or one of the allowed codes.
   *
   * @param argv the executable and its arguments, each passed literally
   * @param timeout the longest the command may run; it is killed after that
   * @param allowedExitCodes non-zero exit codes that count as success; the caller reads them
   *     from the result
   * @return its exit code and output
   * @throws io.stowage.exception.CommandFailedException when it exits with another code, times
   *     out or cannot start
   */
  CommandResult run(List<String> argv, Duration timeout, Set<Integer> allowedExitCodes);
}
