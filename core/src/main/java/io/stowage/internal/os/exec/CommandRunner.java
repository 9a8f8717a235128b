package io.stowage.internal.os.exec;

import io.stowage.exception.CommandFailedException;
import io.stowage.spi.CommandResult;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external commands given as argument lists through Apache Commons Exec. Arguments are
 * passed to the process one by one, exactly as given: no shell, no quoting, no splitting, no
 * variable expansion. Every call has a timeout; standard output and error are captured up to a
 * bound (the tail is kept). A non-zero exit code that the caller did not allow, a timeout, or a
 * command that cannot start becomes a {@link CommandFailedException} carrying the argument list,
 * the exit code ({@code -1} for a timeout or a start failure) and the tail of standard error.
 *
 * <p>Commands run with the JVM's environment plus {@code LC_ALL=C}, so their messages are
 * stable, and with standard input closed, so a command that asks a question reads end of file.
 * An executable named without a slash is looked up on {@code PATH} and then in the system
 * {@code sbin} and {@code bin} directories, which a non-login {@code PATH} may lack.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CommandRunner implements Commands {
  /** The default number of bytes kept of each of standard output and standard error: 64 KiB. */
  public static final int DEFAULT_CAPTURE_BYTES = 64 * 1024;

  /** How many bytes of standard error a failure carries at most. */
  static final int ERROR_TAIL_BYTES = 4 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
  private static final Duration PUMP_STOP_TIMEOUT = Duration.ofSeconds(2);

  private final int captureBytes;
  private final Executables executables = Executables.fromEnvironment();

  /**
   * Creates a runner that keeps up to {@link #DEFAULT_CAPTURE_BYTES} of each output stream.
   */
  public CommandRunner() {
    this(DEFAULT_CAPTURE_BYTES);
  }

  /**
   * Creates a runner with a capture bound.
   *
   * @param captureBytes how many bytes of each of standard output and standard error to keep
   *     (the last ones); at least 1
   * @throws IllegalArgumentException when {@code captureBytes} is not positive
   */
  public CommandRunner(int captureBytes) {
    if (captureBytes <= 0) {
      throw new IllegalArgumentException("captureBytes must be positive: " + captureBytes);
    }
    this.captureBytes = captureBytes;
  }

  /**
   * Runs a command that must exit with code 0 or one of the allowed codes.
   *
   * @param argv the executable and its arguments, each passed literally
   * @param timeout the longest the command may run; it is killed after that
   * @param allowedExitCodes non-zero exit codes that count as success (such as {@code 2} for
   *     {@code blkid} finding nothing); the caller reads them from the result
   * @return its exit code and output
   * @throws CommandFailedException when it exits with another code, times out or cannot start
   * @throws IllegalArgumentException when {@code argv} is empty or {@code timeout} not positive
   */
  @Override
  public CommandResult run(List<String> argv, Duration timeout, Set<Integer> allowedExitCodes) {
    List<String> args = List.copyOf(argv);
    Objects.requireNonNull(timeout, "timeout");
    Set<Integer> allowed = Set.copyOf(allowedExitCodes);
    if (args.isEmpty() || args.get(0).isEmpty()) {
      throw new IllegalArgumentException("argv must name an executable: " + args);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }

    CommandLine commandLine = new CommandLine(executables.resolve(args.get(0)));
    for (String arg : args.subList(1, args.size())) {
      commandLine.addArgument(arg, false);
    }
    TailBuffer out = new TailBuffer(captureBytes);
    TailBuffer err = new TailBuffer(captureBytes);
    PumpStreamHandler streams = new PumpStreamHandler(out, err);
    streams.setStopTimeout(PUMP_STOP_TIMEOUT);
    ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
    DefaultExecutor executor = DefaultExecutor.builder().setExecuteStreamHandler(streams).get();
    executor.setWatchdog(watchdog);
    executor.setExitValues(null);

    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("LC_ALL", "C");

    LOG.debug("running {} (timeout {} ms)", args, timeout.toMillis());
    long started = System.nanoTime();
    int exitCode;
    try {
      exitCode = executor.execute(commandLine, environment);
    } catch (IOException e) {
      LOG.debug("{} could not run: {}", args, e.toString());
      throw new CommandFailedException(args, -1, tail(err, e.getMessage()), e);
    }
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    if (watchdog.killedProcess()) {
      LOG.debug("{} timed out after {} ms", args, elapsedMillis);
      throw new CommandFailedException(args, -1,
          tail(err, "timed out after " + timeout.toMillis() + " ms"), null);
    }
    LOG.debug("{} exited with {} after {} ms", args, exitCode, elapsedMillis);
    if (exitCode != 0 && !allowed.contains(exitCode)) {
      throw new CommandFailedException(args, exitCode, tail(err, ""), null);
    }
    return new CommandResult(exitCode, out.text(), err.text());
  }

  private static String tail(TailBuffer err, String note) {
    byte[] bytes = err.bytes();
    int from = Math.max(0, bytes.length - ERROR_TAIL_BYTES);
    // Start on a character boundary: skip UTF-8 continuation bytes.
    while (from > 0 && from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
      from++;
    }
    String text = new String(bytes, from, bytes.length - from,
        java.nio.charset.StandardCharsets.UTF_8).strip();
    if (note == null || note.isBlank()) {
      return text;
    }
    return text.isEmpty() ? note : text + System.lineSeparator() + "(" + note + ")";
  }
}
