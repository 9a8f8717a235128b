package io.stowage.driver.fake;

import io.stowage.exception.CommandFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs an external command, given as an argument list, with a timeout. */
final class CommandRunner {
  private static final int TAIL_CHARS = 2000;

  private final Duration timeout;

  CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs a command and returns its standard output.
   *
   * @throws CommandFailedException on a non-zero exit, a timeout or a failure to start, with
   *     the tail of standard error
   */
  String run(List<String> argv) {
    CommandLine line = new CommandLine(argv.get(0));
    for (String arg : argv.subList(1, argv.size())) {
      line.addArgument(arg, false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
    DefaultExecutor executor = DefaultExecutor.builder()
        .setExecuteStreamHandler(new PumpStreamHandler(out, err)).get();
    executor.setWatchdog(watchdog);
    executor.setExitValues(null);
    int exit;
    try {
      exit = executor.execute(line);
    } catch (IOException e) {
      throw new CommandFailedException(argv, -1, tail(err), e);
    }
    if (watchdog.killedProcess()) {
      throw new CommandFailedException(argv, -1,
          "timed out after " + timeout.toMillis() + " ms; " + tail(err), null);
    }
    if (exit != 0) {
      throw new CommandFailedException(argv, exit, tail(err), null);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String tail(ByteArrayOutputStream err) {
    String text = err.toString(StandardCharsets.UTF_8);
    return text.length() <= TAIL_CHARS ? text : text.substring(text.length() - TAIL_CHARS);
  }
}
